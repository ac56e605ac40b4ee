"""The domain's demo content: the two seed counties (St. Charles County Police,
Jefferson County Sheriff) with every fact from their public SRO pages, in our own
words. `manage.py load_demo` (sro_site/) loads it, then each app's examples for it.

Schools and SROs other than the named supervisor are examples, flagged as such and
labelled on the public site. Records are found by their natural keys (slugs, names,
order), so loading again brings them back to this content.
"""

from datetime import date

from .models import (
    Agency,
    Assignment,
    EducationTopic,
    Officer,
    Program,
    School,
    State,
    current_school_year,
)

REVIEWED_ON = date(2026, 11, 22)

TOPICS = {
    "driver-safety": ("Driver safety", "Safe habits behind the wheel and as a passenger, for new and future drivers."),
    "drugs-and-alcohol": ("Drugs and alcohol", "The risks of drugs and alcohol, the law, and where to find help."),
    "emergency-preparedness": (
        "Emergency preparedness",
        "What to do before, during and after an emergency at school or at home.",
    ),
    "problem-resolution": ("Problem resolution", "Settling conflicts calmly, before they grow into something worse."),
    "the-law": ("The law", "How laws are made and enforced, and what happens when they are broken."),
    "personal-rights-and-responsibilities": (
        "Personal rights and responsibilities",
        "The rights every student has, and the responsibilities that come with them.",
    ),
}

ST_CHARLES = {
    "agency": {
        "slug": "st-charles-county-police-department",
        "name": "St. Charles County Police Department",
        "kind": Agency.Kind.POLICE_DEPARTMENT,
        "county": "St. Charles",
        "website": "https://www.sccmo.org/",
    },
    "program": {
        "slug": "st-charles-county",
        "name": "School Resource Officer Program",
        "summary": (
            "Since 1997, specially trained county police officers have served in St. Charles County schools "
            "as advisors, educators and law-enforcement officers."
        ),
        "overview": (
            "The St. Charles County Government works with area schools to keep learning environments safe: "
            "free of drugs, weapons and violence, so that every student can make the most of school.\n\n"
            "The county first assigned School Resource Officers to schools in unincorporated St. Charles County "
            "in 1997, when placing officers in schools was a new idea in community-oriented policing. Having an "
            "officer on campus gives students, teachers and parents a greater sense of comfort and security, and "
            "the program is helping children build respect for law-enforcement officers.\n\n"
            "Officers are also a resource for students and their families. When a student needs more help than "
            "the school can give, whether for practical learning, health, safety concerns or getting involved in "
            "the community, the officers can connect them with outside resources."
        ),
        "year_started": 1997,
        "funding": "",
        "partners": (
            "Area schools in unincorporated St. Charles County, in partnership with the St. Charles County Government"
        ),
        "mission": (
            "The St. Charles County Police Department chooses officers who are specially trained to work with "
            "students. Their mission has three parts, all aimed at encouraging good conduct and open communication "
            "at school:"
        ),
        "primary_duty": (
            "Officers mentor students, but on campus their first job is law enforcement. They respond to incidents, "
            "investigate, refer cases to juvenile court, make arrests when needed, and team up with juvenile "
            "authorities and other agencies so that problem behavior changes. A student who breaks the law faces "
            "the justice system as well as any discipline from the school district."
        ),
        "contact_division": "Community Education Division",
        "contact_phone": "+16369493006",
    },
    "roles": [
        ("Advisor", "A trusted adult students can turn to with questions and problems."),
        ("Educator", "Speaks to classes and groups on safety and the law."),
        ("Law-enforcement officer", "Keeps the campus safe and enforces the law."),
    ],
    "goals": [],
    "topics": ["driver-safety", "drugs-and-alcohol", "emergency-preparedness", "problem-resolution"],
    "outcomes": [
        (
            "60%",
            "estimated fall in criminal offenses at schools with an SRO",
            "since the program began in 1997",
            "St. Charles County Police Department estimate",
        )
    ],
    "supervisor": None,
    "example_officer": ("Jordan", "Example", "Officer"),
    "schools": [
        ("example-elementary-st-charles", "Example Elementary School (St. Charles County)", "O'Fallon", True),
        ("example-middle-st-charles", "Example Middle School (St. Charles County)", "St. Peters", True),
        ("example-high-st-charles", "Example High School (St. Charles County)", "Wentzville", False),
    ],
}

