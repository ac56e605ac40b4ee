"""The editor's home, the admin index for staff: their programs, what needs attention
and what others changed lately. A constant number of queries however many programs,
schools and requests there are (tests/editor_home/test_home.py holds it to that)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from programs import models as domain

from .attention import attention_items
from .reviews import is_review_due

# A superuser's home lists this many programs, those longest unreviewed first, and links to the rest.
PROGRAM_LIMIT = 25
RECENT_CHANGES_LIMIT = 10


@dataclass(frozen=True)
class ProgramRow:
    program: domain.Program
    edit_url: str
    review_due: bool
    can_confirm_review: bool


def my_programs(request, site, agency_ids, today: date):
    """(rows, total or None): the programs of the editor's agencies, longest unreviewed first."""
    programs = domain.Program.objects.select_related("agency").order_by(
        F("last_reviewed").asc(nulls_first=True), "agency__county", "name"
    )
    if agency_ids is not None:
        programs = programs.filter(agency_id__in=agency_ids)
    shown = list(programs[: PROGRAM_LIMIT + 1])
    total = None
    if len(shown) > PROGRAM_LIMIT:
        shown, total = shown[:PROGRAM_LIMIT], programs.count()
    program_admin = site._registry[domain.Program]
    rows = [
        ProgramRow(
            program=program,
            edit_url=reverse("admin:programs_program_change", args=[program.pk]),
            review_due=is_review_due(program, today),
            can_confirm_review=program_admin.has_change_permission(request, program),
        )
        for program in shown
    ]
    return rows, total


# What "Recent changes" reads: each model's history, the path to its agency, and how to name a version.
RECENT_SOURCES = [
    (domain.Program, "agency_id", (), lambda h: h.name),
    (domain.Agency, "id", (), lambda h: h.name),
    (domain.Goal, "program__agency_id", (), lambda h: h.title),
    (domain.MissionRole, "program__agency_id", (), lambda h: h.name),
    (domain.Outcome, "program__agency_id", (), lambda h: f"{h.figure} {h.label}"),
    (domain.Photo, "program__agency_id", (), lambda h: h.alt_text),
    (domain.Partnership, "program__agency_id", (), lambda h: h.district),
    (domain.Alert, "program__agency_id", (), lambda h: h.title),
    (domain.Officer, "agency_id", (), lambda h: f"{h.first_name} {h.last_name}"),
    (domain.School, "agency_id", (), lambda h: h.name),
    (
        domain.Assignment,
        "school__agency_id",
        ("officer", "school"),
        lambda h: _("%(officer)s at %(school)s") % {"officer": h.officer, "school": h.school},
    ),
]
# What a person did, as the line "Ana · changed program Jefferson County" says it.
ACTIONS = {
    "+": pgettext_lazy("recent change", "added"),
    "~": pgettext_lazy("recent change", "changed"),
    "-": pgettext_lazy("recent change", "deleted"),
}


@dataclass(frozen=True)
class Change:
    when: datetime
    who: str
    action: str
    kind: str
    name: str
    reason: str
    reason_lang: str | None  # "en" where the reason has no translation (a file's name in it)
    url: str


def _untranslated_language(reason):
    """The default language where a stored reason (written in English) has no translation into the active one."""
    if not reason or translation.get_language() == settings.LANGUAGE_CODE or _(reason) != reason:
        return None
    return settings.LANGUAGE_CODE


def recent_changes(user, agency_ids, limit=RECENT_CHANGES_LIMIT):
    """The latest changes by other people in these agencies, from the content history (one query per model)."""
    changes = []
    for model, agency_path, related, name in RECENT_SOURCES:
        versions = model.history.filter(history_user__isnull=False).exclude(history_user=user)
        if agency_ids is not None:
            versions = versions.filter(**{f"{agency_path}__in": agency_ids})
        versions = versions.select_related("history_user", *related).order_by("-history_date")[:limit]
        opts = model._meta
        for version in versions:
            person = version.history_user
            deleted = version.history_type == "-"
            reason = version.history_change_reason or ""
            changes.append(
                Change(
                    when=version.history_date,
                    who=person.get_full_name() or person.get_username(),
                    action=ACTIONS.get(version.history_type, ACTIONS["~"]),
                    kind=opts.verbose_name,
                    name=name(version),
                    reason=_(reason) if reason else "",  # gettext("") would be the catalogue's header
                    reason_lang=_untranslated_language(reason),
                    url=""
                    if deleted
                    else reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[version.id]),
                )
            )
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:limit]


def home_context(request, site):
    today = timezone.localdate()
    agency_ids = domain.editable_agency_ids(request.user)
    rows, total = my_programs(request, site, agency_ids, today)
    return {
        "my_programs": rows,
        "programs_total": total,
        "programs_list_url": reverse("admin:programs_program_changelist"),
        "attention_items": attention_items(agency_ids, today),
        "recent_changes": recent_changes(request.user, agency_ids),
        "is_superuser": request.user.is_superuser,
        "today": today,
    }
