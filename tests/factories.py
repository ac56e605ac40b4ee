import factory
from django.contrib.auth import get_user_model

from programs.models import (
    Agency,
    Assignment,
    EducationTopic,
    Goal,
    MissionRole,
    Officer,
    Outcome,
    Partnership,
    Photo,
    Program,
    School,
    State,
    current_school_year,
)


class StateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = State
        django_get_or_create = ["code"]

    code = "MO"
    name = "Missouri"
    tip_line_name = "Courage2ReportMO"
    tip_line_phone = "+18667487047"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"County {n} Sheriff's Office")
    slug = factory.Sequence(lambda n: f"county-{n}-sheriff")
    kind = Agency.Kind.SHERIFFS_OFFICE
    county = factory.Sequence(lambda n: f"Testcounty{n}")
    state = factory.SubFactory(StateFactory)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    agency = factory.SubFactory(AgencyFactory)
    name = "School Resource Officer Program"
    slug = factory.Sequence(lambda n: f"program-{n}")
    summary = "Officers in schools as advisors, educators and law-enforcement officers."
    overview = "First paragraph.\n\nSecond paragraph."
    status = Program.Status.PUBLISHED
    contact_division = "Community Education Division"
    contact_phone = "+16369493006"


class MissionRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MissionRole

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Role {n}")
    order = factory.Sequence(int)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    program = factory.SubFactory(ProgramFactory)
    title = factory.Sequence(lambda n: f"Goal {n}")
    order = factory.Sequence(int)


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    program = factory.SubFactory(ProgramFactory)
    figure = "60%"
    label = "drop in offenses"
    source = "Agency estimate"


class EducationTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EducationTopic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    agency = factory.SubFactory(AgencyFactory)
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Last{n}")
    rank = "Deputy"
    phone = "+16365550100"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"School {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")
    city = "Hillsboro"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    officer = factory.SubFactory(OfficerFactory)
    school = factory.SubFactory(SchoolFactory, agency=factory.SelfAttribute("..officer.agency"))
    school_year = factory.LazyFunction(current_school_year)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    program = factory.SubFactory(ProgramFactory)
    district = factory.Sequence(lambda n: f"District {n}")


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    program = factory.SubFactory(ProgramFactory)
    image = factory.django.ImageField(width=64, height=48, color="blue")
    alt_text = "Officer talking with students"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a-long-test-passphrase")
