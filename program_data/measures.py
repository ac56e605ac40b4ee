"""What a program's yearly figures count: each measure and each group of
students, defined once here. The admin shows the definitions beside the
fields, the public pages beside the figures, the CSV in its own column.

The two student-discipline measures follow the U.S. Department of
Education's Civil Rights Data Collection (CRDC), which every public school
answers for each school year, so a program's figures can be set beside its
schools' own: the CRDC counts students (each student once in a school year,
however many times it happened) and breaks the counts down into the groups
below. The other measures are the program's own records; their definitions
say what is counted so that programs count alike.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

CRDC = _("U.S. Department of Education, Civil Rights Data Collection (CRDC)")


@dataclass(frozen=True)
class Category:
    key: str
    label: str


@dataclass(frozen=True)
class Dimension:
    """A way of dividing the students counted in a total into groups that add up to it."""

    key: str
    label: str  # "race or ethnicity", after "by"
    categories: tuple[Category, ...]
    definition: str


@dataclass(frozen=True)
class Measure:
    key: str
    label: str  # "Referrals to law enforcement"
    unit: str  # what one is, in a table column: "Students referred"
    definition: str
    # Counts of students: counts from 1 to SMALL_COUNT_THRESHOLD - 1 are never
    # published, and the groups below may be given (program_data/privacy.py).
    counts_students: bool
    # Broken down into the CRDC's groups of students (DIMENSIONS).
    by_group: bool = False
    # Given per school, the schools adding up to the program's total.
    by_school: bool = False
    crdc: bool = False


RACE = Dimension(
    "race",
    _("race or ethnicity"),
    (
        Category("hispanic", _("Hispanic or Latino, of any race")),
        Category("american_indian", _("American Indian or Alaska Native")),
        Category("asian", _("Asian")),
        Category("pacific_islander", _("Native Hawaiian or Other Pacific Islander")),
        Category("black", _("Black or African American")),
        Category("white", _("White")),
        Category("two_or_more", _("Two or more races")),
    ),
    _(
        "The CRDC's seven groups: a Hispanic or Latino student is counted as Hispanic or Latino whatever their "
        "race; every other student in one race, or in two or more races."
    ),
)
SEX = Dimension(
    "sex",
    _("sex"),
    (Category("male", _("Male")), Category("female", _("Female"))),
    _("As the school records it, in the CRDC's two groups."),
)
DISABILITY = Dimension(
    "disability",
    _("disability"),
    (
        Category("with", _("Students with disabilities")),
        Category("without", _("Students without disabilities")),
    ),
    _(
        "Students with disabilities are those served under the Individuals with Disabilities Education Act (IDEA) "
        "or under Section 504 of the Rehabilitation Act only, as the CRDC counts them."
    ),
)
ENGLISH_LEARNERS = Dimension(
    "english_learner",
    _("English learner status"),
    (
        Category("yes", _("English learners")),
        Category("no", _("Not English learners")),
    ),
    _(
        "English learners are students the school identifies as learning English (limited English proficient), "
        "as the CRDC counts them."
    ),
)
DIMENSIONS = (RACE, SEX, DISABILITY, ENGLISH_LEARNERS)
SCHOOL_DIMENSION = "school"  # per-school figures, keyed by the school's id


MEASURES = (
    Measure(
        "referrals",
        _("Referrals to law enforcement"),
        _("Students referred"),
        _(
            "Students reported to a law-enforcement agency or official, a school resource officer included, for "
            "something that happened at school, at a school event or on school transportation, whether or not "
            "any official action followed. Citations, tickets, court referrals and school-related arrests all "
            "count as referrals. Each student is counted once in the school year. The CRDC's definition."
        ),
        counts_students=True,
        by_group=True,
        by_school=True,
        crdc=True,
    ),
    Measure(
        "arrests",
        _("School-related arrests"),
        _("Students arrested"),
        _(
            "Students arrested for something they did at school, at an off-campus school activity or on school "
            "transportation, or arrested because a school official referred them. Every school-related arrest is "
            "also a referral to law enforcement. Each student is counted once in the school year. The CRDC's "
            "definition."
        ),
        counts_students=True,
        by_group=True,
        by_school=True,
        crdc=True,
    ),
    Measure(
        "presentations",
        _("Presentations given"),
        _("Presentations"),
        _(
            "Classes, assemblies and group sessions the program's officers taught or spoke at, each session "
            "counted once. The program's own records; the CRDC does not collect it."
        ),
        counts_students=False,
    ),
    Measure(
        "students_reached",
        _("Students reached by presentations"),
        _("Students reached"),
        _(
            "Students present at those presentations, added up over the year: a student at two presentations "
            "counts twice. The program's own records."
        ),
        counts_students=True,
    ),
    Measure(
        "calls_for_service",
        _("Calls for service on campus"),
        _("Calls for service"),
        _(
            "Requests for police service at a school the program serves, by phone, radio or in person, the ones "
            "the officer on campus handled included; each request counted once, however many officers answered. "
            "The agency's dispatch records."
        ),
        counts_students=False,
        by_school=True,
    ),
    Measure(
        "use_of_force",
        _("Use-of-force incidents"),
        _("Students"),
        _(
            "Incidents in which an officer of the program used physical force, a restraint, a chemical spray, an "
            "electronic control weapon or a firearm on a student at school, at a school event or on school "
            "transportation, counted once for each student involved. The agency's use-of-force reports; the "
            "CRDC counts restraint by school staff, not this."
        ),
        counts_students=True,
        by_group=True,
        by_school=True,
    ),
    Measure(
        "complaints_received",
        _("Complaints received"),
        _("Complaints"),
        _(
            "Complaints about the conduct of the program's officers that the agency received in the school year, "
            "from anyone, however they were made; each complaint counted once."
        ),
        counts_students=False,
    ),
    Measure(
        "complaints_sustained",
        _("Complaints sustained"),
        _("Complaints"),
        _(
            "Of the complaints received, those the agency's investigation found to be true, in whole or in part "
            "(sustained), counted in the year the complaint was received."
        ),
        counts_students=False,
    ),
)
BY_KEY = {measure.key: measure for measure in MEASURES}
DIMENSIONS_BY_KEY = {dimension.key: dimension for dimension in DIMENSIONS}

# Measures that can never be larger than another one (the CRDC: every arrest is a referral).
AT_MOST = {"arrests": "referrals", "complaints_sustained": "complaints_received"}
