"""What needs an editor's attention: the checks behind the home page's "Needs attention"
list, the "Needs attention" filter of the admin lists, and the weekly digest.

A check names a model, the path from it to its agency, the condition that makes
an object need attention and the sentence that says so. The home page counts
each check once (one query per check, whatever the number of rows); its link
opens the model's admin list filtered by the very same condition
(`AttentionFilter`); the digest lists the objects by name.

Other apps add their own checks from their AppConfig.ready() with `register`:
the agreements register, for one, registers "agreements due for review" on its
own model and adds `AttentionFilter` to its admin's `list_filter`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext_lazy

from inbox.models import Submission
from programs.models import Alert, Assignment, Officer, Program, School, current_school_year
from programs.models import format_school_year as school_year
from programs.models.translated import written

from .reviews import review_due_condition

PARAMETER = "attention"


def _always(today):
    return True


@dataclass(frozen=True)
class AttentionCheck:
    key: str  # stable: reminders sent are recorded under it
    model: type
    agency_lookup: str  # from the model to its agency, as in the admin (programs/admin/scoping.py)
    condition: Callable[[QuerySet, date], QuerySet]
    sentence: Callable[[int, date], str]  # what the home page and the digest say, for a count
    filter_label: Callable[[date], str]  # the choice in the admin list's "Needs attention" filter
    applies: Callable[[date], bool] = _always  # e.g. next year's schools, from May only
    describe: Callable[[object], str] = str  # an object's name in the digest

    def objects(self, agency_ids, today: date):
        """The objects needing attention in these agencies (None: every agency)."""
        queryset = self.model._default_manager.all()
        if agency_ids is not None:
            field = "pk" if self.agency_lookup == "pk" else f"{self.agency_lookup}_id"
            queryset = queryset.filter(**{f"{field}__in": agency_ids})
        return self.condition(queryset, today)

    def url(self):
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + f"?{PARAMETER}={self.key}"


CHECKS: dict[str, AttentionCheck] = {}


def register(check: AttentionCheck):
    CHECKS[check.key] = check
    return check


def checks_for(today: date, model=None):
    return [c for c in CHECKS.values() if c.applies(today) and (model is None or c.model is model)]


@dataclass(frozen=True)
class AttentionItem:
    check: AttentionCheck
    count: int
    text: str
    url: str


def attention_items(agency_ids, today: date | None = None) -> list[AttentionItem]:
    """Every check that finds something in these agencies, with its count: one query per check."""
    today = today or timezone.localdate()
    items = []
    for check in checks_for(today):
        count = check.objects(agency_ids, today).count()
        if count:
            items.append(AttentionItem(check, count, check.sentence(count, today), check.url()))
    return items


class AttentionFilter(admin.SimpleListFilter):
    """'Needs attention' on an admin list: the home page's links land here."""

    title = gettext_lazy("needs attention")
    parameter_name = PARAMETER

    def lookups(self, request, model_admin):
        today = timezone.localdate()
        return [(c.key, c.filter_label(today)) for c in checks_for(today, model_admin.model)]

    def queryset(self, request, queryset):
        check = CHECKS.get(self.value() or "")
        if check is None or check.model is not queryset.model:
            return queryset
        return check.condition(queryset, timezone.localdate())


def counted(sentences):
    """A check's sentence for a count: `sentences` is an ngettext_lazy(one, many, "n"), %(n)d the count,
    in the active language (the admin's on the home page; English in the digest)."""
    return lambda count, today: sentences % {"n": count}


def fixed(label):
    """A check's filter label that is the same every day."""
    return lambda today: label


# The checks of the programs app ----------------------------------------------------


def next_school_year_matters(today: date) -> bool:
    """From May, until the new school year starts on July 1, next year's officers are planned."""
    return today.month in (5, 6)


def _this_year(today):
    return current_school_year(today)


def _next_year(today):
    return current_school_year(today) + 1


