"""The shared course catalogue, and example training for the demo counties' example officers
(load_demo). The courses are real; the records are examples, labelled as such."""

from datetime import date

from .models import Course, OfficerTraining

CATALOGUE = [
    # (name, short name, provider, hours, description)
    (
        "Missouri POST SRO basic course",
        "Missouri SRO basic",
        "A Missouri POST-licensed training center",
        40,
        "The 40-hour School Resource Officer basic course certified by Missouri's Peace Officer Standards and "
        "Training (POST) program.",
    ),
    (
        "NASRO Basic SRO",
        "NASRO Basic SRO",
        "National Association of School Resource Officers (NASRO)",
        40,
        "NASRO's basic course for officers new to schools: the SRO's roles as educator, informal counselor and "
        "law-enforcement officer.",
    ),
    (
        "Crisis Intervention Team (CIT)",
        "CIT",
        "A regional CIT council",
        40,
        "Responding to people in a mental-health crisis, with mental-health professionals.",
    ),
    ("De-escalation", "De-escalation", "", None, "Calming tense situations and avoiding the use of force."),
]

# Per example officer's last and first names: (course, date completed).
EXAMPLE_TRAINING = {
    ("Example", "Jordan"): [
        ("Missouri POST SRO basic course", date(2021, 8, 6)),
        ("Crisis Intervention Team (CIT)", date(2023, 3, 17)),
        ("NASRO Basic SRO", date(2024, 6, 14)),
    ],
    ("Example", "Casey"): [
        ("Missouri POST SRO basic course", date(2022, 7, 29)),
        ("De-escalation", date(2025, 2, 7)),
    ],
}


def load_catalogue():
    courses = {}
    for name, short_name, provider, hours, description in CATALOGUE:
        courses[name], _ = Course.objects.update_or_create(
            name=name,
            defaults={"short_name": short_name, "provider": provider, "hours": hours, "description": description},
        )
    return courses


def load(officer):
    """The catalogue, and the example training of `officer` (an example officer of the demo)."""
    courses = load_catalogue()
    for course_name, completed_on in EXAMPLE_TRAINING.get((officer.last_name, officer.first_name), []):
        course = courses[course_name]
        OfficerTraining.objects.update_or_create(
            officer=officer,
            course=course,
            completed_on=completed_on,
            defaults={"provider": course.provider, "hours": course.hours, "is_example": True},
        )
