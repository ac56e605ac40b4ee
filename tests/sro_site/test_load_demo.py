"""The demo data carries every fact of the two seed pages (../shared/seeds/)."""

import os
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from programs import demo as load_demo
from programs.models import (
    Agency,
    Assignment,
    EducationTopic,
    Goal,
    MissionRole,
    Officer,
    Outcome,
    Program,
    School,
    State,
)
from tests.factories import AgencyFactory, SchoolFactory
from tests.programs.test_staff_editing import form_as_posted

pytestmark = pytest.mark.django_db

ST_CHARLES_FACTS = [
    "St. Charles County Police Department",
    "St. Charles County Government",
    "1997",
    "unincorporated",
    "community-oriented policing",
    "drugs, weapons and violence",
    "Advisor",
    "Educator",
    "Law-enforcement officer",
    "60%",
    "criminal offenses",
    "since the program began in 1997",
    "Driver safety",
    "Drugs and alcohol",
    "Emergency preparedness",
    "Problem resolution",
    "outside resources",
    "specially trained",
    "comfort and security",
    "respect for law-enforcement officers",
    "good conduct and open communication",
    "practical learning, health, safety concerns",
    "mentor",
    "make arrests",
    "juvenile authorities",
    "justice system",
    "juvenile court",
    "Community Education Division",
    'href="tel:+16369493006"',
    "(636) 949-3006",
]

JEFFERSON_FACTS = [
    "Jefferson County Sheriff&#x27;s Office",
    "Grant-funded",
    "school districts",
    "community policing",
    "Zachary Faulkner",
    "SRO Supervisor",
    'href="tel:+16367975023"',
    "(636) 797-5023",
    "behind the badge",
    "role model",
    "Deter crime",
    "classroom",
    "personal rights and responsibilities",
    "visitors",
    "respond faster",
    "uniformed officer",
    "cooperative effort",
    "away from a crisis",
    "an emergency, a criminal investigation",
    "an arrest",
    "knows the school",
]

MISSOURI_TIP_LINE = ["Courage2ReportMO", "(866) 748-7047", 'href="tel:+18667487047"']


