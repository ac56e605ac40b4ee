"""The demo's content in Spanish, as a county's staff would enter it beside the English in the
admin (programs/translation.py). The programs' overviews are left in English on purpose: the
Spanish pages show them marked lang="en", with the notice that some content is only in English."""

from .models import EducationTopic, Officer, Program

TOPICS = {
    "driver-safety": (
        "Seguridad al volante",
        "Hábitos seguros al manejar y como pasajero, para conductores nuevos y futuros.",
    ),
    "drugs-and-alcohol": (
        "Drogas y alcohol",
        "Los riesgos de las drogas y el alcohol, la ley, y dónde encontrar ayuda.",
    ),
    "emergency-preparedness": (
        "Preparación para emergencias",
        "Qué hacer antes, durante y después de una emergencia en la escuela o en casa.",
    ),
    "problem-resolution": (
        "Resolución de conflictos",
        "Resolver los conflictos con calma, antes de que se conviertan en algo peor.",
    ),
    "the-law": ("La ley", "Cómo se hacen y se aplican las leyes, y qué pasa cuando se infringen."),
    "personal-rights-and-responsibilities": (
        "Derechos y responsabilidades personales",
        "Los derechos que tiene todo estudiante, y las responsabilidades que los acompañan.",
    ),
}

PROGRAMS = {
    "st-charles-county": {
        "summary": (
            "Desde 1997, oficiales de la policía del condado con capacitación especial trabajan en las escuelas "
            "del condado de St. Charles como consejeros, educadores y agentes del orden."
        ),
        "mission": (
            "El Departamento de Policía del Condado de St. Charles elige oficiales con capacitación especial para "
            "trabajar con estudiantes. Su misión tiene tres partes, todas para fomentar la buena conducta y la "
            "comunicación abierta en la escuela:"
        ),
        "roles": [
            ("Consejero", "Un adulto de confianza al que los estudiantes pueden acudir con preguntas y problemas."),
            ("Educador", "Da charlas a clases y grupos sobre seguridad y la ley."),
            ("Agente del orden", "Mantiene la seguridad en la escuela y hace cumplir la ley."),
        ],
        "goals": [],
        "outcomes": [
            (
                "de disminución estimada de los delitos en las escuelas con un oficial de recursos escolares",
                "desde que comenzó el programa en 1997",
            )
        ],
    },
    "jefferson-county": {
        "summary": (
            "Una colaboración financiada con subvenciones entre la Oficina del Sheriff del Condado de Jefferson y "
            "los distritos escolares locales, que asigna agentes uniformados a las escuelas."
        ),
        "mission": "El programa asigna un oficial uniformado a la escuela para lograr los objetivos siguientes.",
        "roles": [],
        "goals": [
            (
                "Conocer a un oficial en un ambiente tranquilo",
                "Los estudiantes, maestros y el personal conocen a un oficial fuera de una crisis, y los jóvenes "
                "ven quiénes son los oficiales detrás de la placa.",
            ),
            (
                "Prevenir el delito en la escuela y sus alrededores",
                "La presencia del oficial uniformado y las buenas relaciones que construye desalientan el delito.",
            ),
            (
                "Enseñar sobre la ley",
                "El oficial enseña sobre la ley y sobre los derechos y responsabilidades personales.",
            ),
            (
                "Mantener la seguridad de todos en la escuela",
                "El oficial protege la seguridad de estudiantes, maestros, personal y visitantes.",
            ),
        ],
        "outcomes": [],
    },
}

EXAMPLE_BIO = "Un oficial de ejemplo, para mostrar cómo aparecen los datos de los oficiales. No es una persona real."


def _ordered(related_manager, rows, fields):
    for order, values in enumerate(rows, start=1):
        item = related_manager.filter(order=order).first()
        if item is not None:
            for field, value in zip(fields, values, strict=True):
                setattr(item, f"{field}_es", value)
            item.save()


def load():
    """Saved one by one, as the admin does: each save re-renders the Spanish pages that show it."""
    for slug, (name, description) in TOPICS.items():
        topic = EducationTopic.objects.filter(slug=slug).first()
        if topic is not None:
            topic.name_es, topic.description_es = name, description
            topic.save()
    for slug, content in PROGRAMS.items():
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            continue
        program.summary_es, program.mission_es = content["summary"], content["mission"]
        program.save()
        _ordered(program.roles, content["roles"], ("name", "description"))
        _ordered(program.goals, content["goals"], ("title", "description"))
        _ordered(program.outcomes, content["outcomes"], ("label", "period"))
    for officer in Officer.objects.filter(is_example=True, last_name="Example"):
        officer.bio_es = EXAMPLE_BIO
        officer.save()
