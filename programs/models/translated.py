"""The content fields staff write in each language (registered with django-modeltranslation in
programs/translation.py), named here so the models' histories can leave their per-language
columns out: those are added after the history tables are built."""

from django.conf import settings
from simple_history.models import HistoricalRecords

TRANSLATED = {
    "program": ("summary", "overview", "mission", "primary_duty"),
    "missionrole": ("name", "description"),
    "goal": ("title", "description"),
    "educationtopic": ("name", "description"),
    "outcome": ("label", "period"),
    "officer": ("bio",),
    "alert": ("title", "message"),
}


def per_language_columns(model_name):
    """`summary_en`, `summary_es`...: the columns a model's history leaves out (the field itself,
    in the language of the person saving, stays in the history as before)."""
    return [f"{field}_{code}" for field in TRANSLATED[model_name] for code, _ in settings.LANGUAGES]


class ProgramHistory(HistoricalRecords):
    """A program's history. When a topic's programs change from the topic's side, django-simple-history
    records the topic through these records (its reverse many-to-many path), with these exclusions: the
    topic's own per-language columns must be left out here too."""

    def fields_included(self, model):
        from modeltranslation.fields import TranslationField

        return [field for field in super().fields_included(model) if not isinstance(field, TranslationField)]
