"""`generate_scale_data`: a synthetic data set of national size, here at a small size (the national one is
measured by hand: docs/editors/imports.md and bench/RESULTS.md)."""

import io
import random
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from inbox.models import Submission
from page_cache.pages import current_versions
from programs import scale_data
from programs.models import (
    Agency,
    AgencyMembership,
    Assignment,
    Goal,
    Officer,
    Program,
    ProgramPage,
    School,
    State,
    current_school_year,
)
from programs.program_pages import rebuild
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

SMALL = ["--agencies", "30", "--schools", "500", "--officers", "120"]


def generate(*options):
    out = io.StringIO()
    call_command("generate_scale_data", *SMALL, *options, stdout=out)
    return out.getvalue()


def snapshot():
    """Everything the generator writes, without database ids."""
    return {
        "agencies": sorted(Agency.objects.values_list("name", "slug", "kind", "state__code")),
        "programs": sorted(Program.objects.values_list("slug", "status", "agency__slug")),
        "schools": sorted(School.objects.values_list("name", "slug", "nces_id", "level", "agency__slug")),
        "officers": sorted(Officer.objects.values_list("first_name", "last_name", "rank", "role", "agency__slug")),
        "assignments": sorted(Assignment.objects.values_list("officer__last_name", "school__nces_id", "school_year")),
    }


def demo_records():
    return {
        "agencies": list(Agency.objects.exclude(slug__startswith="example-").order_by("pk").values()),
        "programs": list(Program.objects.exclude(agency__slug__startswith="example-").order_by("pk").values()),
        "officers": list(Officer.objects.exclude(agency__slug__startswith="example-").order_by("pk").values()),
        "schools": list(School.objects.exclude(agency__slug__startswith="example-").order_by("pk").values()),
        "assignments": list(
            Assignment.objects.exclude(school__agency__slug__startswith="example-").order_by("pk").values()
        ),
    }


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())
    return demo_records()


# The shape of the data ---------------------------------------------------------------


def test_it_generates_exactly_the_numbers_asked_for():
    out = generate()
    assert Agency.objects.count() == 30
    assert Program.objects.count() == 30
    assert School.objects.count() == 500
    assert Officer.objects.count() == 120
    assert "Generated 30 agencies, 30 programs" in out
    assert "500 schools" in out


def test_every_name_says_it_is_synthetic():
    generate()
    assert all(
        re.fullmatch(r"Example \d{4} County (Sheriff's Office|Police Department)", n)
        for n in Agency.objects.values_list("name", flat=True)
    )
    assert all(
        re.fullmatch(r"Example (Elementary|Middle|High|Secondary) \d{5}", n)
        for n in School.objects.values_list("name", flat=True)
    )
    assert set(Officer.objects.values_list("first_name", flat=True)) == {"Example"}
    assert not Officer.objects.filter(is_example=False).exists()
    assert not School.objects.filter(is_example=False).exists()
    assert all(slug.startswith("example-") for slug in Agency.objects.values_list("slug", flat=True))


def test_schools_have_unique_twelve_digit_nces_ids():
    generate()
    ids = list(School.objects.values_list("nces_id", flat=True))
    assert all(re.fullmatch(r"\d{12}", nces_id) for nces_id in ids)
    assert len(set(ids)) == len(ids)


