"""Content staff write in English and Spanish (django-modeltranslation): each field below
gets a column per language in settings.LANGUAGES (`summary_en`, `summary_es`), edited side
by side in the admin. A page in Spanish shows the Spanish text, or the English where there
is none yet, marked lang="en" (languages/templatetags/languages.py).

Names of people, schools, districts and agencies are proper nouns and have one version.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Alert, EducationTopic, Goal, MissionRole, Officer, Outcome, Photo, Program
from .models.translated import TRANSLATED

# The default language stays required where the field always was; the others may be empty.
REQUIRED = ("en",)


@register(Program)
class ProgramTranslation(TranslationOptions):
    fields = TRANSLATED["program"]
    required_languages = REQUIRED


@register(MissionRole)
class MissionRoleTranslation(TranslationOptions):
    fields = TRANSLATED["missionrole"]
    required_languages = REQUIRED


@register(Goal)
class GoalTranslation(TranslationOptions):
    fields = TRANSLATED["goal"]
    required_languages = REQUIRED


@register(EducationTopic)
class EducationTopicTranslation(TranslationOptions):
    fields = TRANSLATED["educationtopic"]
    required_languages = REQUIRED
    # The name is unique: a topic with no Spanish name yet stores NULL, not a clashing "".
    empty_values = {"name": None}


@register(Outcome)
class OutcomeTranslation(TranslationOptions):
    fields = TRANSLATED["outcome"]
    required_languages = REQUIRED


@register(Officer)
class OfficerTranslation(TranslationOptions):
    fields = TRANSLATED["officer"]
    required_languages = REQUIRED


@register(Alert)
class AlertTranslation(TranslationOptions):
    fields = TRANSLATED["alert"]
    required_languages = REQUIRED


@register(Photo)
class PhotoTranslation(TranslationOptions):
    fields = TRANSLATED["photo"]
    required_languages = REQUIRED