def run_load_demo(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo():
    run_load_demo()


@pytest.mark.parametrize(
    ("slug", "facts"), [("st-charles-county", ST_CHARLES_FACTS), ("jefferson-county", JEFFERSON_FACTS)]
)
def test_program_page_carries_every_seed_fact(client, demo, slug, facts):
    html = client.get(f"/programs/{slug}/").content.decode()
    missing = [fact for fact in facts + MISSOURI_TIP_LINE if fact not in html]
    assert missing == []


def test_jefferson_has_four_goals_in_order(demo):
    titles = list(Goal.objects.filter(program__slug="jefferson-county").values_list("title", flat=True))
    assert len(titles) == 4
    assert titles[1] == "Deter crime in and around the school"


def test_st_charles_outcome_gives_its_source(demo):
    outcome = Outcome.objects.get(program__slug="st-charles-county")
    assert (outcome.figure, outcome.source) == ("60%", "St. Charles County Police Department estimate")


def test_both_programs_are_published_and_reviewed(demo):
    programs = Program.objects.published()
    assert {p.slug for p in programs} == {"st-charles-county", "jefferson-county"}
    assert all(p.last_reviewed for p in programs)


def test_jeffersons_supervisor_is_zachary_faulkner(demo):
    supervisor = Officer.objects.get(agency__slug="jefferson-county-sheriffs-office", role=Officer.Role.SUPERVISOR)
    assert supervisor.full_name == "Zachary Faulkner"
    assert supervisor.phone.as_national == "(636) 797-5023"


def test_invented_schools_and_officers_are_flagged_as_examples(demo, client):
    assert not School.objects.filter(is_example=False).exists()
    assert not Officer.objects.filter(is_example=False).exclude(last_name="Faulkner").exists()
    html = client.get("/schools/", {"q": "example"}).content.decode()
    assert html.count('class="usa-tag">Example<') >= School.objects.count()


def test_each_program_teaches_its_own_topics(demo):
    def topics(slug):
        return set(Program.objects.get(slug=slug).topics.values_list("name", flat=True))

    assert topics("st-charles-county") == {
        "Driver safety",
        "Drugs and alcohol",
        "Emergency preparedness",
        "Problem resolution",
    }
    assert "Driver safety" not in topics("jefferson-county")
    assert Program.objects.get(slug="jefferson-county").year_started is None  # the seed gives no start year
    assert Program.objects.get(slug="st-charles-county").year_started == 1997


DEMO_MODELS = [State, Agency, Program, MissionRole, Goal, Outcome, EducationTopic, Officer, School, Assignment]


def row_counts():
    return {model.__name__: model.objects.count() for model in DEMO_MODELS}


@pytest.fixture
def staff_changes(demo, staff_client):
    """What staff do after the first `make run`: edit a summary in the admin, add a school, delete an example."""
    program = Program.objects.get(slug="st-charles-county")
    change_url = reverse("admin:programs_program_change", args=[program.pk])
    form = form_as_posted(staff_client.get(change_url), summary_en="Edited in the admin.")
    saved = staff_client.post(change_url, form)
    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    SchoolFactory(agency=program.agency, slug="francis-howell-north", name="Francis Howell North High School")
    example = School.objects.get(slug="example-middle-st-charles")
    deleted = staff_client.post(reverse("admin:programs_school_delete", args=[example.pk]), {"post": "yes"})
    assert deleted.status_code == 302
    assert not School.objects.filter(slug="example-middle-st-charles").exists()


def test_running_load_demo_again_keeps_what_staff_changed(staff_changes):
    before = row_counts()
    run_load_demo()
    run_load_demo()  # as `make run` twice
    assert Program.objects.get(slug="st-charles-county").summary == "Edited in the admin."
    assert School.objects.filter(slug="francis-howell-north").exists()
    assert not School.objects.filter(slug="example-middle-st-charles").exists()
    assert row_counts() == before


def test_load_demo_says_in_one_line_that_a_site_with_content_was_left_alone(demo):
    output = run_load_demo()
    assert output.count("\n") == 1
    assert "already has content: nothing was changed" in output
    assert "load_demo --reset" in output


def test_an_agency_whose_programs_were_deleted_is_not_overwritten():
    AgencyFactory(slug="st-charles-county-police-department", name="Renamed by staff")
    run_load_demo()
    assert Agency.objects.get(slug="st-charles-county-police-department").name == "Renamed by staff"
    assert not Program.objects.exists()


def test_reset_brings_the_demo_back_and_leaves_other_records_alone(staff_changes):
    run_load_demo("--reset")
    summary = Program.objects.get(slug="st-charles-county").summary
    assert summary == load_demo.ST_CHARLES["program"]["summary"]
    restored = School.objects.get(slug="example-middle-st-charles")
    assert restored.is_example
    assert restored.assignments.exists()  # its example officer is assigned again
    assert School.objects.filter(slug="francis-howell-north").exists()


def test_reset_is_idempotent(demo):
    before = row_counts()
    run_load_demo("--reset")
    run_load_demo("--reset")
    assert row_counts() == before


SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
COPIED_RUN = 8  # words in a row shared with a seed page that count as copying


def words(text):
    return re.findall(r"[a-z0-9%]+", text.lower().replace("\u2019", "'").replace("'", ""))


def runs(text):
    found = words(text)
    return {tuple(found[i : i + COPIED_RUN]) for i in range(len(found) - COPIED_RUN + 1)}


def demo_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from demo_strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from demo_strings(item)


def test_demo_prose_is_our_own_words():
    if not SEEDS.is_dir():
        message = f"SEED COPY CHECK NOT RUN: no seed pages at {SEEDS}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    seed_runs = set().union(*(runs(path.read_text()) for path in SEEDS.glob("*.txt")))
    copied = [
        " ".join(run)
        for text in demo_strings([load_demo.TOPICS, load_demo.ST_CHARLES, load_demo.JEFFERSON])
        for run in runs(text) & seed_runs
    ]
    assert copied == []
