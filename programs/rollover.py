"""The school-year rollover: officers keep their schools into the next school year.

Copies assignments to the year after their own, as `rollover_assignments` and
the admin's "Copy to the next school year" action do. Running it twice copies
nothing the second time: an assignment already there is left alone, and so is
one whose officer no longer serves (untick "currently serving" and it is not
carried over).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from . import invalidation
from .models import Assignment

CHANGE_REASON = gettext_noop("Copied to the next school year")  # stored in English


@dataclass
class RolloverResult:
    copied: int = 0
    already_there: int = 0
    officer_left: int = 0

    def summary(self):
        parts = [f"{self.copied} assignment{'s' if self.copied != 1 else ''} copied to the next school year"]
        if self.already_there:
            parts.append(f"{self.already_there} already there")
        if self.officer_left:
            parts.append(f"{self.officer_left} left out: the officer is no longer serving")
        return "; ".join(parts) + "."


def roll_over(assignments, user=None, dry_run=False):
    """Copy each of `assignments` (a queryset) to the school year after its own; nothing is saved with `dry_run`."""
    result = RolloverResult()
    with transaction.atomic():
        assignments = list(assignments.select_related("officer", "school").order_by("school_year", "pk"))
        next_years = {a.school_year + 1 for a in assignments}
        there = set(
            Assignment.objects.filter(school_year__in=next_years).values_list("officer_id", "school_id", "school_year")
        )
        copies = []
        for assignment in assignments:
            key = (assignment.officer_id, assignment.school_id, assignment.school_year + 1)
            if key in there:
                result.already_there += 1
            elif not assignment.officer.is_active:
                result.officer_left += 1
            else:
                there.add(key)
                copies.append(Assignment(officer=assignment.officer, school=assignment.school, school_year=key[2]))
        result.copied = len(copies)
        if copies and not dry_run:
            bulk_create_with_history(copies, Assignment, default_user=user, default_change_reason=CHANGE_REASON)
            # Bulk writes fire no signals: the agencies' pages are marked stale here, once.
            invalidation.agencies_changed_in_bulk({copy.school.agency_id for copy in copies})
    return result
