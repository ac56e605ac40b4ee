"""A synthetic national data set, to see how the site behaves at the size of the country.

`generate_scale_data` (the command) builds, from a seed, the same data every
time: agencies across the 50 states and DC (as many in a state as it has
counties, roughly), one program each (some drafts), schools skewed as real
ones are (most agencies have a few, some have hundreds, a few none), officers
each serving 1 to 4 schools this school year, and schools with no officer.
Every name says it is synthetic ("Example 0412 County Sheriff's Office",
"Example Elementary 088213"), and every officer and school is flagged as an
example, which the public pages label.

What is generated is found by one marker: the agency's slug starts with
"example-". Everything else hangs off those agencies. The seed counties of
`load_demo` (and any real agency) are never read, changed or deleted.

Rows are written with bulk inserts in one transaction (signals do not fire),
then the program pages' documents and the cached pages are marked stale once.
"""

import random
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import Q

from . import invalidation
from .models import Agency, Assignment, Officer, Program, ProgramPage, School, State, current_school_year
from .search import refresh_search_words

GENERATED_SLUG_PREFIX = "example-"
BATCH_SIZE = 2000
MAX_AGENCIES = 9999  # four digits in names, slugs and NCES district IDs
MAX_SCHOOLS_PER_AGENCY = 300
NO_SCHOOLS_SHARE = 0.05  # agencies that serve no school (yet)
DRAFT_SHARE = 0.08  # programs not published
POLICE_SHARE = 0.3  # the rest are sheriff's offices
SCHOOLS_PER_OFFICER = ([1, 2, 3, 4], [10, 20, 30, 40])  # choices and their weights

# (postal code, name, FIPS code, number of counties, rounded): agencies are
# spread over the states as counties are. A table rather than a package: the
# county counts are ours, and 51 lines are easier to read than a dependency.
STATES = [
    ("AL", "Alabama", "01", 67),
    ("AK", "Alaska", "02", 30),
    ("AZ", "Arizona", "04", 15),
    ("AR", "Arkansas", "05", 75),
    ("CA", "California", "06", 58),
    ("CO", "Colorado", "08", 64),
    ("CT", "Connecticut", "09", 8),
    ("DE", "Delaware", "10", 3),
    ("DC", "District of Columbia", "11", 1),
    ("FL", "Florida", "12", 67),
    ("GA", "Georgia", "13", 159),
    ("HI", "Hawaii", "15", 5),
    ("ID", "Idaho", "16", 44),
    ("IL", "Illinois", "17", 102),
    ("IN", "Indiana", "18", 92),
    ("IA", "Iowa", "19", 99),
    ("KS", "Kansas", "20", 105),
    ("KY", "Kentucky", "21", 120),
    ("LA", "Louisiana", "22", 64),
    ("ME", "Maine", "23", 16),
    ("MD", "Maryland", "24", 24),
    ("MA", "Massachusetts", "25", 14),
    ("MI", "Michigan", "26", 83),
    ("MN", "Minnesota", "27", 87),
    ("MS", "Mississippi", "28", 82),
    ("MO", "Missouri", "29", 115),
    ("MT", "Montana", "30", 56),
    ("NE", "Nebraska", "31", 93),
    ("NV", "Nevada", "32", 17),
    ("NH", "New Hampshire", "33", 10),
    ("NJ", "New Jersey", "34", 21),
    ("NM", "New Mexico", "35", 33),
    ("NY", "New York", "36", 62),
    ("NC", "North Carolina", "37", 100),
    ("ND", "North Dakota", "38", 53),
    ("OH", "Ohio", "39", 88),
    ("OK", "Oklahoma", "40", 77),
    ("OR", "Oregon", "41", 36),
    ("PA", "Pennsylvania", "42", 67),
    ("RI", "Rhode Island", "44", 5),
    ("SC", "South Carolina", "45", 46),
    ("SD", "South Dakota", "46", 66),
    ("TN", "Tennessee", "47", 95),
    ("TX", "Texas", "48", 254),
    ("UT", "Utah", "49", 29),
    ("VT", "Vermont", "50", 14),
    ("VA", "Virginia", "51", 133),
    ("WA", "Washington", "53", 39),
    ("WV", "West Virginia", "54", 55),
    ("WI", "Wisconsin", "55", 72),
    ("WY", "Wyoming", "56", 23),
]

# (level, name in the school's name, lowest grade, highest grade, weight)
LEVELS = [
    (School.Level.ELEMENTARY, "Elementary", "KG", "05", 55),
    (School.Level.MIDDLE, "Middle", "06", "08", 20),
    (School.Level.HIGH, "High", "09", "12", 20),
    (School.Level.SECONDARY, "Secondary", "07", "12", 5),
]


