"""The demo data carries every fact of the two seed pages (../shared/seeds/)."""

from io import StringIO

import pytest
from django.core.management import call_command

from programs.models import Agency, EducationTopic, Goal, Officer, Outcome, Program, School

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
]

MISSOURI_TIP_LINE = ["Courage2ReportMO", "(866) 748-7047", 'href="tel:+18667487047"']


@pytest.fixture
def demo():
    call_command("load_demo", stdout=StringIO())


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


def test_load_demo_is_idempotent(demo):
    models = [Agency, Program, Goal, Outcome, EducationTopic, Officer, School]
    before = {m.__name__: m.objects.count() for m in models}
    program = Program.objects.get(slug="st-charles-county")
    program.summary = "Edited by hand"
    program.save()
    call_command("load_demo", stdout=StringIO())
    assert {m.__name__: m.objects.count() for m in models} == before
    assert Program.objects.get(slug="st-charles-county").summary != "Edited by hand"