def schools_without_officer(key, year, sentences, **options):
    """The schools with no active officer assigned in the school year `year(today)`.

    `sentences` say so for a count (as `counted`'s), with %(year)s the school year."""

    def condition(schools, today):
        staffed = Assignment.objects.filter(school=OuterRef("pk"), school_year=year(today), officer__is_active=True)
        return schools.filter(~Exists(staffed))

    def sentence(count, today):
        return sentences % {"n": count, "year": school_year(year(today))}

    return AttentionCheck(
        key=key,
        model=School,
        agency_lookup="agency",
        condition=condition,
        sentence=sentence,
        filter_label=lambda today: gettext_lazy("No officer in %(year)s") % {"year": school_year(year(today))},
        **options,
    )


def _alerts_ending_today(alerts, today):
    return alerts.filter(ends_at__date=today, ends_at__gt=timezone.now())


# What the checks on one model share: the model, the way to its agency and an object's name in the digest.
request_check = partial(
    AttentionCheck,
    model=Submission,
    agency_lookup="program__agency",
    describe=lambda s: f"{s.reference}: {s.get_kind_display()} from {s.name}",
)
program_check = partial(AttentionCheck, model=Program, agency_lookup="agency", describe=lambda p: p.page_title)

register(
    request_check(
        key="new-requests",
        condition=lambda qs, today: qs.filter(status=Submission.Status.NEW),
        sentence=counted(
            ngettext_lazy(
                "%(n)d new request and question waiting for a reply",
                "%(n)d new requests and questions waiting for a reply",
                "n",
            )
        ),
        filter_label=fixed(gettext_lazy("New, waiting for a reply")),
    )
)
register(
    request_check(
        key="unassigned-requests",
        condition=lambda qs, today: qs.filter(assigned_officer__isnull=True).exclude(status=Submission.Status.CLOSED),
        sentence=counted(
            ngettext_lazy(
                "%(n)d open request with no officer assigned", "%(n)d open requests with no officer assigned", "n"
            )
        ),
        filter_label=fixed(gettext_lazy("Open, no officer assigned")),
    )
)
register(
    program_check(
        key="review-due",
        condition=lambda qs, today: qs.filter(review_due_condition(today)),
        sentence=counted(
            ngettext_lazy("%(n)d program page is due for review", "%(n)d program pages are due for review", "n")
        ),
        filter_label=fixed(gettext_lazy("Review due")),
    )
)
register(
    schools_without_officer(
        "no-officer-this-year",
        _this_year,
        ngettext_lazy(
            "%(n)d school has no officer this school year (%(year)s)",
            "%(n)d schools have no officer this school year (%(year)s)",
            "n",
        ),
    )
)
register(
    schools_without_officer(
        "no-officer-next-year",
        _next_year,
        ngettext_lazy(
            "%(n)d school has no officer yet for next school year (%(year)s)",
            "%(n)d schools have no officer yet for next school year (%(year)s)",
            "n",
        ),
        applies=next_school_year_matters,
    )
)
register(
    AttentionCheck(
        key="officer-photo",
        model=Officer,
        agency_lookup="agency",
        condition=lambda qs, today: qs.filter(is_active=True).filter(Q(photo="") | ~written("photo_alt")),
        sentence=counted(
            ngettext_lazy(
                "%(n)d officer has no photo or photo description",
                "%(n)d officers have no photo or photo description",
                "n",
            )
        ),
        filter_label=fixed(gettext_lazy("No photo or photo description")),
        describe=lambda o: o.display_name,
    )
)
register(
    program_check(
        key="no-contact-email",
        condition=lambda qs, today: qs.filter(contact_email=""),
        sentence=counted(
            ngettext_lazy("%(n)d program has no contact email", "%(n)d programs have no contact email", "n")
        ),
        filter_label=fixed(gettext_lazy("No contact email")),
    )
)
register(
    AttentionCheck(
        key="alert-ends-today",
        model=Alert,
        agency_lookup="program__agency",
        condition=_alerts_ending_today,
        sentence=counted(ngettext_lazy("%(n)d alert ends today", "%(n)d alerts end today", "n")),
        filter_label=fixed(gettext_lazy("Ends today")),
        describe=lambda a: a.title,
    )
)
