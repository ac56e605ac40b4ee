"""What the open data publishes: each dataset's public rows (the same querysets
the public pages use), its filters, and the date its data last changed.

Public means what the pages show: programs that are published and what hangs
off them, officers who are serving, the privacy-protected yearly figures.
Drafts, form submissions, complaints, staff accounts and reminders are never
read here.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, Max, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement
from program_data import privacy
from program_data.measures import MEASURES
from program_data.models import FigureSet
from program_data.published import NOT_COLLECTED, WITHHELD, measure_year, school_ids
from programs.models import Agency, Assignment, EducationTopic, Officer, Outcome, Program, School

from . import schemas

# The page-cache tag of every open-data response (programs/invalidation.py bumps it on any change).
CACHE_TAG = "open-data"


def _published_program_of_agency(agency_ref):
    return Exists(Program.objects.published().filter(agency_id=OuterRef(agency_ref)))


def agencies():
    return Agency.objects.filter(_published_program_of_agency("pk")).select_related("state")


def programs():
    return (
        Program.objects.published()
        .select_related("agency__state")
        .prefetch_related(Prefetch("topics", queryset=EducationTopic.objects.order_by("slug")))
    )


def officers():
    """Serving officers of agencies with a published program: those the program pages list."""
    return (
        Officer.objects.filter(is_active=True)
        .filter(_published_program_of_agency("agency_id"))
        .select_related("agency")
    )


def schools():
    return School.objects.public().select_related("agency__state")


def assignments():
    """Which serving officer serves which school, each school year, for the published programs' agencies."""
    return (
        Assignment.objects.filter(officer__is_active=True)
        .filter(_published_program_of_agency("school__agency_id"))
        .select_related("officer", "school__agency")
    )


def topics():
    published = Program.objects.published().order_by("slug")
    return EducationTopic.objects.prefetch_related(
        Prefetch("programs", queryset=published, to_attr="published_programs")
    )


def outcomes():
    return Outcome.objects.filter(program__status=Program.Status.PUBLISHED).select_related("program")


def agreements():
    # Statuses follow today's date; cached responses never outlive the day (agreements/apps.py).
    return (
        Agreement.objects.with_status(timezone.localdate())
        .filter(partnership__program__status=Program.Status.PUBLISHED)
        .select_related("partnership__program")
    )


def figure_sets():
    return FigureSet.objects.published().select_related("program")


# Yearly figures as the program's data page shows them (program_data/published.py).
_STATUS = {
    privacy.SHOWN: "number",
    privacy.SMALL: "fewer_than_threshold",
    privacy.HIDDEN: "not_shown",
    WITHHELD: "breakdown_not_shown",
    NOT_COLLECTED: "not_collected",
}