class ScaleDataError(Exception):
    """The data set cannot be generated; the message says why and what to do."""


@dataclass
class ScaleDataResult:
    agencies: int = 0
    programs: int = 0
    draft_programs: int = 0
    schools: int = 0
    officers: int = 0
    assignments: int = 0
    vacant_schools: int = 0
    states: int = 0
    replaced: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=dict)


def generated_agencies():
    return Agency.objects.filter(slug__startswith=GENERATED_SLUG_PREFIX)


def generate(agencies, schools, officers, seed=0, replace=False):
    """Build the data set; ScaleDataError if the numbers cannot be met or generated data is already there."""
    _check_sizes(agencies, schools, officers)
    result = ScaleDataResult()
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    year = current_school_year()
    with transaction.atomic():
        existing = list(generated_agencies().values_list("pk", flat=True))
        if existing and not replace:
            raise ScaleDataError(
                f"The site already holds generated data ({len(existing)} agencies whose web address starts with "
                f"'{GENERATED_SLUG_PREFIX}'). Run again with --replace to delete it and generate anew; "
                "nothing else on the site is touched."
            )
        if existing:
            result.replaced = _delete_generated()
        states = _states(result)
        plan = _plan(rng, agencies, schools, officers)
        _write(plan, states, year, result)
        # Bulk writes fire no signals: program documents and cached pages are marked stale once, here.
        invalidation.site_changed_in_bulk()
        refresh_search_words()
    refresh_planner_statistics()
    return result


