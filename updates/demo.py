"""Example updates for the demo counties (load_demo): three per program, one of them an event,
in English and Spanish, each labelled "Example" on the public pages. Dates follow the day the
demo is loaded, so the event is always ahead. `--reset` replaces the examples, never an
editor's own updates. No email goes out: the demo has no subscribers."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from programs.models import School

from .models import Update


def _examples(program, today):
    county = program.agency.county_name
    school = School.objects.filter(agency=program.agency).order_by("name").first()
    event_day = today + timedelta(days=12)
    start = timezone.make_aware(datetime.combine(event_day, time(18, 0)))
    return [
        {
            "title_en": "Example: Coffee with the SROs",
            "title_es": "Ejemplo: Café con los oficiales de recursos escolares",
            "text_en": (
                f"This is an example update. Meet the officers who serve {county}'s schools over coffee: "
                "bring your questions about safety at school, the officers' role and how to reach them."
            ),
            "text_es": (
                f"Esta es una novedad de ejemplo. Conozca a los oficiales que sirven en las escuelas de {county} "
                "tomando un café: traiga sus preguntas sobre la seguridad escolar, el papel de los oficiales y "
                "cómo comunicarse con ellos."
            ),
            "date": today - timedelta(days=2),
            "event_start": start,
            "event_end": start + timedelta(hours=1, minutes=30),
            "event_place_en": f"{school.name} library" if school else "The agency's community room",
            "event_place_es": f"Biblioteca de {school.name}" if school else "La sala comunitaria de la agencia",
            "event_is_public": True,
            "school": school,
        },
        {
            "title_en": "Example: This school year's officers are listed",
            "title_es": "Ejemplo: Ya figuran los oficiales de este año escolar",
            "text_en": (
                "This is an example update. The officers assigned to each school for the new school year are "
                "now on this page, with how to reach them."
            ),
            "text_es": (
                "Esta es una novedad de ejemplo. Los oficiales asignados a cada escuela para el nuevo año escolar "
                "ya figuran en esta página, con la forma de comunicarse con ellos."
            ),
            "date": today - timedelta(days=20),
        },
        {
            "title_en": "Example: New yearly figures published",
            "title_es": "Ejemplo: Nuevas cifras anuales publicadas",
            "text_en": (
                "This is an example update. The program's figures for the last school year are published: "
                "referrals, arrests, presentations and the rest, with what each one counts."
            ),
            "text_es": (
                "Esta es una novedad de ejemplo. Se publicaron las cifras del programa del último año escolar: "
                "remisiones, arrestos, presentaciones y las demás, con lo que cuenta cada una."
            ),
            "date": today - timedelta(days=45),
        },
    ]


def load(program, today=None):
    """Replace `program`'s example updates with fresh ones."""
    today = today or timezone.localdate()
    Update.objects.filter(program=program, is_example=True).delete()
    for example in _examples(program, today):
        Update.objects.create(program=program, status=Update.Status.PUBLISHED, is_example=True, **example)
