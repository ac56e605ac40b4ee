"""Content staff write in English and Spanish (django-modeltranslation): each field below
gets a column per language in settings.LANGUAGES (`summary_en`, `summary_es`), edited side
by side in the admin. A page in Spanish shows the Spanish text, or the English where there
is none yet, marked lang="en" (languages/templatetags/languages.py).

Names of people, schools, districts and agencies are proper nouns and have one version.
"""

from modeltranslation.translator import translator

from .models import Alert, EducationTopic, Goal, MissionRole, Officer, Outcome, Photo, Program
from .models.translated import TRANSLATED

# The default language stays required where the field always was; the others may be empty.
REQUIRED = ("en",)

# What a model's registration needs beyond its fields (TRANSLATED) and REQUIRED.
EXTRA_OPTIONS = {
    # The name is unique: a topic with no Spanish name yet stores NULL, not a clashing "".
    EducationTopic: {"empty_values": {"name": None}},
}

for model in (Program, MissionRole, Goal, EducationTopic, Outcome, Officer, Alert, Photo):
    translator.register(
        model,
        fields=TRANSLATED[model._meta.model_name],
        required_languages=REQUIRED,
        **EXTRA_OPTIONS.get(model, {}),
    )
