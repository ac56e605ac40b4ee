"""The content fields staff write in each language (registered with django-modeltranslation in
programs/translation.py), named here so the models' histories can leave their per-language
columns out: those are added after the history tables are built."""

from django.conf import settings
from django.db.models import Q
from simple_history.models import HistoricalRecords

TRANSLATED = {
    "program": ("summary", "overview", "mission", "primary_duty"),
    "missionrole": ("name", "description"),
    "goal": ("title", "description"),
    "educationtopic": ("name", "description"),
    "outcome": ("label", "period"),
    "officer": ("bio", "photo_alt"),
    "alert": ("title", "message"),
    # A photo's description is read aloud on the page in its language (WCAG 3.1.2), its caption shown.
    "photo": ("alt_text", "caption"),
}


def in_default_language(field):
    """`photo_alt_en`: the column of `field` in the site's default language, the one every page falls
    back to. Query it by this name: django-modeltranslation reads `photo_alt` itself in the language
    of the request, so a filter on it would change with the admin's language."""
    return f"{field}_{settings.LANGUAGE_CODE}"


def written(field):
    """A translated field is written in the default language: the text every page falls back to.

    Checked on that language's column, not on the field's own: django-modeltranslation fills
    the field's own column in the language of whoever saved, and an update() not at all.
    """
    column = in_default_language(field)
    return Q(**{f"{column}__isnull": False}) & ~Q(**{column: ""})


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
