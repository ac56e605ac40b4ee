"""Training as the program page shows it: one line on each officer's card, and how many
of the page's officers completed each course."""

from django.db.models import Prefetch

from languages.content import with_languages_of_text

from .models import OfficerTraining


def trainings_prefetch(lookup="agency__active_officers__trainings"):
    return Prefetch(lookup, queryset=OfficerTraining.objects.select_related("course").order_by("-completed_on", "pk"))


def training_line(officer):
    """'NASRO Basic SRO, 2024; CIT, 2023': each course once, with the year last completed, latest first."""
    seen, parts = set(), []
    for training in officer.trainings.all():  # latest first
        if training.course_id not in seen:
            seen.add(training.course_id)
            parts.append(f"{training.course.label}, {training.completed_on.year}")
    return "; ".join(parts)


def course_counts(officers):
    """For each course, how many of `officers` completed it (each officer counted once), by course name."""
    by_course = {}
    for officer in officers:
        for training in officer.trainings.all():
            entry = by_course.setdefault(
                training.course_id, {"course": training.course, "officers": set(), "all_examples": True}
            )
            entry["officers"].add(officer.pk)
            entry["all_examples"] &= training.is_example
    # Course names are written once, in English: on a page in another language, marked as such.
    return [
        with_languages_of_text(
            {
                "name": entry["course"].name,
                "hours": _hours(entry["course"].hours),
                "officers": len(entry["officers"]),
                "is_example": entry["all_examples"],
            },
            "name",
        )
        for entry in sorted(by_course.values(), key=lambda e: e["course"].name)
    ]


def _hours(value):
    if value is None:
        return ""
    return f"{value:f}".rstrip("0").rstrip(".")


# The program page's parts (programs/hooks.py, registered in apps.py).


def program_page_prefetch(today):
    return trainings_prefetch()


def officer_card(officer):
    return with_languages_of_text({"training": training_line(officer)}, "training")


def program_page_parts(program, today):
    return {"training_counts": course_counts(program.agency.active_officers)}
