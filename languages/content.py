"""Staff content in the page's language, or in the default one where it has no translation yet
(django-modeltranslation falls back to English: programs/translation.py)."""

from django.conf import settings
from django.utils import translation


def _filled(value):
    return value not in (None, "")


def fallback_language(obj, field, language=None):
    """The language `field` of `obj` is shown in when it is not the page's own: "en" for a
    Spanish page whose Spanish text is missing; None when the text is in the page's language
    (or the field is not translated at all)."""
    language = language or translation.get_language()
    default = settings.LANGUAGE_CODE
    if language == default or _filled(getattr(obj, f"{field}_{language}", None)):
        return None
    return default if _filled(getattr(obj, f"{field}_{default}", None)) else None


def with_languages(data, obj, *fields):
    """`data` (a page document's dict) with `<field>_lang` beside each field shown in another language."""
    for field in fields:
        shown = fallback_language(obj, field)
        if shown:
            data[f"{field}_lang"] = shown
    return data