def school_names_for(figure_set_list):
    """{school id: name} of the schools the figures name, in one query (none when no per-school figures)."""
    ids = school_ids(figure_set_list)
    return dict(School.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def figure_set_data(figure_set, school_names):
    measures = []
    for measure in MEASURES:
        year = measure_year(figure_set, measure, school_names)
        breakdowns = []
        for breakdown in year.breakdowns:
            groups = [_group(label, figure) for label, figure in breakdown.rows]
            breakdowns.append(
                {
                    "key": breakdown.key,
                    "label": _plain(breakdown.label),
                    "withheld": breakdown.withheld,
                    "groups": groups,
                }
            )
        measures.append(
            {
                "measure": measure.key,
                "label": _plain(measure.label),
                "status": _STATUS[year.total.status],
                "number": year.total.number,
                "text": _plain(year.total.text),
                "per_1000_students": float(year.rate.replace(",", "")) if year.rate else None,
                "breakdowns": breakdowns,
            }
        )
    return {
        "id": figure_set.pk,
        "program": figure_set.program.slug,
        "school_year": figure_set.school_year,
        "data_through": figure_set.data_through,
        "source": figure_set.source,
        "note": figure_set.note,
        "students_enrolled": figure_set.enrollment,
        "is_example": figure_set.is_example,
        "measures": measures,
    }


def _group(label, figure):
    return {
        "label": _plain(label),
        "status": _STATUS[figure.status],
        "number": figure.number,
        "text": _plain(figure.text),
    }


def _plain(text):
    """A label marked for translation, as text (the open data is in English: its addresses carry no language)."""
    return None if text is None else str(text)


@dataclass(frozen=True)
class Dataset:
    key: str  # the API's path and the CSV's name
    title: str
    description: str
    schema: type
    rows: object  # () -> the public queryset
    modified: object  # () -> the latest change, a datetime or None
    keywords: tuple = field(default=())

    @property
    def filters(self):
        return tuple(FILTER_LOOKUPS[self.key])


def _latest(model):
    """The time of the latest change recorded: the content history's, which also records deletions."""
    return model.history.aggregate(latest=Max("history_date"))["latest"]


DATASETS = [
    Dataset(
        "agencies",
        _("Agencies"),
        _("The police departments and sheriff's offices that run a published program, with their contacts."),
        schemas.AgencyOut,
        agencies,
        lambda: _latest(Agency),
        ("law enforcement", "agencies"),
    ),
    Dataset(
        "programs",
        _("Programs"),
        _("Each county's School Resource Officer program: what it does, how it is funded, whom to contact."),
        schemas.ProgramOut,
        programs,
        lambda: _latest(Program),
        ("school resource officers", "programs"),
    ),
    Dataset(
        "officers",
        _("Officers"),
        _("The School Resource Officers and supervisors now serving, with the contacts their program publishes."),
        schemas.OfficerOut,
        officers,
        lambda: _latest(Officer),
        ("school resource officers", "officers"),
    ),
    Dataset(
        "schools",
        _("Schools"),
        _("The schools the programs serve, with their IDs in the federal school directory (NCES) where known."),
        schemas.SchoolOut,
        schools,
        lambda: _latest(School),
        ("schools", "NCES"),
    ),
    Dataset(
        "assignments",
        _("Assignments by school year"),
        _("Which officer serves which school, for each school year (a school year starts on July 1)."),
        schemas.AssignmentOut,
        assignments,
        lambda: _latest(Assignment),
        ("school resource officers", "schools"),
    ),
    Dataset(
        "topics",
        _("Classroom topics"),
        _("The topics officers teach in classrooms, and which programs teach each."),
        schemas.TopicOut,
        topics,
        lambda: _latest(EducationTopic),
        ("education",),
    ),
    Dataset(
        "outcomes",
        _("Outcomes"),
        _("Results the programs report, each with who measured it."),
        schemas.OutcomeOut,
        outcomes,
        lambda: _latest(Outcome),
        ("outcomes",),
    ),
    Dataset(
        "agreements",
        _("Agreements with school districts"),
        _("The agreements (memorandums of understanding) between agencies and school districts, with their dates."),
        schemas.AgreementOut,
        agreements,
        lambda: _latest(Agreement),
        ("memorandum of understanding", "agreements"),
    ),
    Dataset(
        "figures",
        _("Yearly figures"),
        _(
            "Each program's figures per school year (referrals to law enforcement, school-related arrests, "
            "presentations, use of force, complaints), with counts of fewer than 10 students never published."
        ),
        schemas.FigureSetOut,
        figure_sets,
        lambda: _latest(FigureSet),
        ("referrals", "arrests", "CRDC"),
    ),
]
DATASETS_BY_KEY = {dataset.key: dataset for dataset in DATASETS}

# How each filter narrows each dataset: the lookup from its rows.
FILTER_LOOKUPS = {
    "agencies": {"state": "state__code__iexact", "county": "county__iexact"},
    "programs": {"state": "agency__state__code__iexact", "county": "agency__county__iexact", "agency": "agency__slug"},
    "officers": {"state": "agency__state__code__iexact", "county": "agency__county__iexact", "agency": "agency__slug"},
    "schools": {
        "state": "agency__state__code__iexact",
        "county": "agency__county__iexact",
        "agency": "agency__slug",
        "nces_id": "nces_id",
    },
    "assignments": {
        "state": "school__agency__state__code__iexact",
        "county": "school__agency__county__iexact",
        "agency": "school__agency__slug",
        "school_year": "school_year",
        "nces_id": "school__nces_id",
    },
    "topics": {},
    "outcomes": {
        "state": "program__agency__state__code__iexact",
        "county": "program__agency__county__iexact",
        "agency": "program__agency__slug",
        "program": "program__slug",
    },
    "agreements": {
        "state": "partnership__program__agency__state__code__iexact",
        "county": "partnership__program__agency__county__iexact",
        "agency": "partnership__program__agency__slug",
        "program": "partnership__program__slug",
    },
    "figures": {
        "state": "program__agency__state__code__iexact",
        "county": "program__agency__county__iexact",
        "agency": "program__agency__slug",
        "program": "program__slug",
        "school_year": "school_year",
    },
}


def filtered(key, rows, values):
    """`rows` narrowed by the filters given (a dict of filter name to value; empty values are ignored)."""
    lookups = FILTER_LOOKUPS[key]
    conditions = {lookups[name]: value for name, value in values.items() if value not in (None, "")}
    return rows.filter(**conditions) if conditions else rows
