"""Staff content in the page's language, or in the default one where it has no translation yet
(django-modeltranslation falls back to English: programs/translation.py).

Content staff write in one version only (a field not registered for translation: a program's
partners, an office's hours, a course's name) is written in the default language, the one the
admin is written in: a page in another language shows it as such, the same way.
"""

from django.conf import settings
from django.utils import translation


def _filled(value):
    return value not in (None, "")


def is_translated(obj, field):
    """Whether `field` of `obj` has a version per language (`summary_en`, `summary_es`...)."""
    return hasattr(obj, f"{field}_{settings.LANGUAGE_CODE}")


def written_once(value, language=None):
    """The language staff text with one version (`value`) is shown in on a page in `language`
    (the active one): the default language, when it is not the page's; None on the default
    language's pages, or when there is no text."""
    language = language or translation.get_language()
    default = settings.LANGUAGE_CODE
    return default if language != default and _filled(value) else None


def fallback_language(obj, field, language=None):
    """The language `field` of `obj` is shown in when it is not the page's own: "en" for a
    Spanish page whose Spanish text is missing, or for a field staff write in one version only
    (written_once); None when the text is in the page's language (or there is none)."""
    language = language or translation.get_language()
    default = settings.LANGUAGE_CODE
    if language == default:
        return None
    if not is_translated(obj, field):
        return written_once(getattr(obj, field, None), language)
    if _filled(getattr(obj, f"{field}_{language}", None)):
        return None
    return default if _filled(getattr(obj, f"{field}_{default}", None)) else None


def shown_in_other_language(request):
    """Tell the page that it shows staff content in another language than its own: it then says
    once that some content is only in English ({% content_language_notice_first %})."""
    if request is not None:
        request.content_in_other_language = True


def with_languages(data, obj, *fields):
    """`data` (a page document's dict) with `<field>_lang` beside each field shown in another language."""
    for field in fields:
        shown = fallback_language(obj, field)
        if shown:
            data[f"{field}_lang"] = shown
    return data


def with_languages_of_text(data, *keys):
    """`data` with `<key>_lang` beside each of its `keys` holding staff text with one version, built
    rather than read from a field (an officer's training line: course names and years)."""
    for key in keys:
        shown = written_once(data.get(key))
        if shown:
            data[f"{key}_lang"] = shown
    return data