def refresh_planner_statistics():
    """After a bulk load, what autovacuum would do some minutes later: fresh row counts
    for the query planner, and (PostgreSQL) the search indexes' pending entries merged.
    Without it the first searches read the whole school table (0.9 s instead of milliseconds)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT gin_clean_pending_list(indexrelid::regclass) FROM pg_index "
                "JOIN pg_class ON pg_class.oid = pg_index.indexrelid JOIN pg_am ON pg_am.oid = pg_class.relam "
                "WHERE pg_am.amname = 'gin' AND pg_index.indrelid = %s::regclass",
                [School._meta.db_table],
            )
        cursor.execute("ANALYZE")


def _check_sizes(agencies, schools, officers):
    if not 1 <= agencies <= MAX_AGENCIES:
        raise ScaleDataError(f"--agencies must be between 1 and {MAX_AGENCIES}.")
    if schools < 0 or officers < 0:
        raise ScaleDataError("--schools and --officers cannot be negative.")
    most_schools = round(agencies * (1 - NO_SCHOOLS_SHARE)) * MAX_SCHOOLS_PER_AGENCY
    if schools > most_schools:
        raise ScaleDataError(
            f"{schools} schools do not fit in {agencies} agencies of at most {MAX_SCHOOLS_PER_AGENCY} schools each: "
            "ask for more agencies or fewer schools."
        )
    if officers > schools + agencies:
        raise ScaleDataError(
            f"{officers} officers are more than the schools and supervisors there are to give them "
            f"({schools} schools, one supervisor for each of {agencies} agencies): ask for fewer officers."
        )


def _states(result):
    """The 50 states and DC, creating those the site does not have yet (existing ones are left as they are)."""
    have = {state.code: state for state in State.objects.all()}
    missing = [State(code=code, name=name) for code, name, _, _ in STATES if code not in have]
    State.objects.bulk_create(missing)
    result.states = len(missing)
    have.update({state.code: state for state in State.objects.filter(code__in=[s.code for s in missing])})
    return {code: have[code] for code, *_ in STATES}


# Planning: every number and name decided in memory, from the seed alone -------


def apportion(total, weights, cap):
    """Split `total` into whole numbers proportional to `weights`, none above `cap` (largest remainders).

    `cap` is one number for all, or a list of one for each weight.
    """
    caps = cap if isinstance(cap, list) else [cap] * len(weights)
    counts = [0] * len(weights)
    remaining = total
    active = [i for i, weight in enumerate(weights) if weight > 0]
    while remaining > 0 and active:
        weight_sum = sum(weights[i] for i in active)
        shares = {i: remaining * weights[i] / weight_sum for i in active}
        for i in active:
            add = min(int(shares[i]), caps[i] - counts[i])
            counts[i] += add
            remaining -= add
        if remaining and all(counts[i] < caps[i] for i in active):
            # Less than one each is left: the largest fractions take one each.
            for i in sorted(active, key=lambda i: int(shares[i]) - shares[i])[:remaining]:
                counts[i] += 1
                remaining -= 1
        active = [i for i in active if counts[i] < caps[i]]
    if remaining:
        raise ScaleDataError(f"Cannot share {total} among {len(weights)} agencies within their limits.")
    return counts


@dataclass
class PlannedAgency:
    number: int
    state_code: str
    fips: str
    kind: str
    draft: bool
    schools: list  # (global number, level index) of each school
    officers: list  # per officer: (global number, is supervisor, indexes into `schools` served)


def _plan(rng, agency_count, school_count, officer_count):
    by_state = apportion(agency_count, [counties for *_, counties in STATES], cap=agency_count)
    state_of = [(code, fips) for (code, _, fips, _), n in zip(STATES, by_state, strict=True) for _ in range(n)]
    # Skewed like real counties: a lognormal draw, some agencies with none.
    weights = [0.0 if rng.random() < NO_SCHOOLS_SHARE else rng.lognormvariate(0, 1.3) for _ in state_of]
    if school_count and not any(weights):
        weights[0] = 1.0
    schools_of = apportion(school_count, weights, cap=MAX_SCHOOLS_PER_AGENCY)
    # Officers where the schools are, about one for every four; at most one a school plus a supervisor.
    officers_of = apportion(officer_count, schools_of, cap=[n + 1 for n in schools_of])

    level_weights = list(accumulate(weight for *_, weight in LEVELS))
    plans, school_number, officer_number = [], 0, 0
    for index, ((code, fips), n_schools, n_officers) in enumerate(zip(state_of, schools_of, officers_of, strict=True)):
        schools = []
        for _ in range(n_schools):
            school_number += 1
            schools.append((school_number, rng.choices(range(len(LEVELS)), cum_weights=level_weights)[0]))
        officers = []
        pool = list(range(n_schools))
        rng.shuffle(pool)
        for position in range(n_officers):
            officer_number += 1
            supervisor = position == 0 and n_officers > 1
            served = []
            if not supervisor and n_schools:
                wanted = rng.choices(*SCHOOLS_PER_OFFICER)[0]
                served, pool = pool[:wanted], pool[wanted:]
                if not served:  # every school has its officer already: a second one in a school
                    served = [rng.randrange(n_schools)]
            officers.append((officer_number, supervisor, served))
        plans.append(
            PlannedAgency(
                number=index + 1,
                state_code=code,
                fips=fips,
                kind=Agency.Kind.POLICE_DEPARTMENT if rng.random() < POLICE_SHARE else Agency.Kind.SHERIFFS_OFFICE,
                draft=rng.random() < DRAFT_SHARE,
                schools=schools,
                officers=officers,
            )
        )
    return plans


# Writing ---------------------------------------------------------------------


def _write(plans, states, year, result):
    width = max(5, len(str(sum(len(plan.schools) for plan in plans))))
    agencies = [_agency(plan, states) for plan in plans]
    Agency.objects.bulk_create(agencies, batch_size=BATCH_SIZE)
    programs = [_program(plan, agency) for plan, agency in zip(plans, agencies, strict=True)]
    Program.objects.bulk_create(programs, batch_size=BATCH_SIZE)

    schools_of = [
        [_school(plan, agency, n, level, position, width) for position, (n, level) in enumerate(plan.schools, 1)]
        for plan, agency in zip(plans, agencies, strict=True)
    ]
    all_schools = [s for schools in schools_of for s in schools]
    taken = set(School.objects.exclude(nces_id="").values_list("nces_id", flat=True))
    clashes = [school.nces_id for school in all_schools if school.nces_id in taken]
    if clashes:
        raise ScaleDataError(
            f"{len(clashes)} NCES school IDs the generator would use already belong to schools of the site "
            f"(e.g. {clashes[0]}). Generate into a database without them."
        )
    School.objects.bulk_create(all_schools, batch_size=BATCH_SIZE)

    officers, served = [], []
    for plan, agency, schools in zip(plans, agencies, schools_of, strict=True):
        for number, supervisor, indexes in plan.officers:
            officers.append(_officer(agency, number, supervisor))
            served.append([schools[i] for i in indexes])
    Officer.objects.bulk_create(officers, batch_size=BATCH_SIZE)
    assignments = [
        Assignment(officer=officer, school=school, school_year=year)
        for officer, schools in zip(officers, served, strict=True)
        for school in schools
    ]
    Assignment.objects.bulk_create(assignments, batch_size=BATCH_SIZE)

    result.agencies = result.programs = len(agencies)
    result.draft_programs = sum(plan.draft for plan in plans)
    result.schools = sum(len(schools) for schools in schools_of)
    result.officers = len(officers)
    result.assignments = len(assignments)
    result.vacant_schools = result.schools - len({a.school.pk for a in assignments})
    result.examples = {
        "agencies": [a.name for a in agencies[:3]],
        "schools": [s.name for schools in schools_of for s in schools][:3],
        "officers": [o.display_name for o in officers[:3]],
    }


def _phone(number):
    """A fictional number: 555-0100 to 555-0199 are never assigned."""
    return f"+1202555{100 + number % 100:04d}"


def _agency(plan, states):
    county = f"Example {plan.number:04d}"
    kind_name = "Police Department" if plan.kind == Agency.Kind.POLICE_DEPARTMENT else "Sheriff's Office"
    name = f"{county} County {kind_name}"
    return Agency(
        name=name,
        slug=f"{GENERATED_SLUG_PREFIX}{plan.number:04d}-county-{_kind_slug(plan.kind)}",
        kind=plan.kind,
        county=county,
        state=states[plan.state_code],
        phone=_phone(plan.number),
        city=county,
    )


def _kind_slug(kind):
    return "police-department" if kind == Agency.Kind.POLICE_DEPARTMENT else "sheriffs-office"


def _program(plan, agency):
    return Program(
        agency=agency,
        name="School Resource Officer Program",
        slug=f"{GENERATED_SLUG_PREFIX}{plan.number:04d}-county",
        summary="Synthetic data for testing the site at national scale: not a real county or program.",
        overview=(
            "This program was generated to test the site with the number of agencies, schools and officers "
            "of the whole country.\n\nIts names, numbers and people are made up."
        ),
        status=Program.Status.DRAFT if plan.draft else Program.Status.PUBLISHED,
        contact_division="Example Community Education Division",
        contact_phone=_phone(plan.number),
    )


def _school(plan, agency, number, level, position, width):
    level, level_name, lowest, highest, _ = LEVELS[level]
    name = f"Example {level_name} {number:0{width}d}"
    district_id = f"{plan.fips}8{plan.number:04d}"  # 8xxxx: district numbers no real directory file uses
    return School(
        agency=agency,
        name=name,
        slug=f"example-{level_name.lower()}-{number:0{width}d}",
        district=f"Example {plan.number:04d} School District",
        city=agency.city,
        level=level,
        grade_lowest=lowest,
        grade_highest=highest,
        nces_id=f"{district_id}{position:05d}",
        nces_district_id=district_id,
        is_example=True,
    )


def _officer(agency, number, supervisor):
    rank = "Sergeant" if supervisor else ("Officer" if agency.kind == Agency.Kind.POLICE_DEPARTMENT else "Deputy")
    return Officer(
        agency=agency,
        first_name="Example",
        last_name=f"Person {number:05d}",
        rank=rank,
        role=Officer.Role.SUPERVISOR if supervisor else Officer.Role.SRO,
        phone=_phone(number),
        email=f"officer{number:05d}@example.org",
        is_example=True,
    )


# Replacing -------------------------------------------------------------------

# The generated data's tables, children first, and the path from each to the agency.
GENERATED_TABLES = [
    (Assignment, ("school__agency", "officer__agency")),  # either side generated
    (ProgramPage, "program__agency"),
    (Program.topics.through, "program__agency"),
    (Officer, "agency"),
    (School, "agency"),
    (Program, "agency"),
    (Agency, None),
]


def _delete_generated():
    """Delete the generated agencies and everything that hangs off them; counts by model.

    Django's delete() would load each of ~200,000 rows and send signals for it
    (page invalidation, a history record of a record that never had history):
    minutes. These tables are deleted with one statement each; the few rows
    that refer to them from elsewhere (a submission, an editor's membership,
    a goal added by hand) first go through the ORM as their on_delete says.
    """
    deleted = Counter()
    bulk_models = {model for model, _ in GENERATED_TABLES}
    for model, lookup in GENERATED_TABLES:
        paths = lookup if isinstance(lookup, tuple) else (lookup,)
        marker = Q()
        for path in paths:
            marker |= Q(**{f"{path}__slug__startswith" if path else "slug__startswith": GENERATED_SLUG_PREFIX})
        rows = model._base_manager.filter(marker)
        for relation in model._meta.get_fields(include_hidden=True):
            if not (relation.auto_created and not relation.concrete and relation.related_model not in bulk_models):
                continue
            if not (relation.one_to_many or relation.one_to_one):
                continue
            on_delete = relation.on_delete
            referring = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": rows})
            if on_delete is models.DO_NOTHING:  # history records: kept, as for any deleted object
                continue
            if on_delete is models.SET_NULL:
                referring.update(**{relation.field.name: None})
            else:  # CASCADE, and PROTECT too: what refers to generated data is test data as well
                _, by_model = referring.delete()
                deleted.update({apps.get_model(label)._meta.verbose_name_plural: n for label, n in by_model.items()})
        # A private but long-stable API: one DELETE statement, no signals, no loading.
        deleted[str(model._meta.verbose_name_plural)] += rows._raw_delete(rows.db)
    return deleted