JEFFERSON = {
    "agency": {
        "slug": "jefferson-county-sheriffs-office",
        "name": "Jefferson County Sheriff's Office",
        "kind": Agency.Kind.SHERIFFS_OFFICE,
        "county": "Jefferson",
        "website": "https://www.jeffcomo.org/",
    },
    "program": {
        "slug": "jefferson-county",
        "name": "School Resource Officer Program",
        "summary": (
            "A grant-funded partnership between the Jefferson County Sheriff's Office and local school districts "
            "that places uniformed deputies in schools."
        ),
        "overview": (
            "Jefferson County's School Resource Officer Program is paid for by grants and run jointly by the "
            "Sheriff's Office and the school districts it serves.\n\n"
            "The program is a core part of the Sheriff's community policing philosophy, and it continues to prove "
            "its worth in the office's day-to-day work.\n\n"
            "Because the officer is already on campus, police can respond faster when something happens, such as "
            "an emergency, a criminal investigation or, when it cannot be avoided, an arrest. An officer who knows "
            "the school, its people and its daily routine is also better prepared to handle those moments well."
        ),
        "year_started": None,
        "funding": "Grant-funded",
        "partners": "The school districts of Jefferson County, in a cooperative effort with the Sheriff's Office",
        "mission": "The program places a uniformed officer in the school setting to pursue the goals below.",
        "primary_duty": "",
        "contact_division": "School Resource Officer Program",
        "contact_name": "Zachary Faulkner, SRO Supervisor",
        "contact_phone": "+16367975023",
    },
    "roles": [],
    "goals": [
        (
            "Meet an officer in a relaxed setting",
            "Students, teachers and staff get to know an officer away from a crisis, and young people see who "
            "officers are behind the badge. The officer serves as a role model, a resource and a mentor for "
            "students with questions or needs the officer can help with.",
        ),
        (
            "Deter crime in and around the school",
            "The officer's uniformed presence, and the positive relationships the officer builds with students, "
            "staff and neighbors, discourage crime in the building, on campus and in the surrounding community.",
        ),
        (
            "Teach about the law",
            "In class and beyond, the officer teaches students, teachers and staff about the law, about personal "
            "rights and responsibilities, and about other subjects tied to law enforcement.",
        ),
        (
            "Keep everyone at school safe",
            "The officer protects the safety and security of students, teachers, staff and visitors.",
        ),
    ],
    "topics": ["the-law", "personal-rights-and-responsibilities"],
    "outcomes": [],
    "supervisor": ("Zachary", "Faulkner", "+16367975023"),
    "example_officer": ("Casey", "Example", "Deputy"),
    "schools": [
        ("example-elementary-jefferson", "Example Elementary School (Jefferson County)", "Hillsboro", True),
        ("example-high-jefferson", "Example High School (Jefferson County)", "Arnold", False),
    ],
}


COUNTIES = (ST_CHARLES, JEFFERSON)
# The grades of the example schools, by the level in their slugs (as the federal school directory writes them).
GRADES = {"elementary": ("KG", "05"), "middle": ("06", "08"), "high": ("09", "12")}


def site_has_content():
    """Everything the demo writes hangs from a state, an agency or a topic, and an agency cannot be
    deleted while its programs, officers or schools exist: with none of the three, staff have entered nothing."""
    return any(model.objects.exists() for model in (State, Agency, EducationTopic))


def load_state_and_topics():
    missouri, _ = State.objects.update_or_create(
        code="MO",
        defaults={"name": "Missouri", "tip_line_name": "Courage2ReportMO", "tip_line_phone": "+18667487047"},
    )
    topics = {
        slug: EducationTopic.objects.update_or_create(slug=slug, defaults={"name": name, "description": text})[0]
        for slug, (name, text) in TOPICS.items()
    }
    return missouri, topics


def load_county(data, state, topics):
    """The county's agency, program, officers and schools; returns the program and its example officer,
    to which other apps attach their examples (sro_site's load_demo)."""
    agency_data = dict(data["agency"])
    agency, _ = Agency.objects.update_or_create(slug=agency_data.pop("slug"), defaults={**agency_data, "state": state})
    program_data = dict(data["program"])
    program, _ = Program.objects.update_or_create(
        slug=program_data.pop("slug"),
        defaults={
            **program_data,
            "agency": agency,
            "status": Program.Status.PUBLISHED,
            "last_reviewed": REVIEWED_ON,
        },
    )
    program.topics.set([topics[slug] for slug in data["topics"]])
    replace_ordered(program.roles, [{"name": n, "description": d} for n, d in data["roles"]])
    replace_ordered(program.goals, [{"title": t, "description": d} for t, d in data["goals"]])
    replace_ordered(
        program.outcomes,
        [{"figure": f, "label": la, "period": p, "source": s} for f, la, p, s in data["outcomes"]],
    )

    if data["supervisor"]:
        first, last, phone = data["supervisor"]
        Officer.objects.update_or_create(
            agency=agency,
            first_name=first,
            last_name=last,
            defaults={"role": Officer.Role.SUPERVISOR, "rank": "", "phone": phone, "is_active": True},
        )
    first, last, rank = data["example_officer"]
    example_officer, _ = Officer.objects.update_or_create(
        agency=agency,
        first_name=first,
        last_name=last,
        defaults={
            "rank": rank,
            "role": Officer.Role.SRO,
            "is_example": True,
            "bio": "An example officer, to show how officer details appear. Not a real person.",
        },
    )
    for slug, name, city, assigned in data["schools"]:
        lowest, highest = GRADES[slug.split("-")[1]]
        school, _ = School.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "city": city,
                "agency": agency,
                "is_example": True,
                "district": "",
                "grade_lowest": lowest,
                "grade_highest": highest,
            },
        )
        if assigned:
            Assignment.objects.get_or_create(officer=example_officer, school=school, school_year=current_school_year())
    return program, example_officer


def replace_ordered(related_manager, rows):
    """Make the ordered children exactly `rows`, keyed by position."""
    for order, values in enumerate(rows, start=1):
        related_manager.update_or_create(order=order, defaults=values)
    related_manager.filter(order__gt=len(rows)).delete()
