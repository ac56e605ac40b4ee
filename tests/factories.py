import random
from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from agreements.models import Agreement
from program_data.models import FigureSet
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
from training.models import Course, OfficerTraining
from updates.models import Subscriber, Subscription, Update


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


class FigureSetFactory(factory.django.DjangoModelFactory):
    """A program's yearly figures: 23 referrals, 6 arrests, the rest not collected."""

    class Meta:
        model = FigureSet

    program = factory.SubFactory(ProgramFactory)
    school_year = 2025
    data_through = factory.LazyAttribute(lambda o: date(o.school_year + 1, 6, 30))
    source = "Sheriff's Office records"
    enrollment = 7850
    figures = factory.LazyFunction(lambda: {"referrals": {"count": 23}, "arrests": {"count": 6}})


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


class AgreementFactory(factory.django.DjangoModelFactory):
    """An agreement in effect since a year ago, for three years, reviewed yearly: current."""

    class Meta:
        model = Agreement

    partnership = factory.SubFactory(PartnershipFactory)
    effective_on = factory.LazyFunction(lambda: date.today() - timedelta(days=365))
    signed_on = factory.LazyAttribute(lambda a: a.effective_on)
    review_on = factory.LazyAttribute(lambda a: a.effective_on + timedelta(days=665))
    expires_on = factory.LazyAttribute(lambda a: a.effective_on + timedelta(days=3 * 365))


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    name = factory.Sequence(lambda n: f"Course {n}")
    provider = "Training Academy"
    hours = 40


class OfficerTrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficerTraining

    officer = factory.SubFactory("tests.factories.OfficerFactory")
    course = factory.SubFactory(CourseFactory)
    completed_on = date(2024, 6, 14)


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


# What school names are made of, for the synthetic schools of tests and
# benchmarks at size: a few real places, over a thousand made-up ones
# ("Oakridge", "Silverton") and people's names, so that a name's share is
# about what it is across the country (a place's schools are 0.1% or less).
# fmt: off
PLACES = [
    "Hillsboro", "St. Charles", "Charleston", "Hillcrest", "Hillsdale", "St. Clair", "St. Joseph", "Lincoln",
    "Washington", "Jefferson", "Franklin", "Madison", "Roosevelt", "Kennedy", "Riverview", "Festus", "Arnold",
    "Española", "Peñasco", "Mount Vernon", "Sequoyah", "O'Fallon", "Lee's Summit", "Kansas City", "Santa Fe"
]
PLACE_STARTS = [
    "Oak", "Maple", "Cedar", "Pine", "Elm", "Willow", "Spring", "River", "Lake", "Green", "Fair", "Brook", "Glen",
    "Rose", "Clear", "Red", "White", "Black", "Stone", "Silver", "Golden", "Sun", "North", "South", "East", "West",
    "Meadow", "Forest", "Hazel", "Ash", "Birch", "Laurel", "Mill", "Bridge", "Castle", "Crystal", "Deer", "Eagle",
    "Fox", "Grand", "Haw", "Iron", "King", "Long", "Marsh", "New", "Old", "Park", "Rock", "Sand"
]
PLACE_ENDS = [
    "wood", "field", "dale", "view", "ville", "ton", "brook", "ridge", "crest", "port", "land", "mont", "ford",
    "haven", "burg", "side", "vale", "wick", "ley", "more", "gate", "hurst", "stead"
]
PEOPLE = [
    "John Adams", "Susan B. Anthony", "Clara Barton", "Mary McLeod Bethune", "Daniel Boone", "Cesar Chavez",
    "Frederick Douglass", "Amelia Earhart", "Benjamin Franklin", "Robert Frost", "Langston Hughes", "Helen Keller",
    "Martin Luther King Jr.", "Sally Ride", "Jackie Robinson", "Eleanor Roosevelt", "Harriet Tubman", "Mark Twain",
    "Booker T. Washington", "Laura Ingalls Wilder", "George Washington Carver", "Sacagawea", "Ellen Ochoa",
    "Thurgood Marshall", "Rosa Parks", "Walt Whitman", "Wilma Rudolph", "Jim Thorpe", "Maya Angelou", "Neil Armstrong"
]
KINDS = [
    "Elementary School", "Middle School", "High School", "Primary School", "Intermediate School", "Academy",
    "Early Childhood Center", "Junior High School", "Senior High School", "Alternative School"
]
CITIES = [
    "Hillsboro", "Festus", "Arnold", "St. Charles", "O'Fallon", "Wentzville", "St. Peters", "De Soto", "Imperial",
    "Pevely", "Springfield", "Columbia", "Joplin", "Kansas City", "St. Louis", "Independence", "Lee's Summit",
    "Española", "Santa Fe", "Albuquerque", "Las Cruces", "Charleston", "Hillsdale"
]
CITY_ENDS = ["", "", "", " Springs", " Heights", " City", " Falls", " Park", " Junction", " Center"]
# fmt: on


class UpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Update

    program = factory.SubFactory(ProgramFactory)
    title = factory.Sequence(lambda n: f"Update {n}")
    text = "First paragraph.\n\nSecond paragraph."
    status = Update.Status.PUBLISHED


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"resident{n}@example.org")


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed subscription to a program's updates, each as it comes."""

    class Meta:
        model = Subscription

    subscriber = factory.SubFactory(SubscriberFactory)
    program = factory.SubFactory(ProgramFactory)
    confirmed_at = factory.LazyFunction(timezone.now)
    confirmation_sent_at = factory.SelfAttribute("confirmed_at")


def synthetic_schools(count, agencies, seed=12):
    """`count` unsaved schools with plausible names, cities and districts, spread over `agencies`.

    For bulk_create in tests and benchmarks at size. Names repeat, as they do
    across the country (many a Lincoln Elementary School), but each is rare.
    """
    rng = random.Random(seed)
    made_up = [start + end for start in PLACE_STARTS for end in PLACE_ENDS]

    def place():
        kind = rng.random()
        if kind < 0.03:
            return rng.choice(PLACES)
        return rng.choice(PEOPLE) if kind < 0.1 else rng.choice(made_up)

    def city():
        if rng.random() < 0.05:
            return rng.choice(CITIES)
        return f"{rng.choice(made_up)}{rng.choice(CITY_ENDS)}"

    for n in range(count):
        yield School(
            agency=agencies[n % len(agencies)],
            name=f"{place()} {rng.choice(KINDS)}",
            slug=f"synthetic-{n}",
            city=city(),
            district=f"{place()} R-{rng.randint(1, 20)} School District",
        )