def test_it_has_the_shape_of_real_data():
    generate("--agencies", "60", "--schools", "3000", "--officers", "700")
    per_agency = Counter(School.objects.values_list("agency_id", flat=True))
    counts = sorted(per_agency.get(pk, 0) for pk in Agency.objects.values_list("pk", flat=True))
    assert max(counts) <= scale_data.MAX_SCHOOLS_PER_AGENCY
    assert counts[len(counts) // 2] < 3000 / 60, "skewed: most agencies have fewer schools than the average"
    assert max(counts) > 3 * 3000 / 60, "and some have many"
    served = Counter(Assignment.objects.values_list("officer_id", flat=True))
    sros = Officer.objects.filter(role=Officer.Role.SRO)
    assert all(1 <= served[officer.pk] <= 4 for officer in sros)
    assert not Assignment.objects.exclude(school_year=current_school_year()).exists()
    assert School.objects.filter(assignments__isnull=True).exists(), "some schools have no officer"
    assert Program.objects.filter(status=Program.Status.DRAFT).exists()
    assert Program.objects.filter(status=Program.Status.PUBLISHED).exists()
    assert all(
        Officer.objects.filter(agency=agency, role=Officer.Role.SUPERVISOR).count() <= 1
        for agency in Agency.objects.all()
    )
    assert not Assignment.objects.exclude(officer__agency=F("school__agency")).exists()


def test_the_national_plan_covers_the_50_states_and_dc_with_several_programs_each():
    plans = scale_data._plan(random.Random(1), 3100, 100_000, 25_000)  # noqa: S311
    by_state = Counter(plan.state_code for plan in plans)
    assert len(by_state) == 51
    assert min(count for code, count in by_state.items() if code != "DC") >= 3
    assert sum(len(plan.schools) for plan in plans) == 100_000
    assert sum(len(plan.officers) for plan in plans) == 25_000
    assert max(len(plan.schools) for plan in plans) == scale_data.MAX_SCHOOLS_PER_AGENCY
    assert any(not plan.schools for plan in plans)


def test_states_the_site_lacks_are_added_and_those_it_has_kept():
    State.objects.create(code="MO", name="Missouri", tip_line_name="Courage2ReportMO")
    generate()
    assert State.objects.count() == 51
    assert State.objects.get(code="MO").tip_line_name == "Courage2ReportMO"


# The same seed, the same data ---------------------------------------------------------------


def test_the_same_seed_gives_the_same_data():
    generate("--seed", "7")
    first = snapshot()
    generate("--seed", "7", "--replace")
    assert snapshot() == first


def test_another_seed_gives_other_data():
    generate("--seed", "7")
    first = snapshot()
    generate("--seed", "8", "--replace")
    assert snapshot() != first


# The seed counties, and data that is not generated -------------------------------------------


def test_the_seed_counties_are_never_changed(demo):
    generate()
    generate("--replace")
    assert demo_records() == demo
    assert Agency.objects.count() == 32


def test_it_works_without_the_seed_counties():
    generate()
    assert not Agency.objects.exclude(slug__startswith="example-").exists()


def test_it_refuses_to_run_twice_without_replace(demo):
    generate()
    before = snapshot()
    with pytest.raises(CommandError, match="already holds generated data .* Run again with --replace"):
        generate("--seed", "3")
    assert snapshot() == before


def test_replace_deletes_only_generated_records_and_what_hangs_off_them(demo):
    generate()
    program = Program.objects.filter(agency__slug__startswith="example-").first()
    Goal.objects.create(program=program, title="Added by hand")
    Submission.objects.create(program=program, kind="question", name="Q", email="q@example.org")
    editor = UserFactory(is_staff=True)
    AgencyMembership.objects.create(user=editor, agency=program.agency)
    demo_program = Program.objects.get(slug="jefferson-county")
    generated_school = School.objects.filter(agency__slug__startswith="example-").first()
    kept = Submission.objects.create(
        program=demo_program, kind="question", name="Kept", email="k@example.org", school=generated_school
    )
    out = generate("--replace")
    assert "Deleted the data generated before: 30 agencies" in out
    assert not Goal.objects.filter(title="Added by hand").exists()
    assert not AgencyMembership.objects.filter(user=editor).exists()
    assert Submission.objects.get() == kept
    kept.refresh_from_db()
    assert kept.school is None
    assert demo_records() == demo


# Caches and read models -------------------------------------------------------------------------


def test_program_pages_and_every_cached_page_are_marked_stale_once(demo, django_capture_on_commit_callbacks):
    program = Program.objects.get(slug="jefferson-county")
    rebuild(program.pk)
    assert ProgramPage.objects.get(pk=program.pk).data is not None
    versions = current_versions(["programs", "search", "alerts"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        generate()
    assert len(callbacks) == 1
    assert ProgramPage.objects.get(pk=program.pk).data is None
    assert current_versions(["programs", "search", "alerts"]).keys() == versions.keys()
    assert all(current_versions([tag])[tag] != version for tag, version in versions.items()), "every tag bumped"


def test_an_nces_id_the_site_already_has_is_refused_and_nothing_changes():
    generate()
    taken = School.objects.order_by("pk").first().nces_id
    generate("--replace")  # the same seed gives the same IDs...
    School.objects.filter(nces_id=taken).update(agency=AgencyFactory(slug="real-agency"))  # ...one is now real
    before = snapshot()
    with pytest.raises(CommandError, match=f"already belong to schools of the site .e.g. {taken}"):
        generate("--replace")
    assert snapshot() == before


# Refusals -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--agencies", "0"], "--agencies must be between 1 and 9999"),
        (["--agencies", "2", "--schools", "900"], "900 schools do not fit in 2 agencies"),
        (["--agencies", "2", "--schools", "10", "--officers", "50"], "50 officers are more than"),
    ],
)
def test_impossible_sizes_are_refused_with_the_reason(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_scale_data", *options, stdout=io.StringIO())
    assert not Agency.objects.exists()


def test_the_load_leaves_fresh_statistics_for_the_query_planner():
    """Else the first searches after a load read the whole school table."""
    from django.db import connection

    scale_data.generate(agencies=20, schools=300, officers=60)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'programs_school'")
            assert cursor.fetchone()[0] >= 300
        else:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'programs_school'")
            assert cursor.fetchone()[0] > 0
