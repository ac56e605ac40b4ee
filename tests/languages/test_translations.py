"""The Spanish catalogue is complete, compiled, and every interface string is marked for translation."""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from languages.catalogue import catalogue_path, extract, untranslated

LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

# Templates only staff read that stay in English (some of the admin's own pages, staff emails). The
# sign-in pages (templates/accounts/) and the admin's chrome are checked: they are in Spanish when the
# admin is (docs/editors/translations.md).
STAFF_TEMPLATES = (
    "templates/admin/programs/",
    "templates/accounts/email/",
    "templates/programs/email/staff_notification.txt",
    "templates/officer_feedback/email/professional_standards.txt",
    "editor_home/templates/",
    "agreements/templates/agreements/email/",
)
TEMPLATE_DIRS = [
    "templates",
    "agreements/templates",
    "training/templates",
    "program_data/templates",
    "open_data/templates",
    "updates/templates",
]
ATTRIBUTES_READ_ALOUD = ("aria-label", "alt", "title", "placeholder", "data-label")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_marked_for_translation_is_translated(tmp_path, language):
    """makemessages over the code as it is now: a new string, or a changed one, fails here until
    it is translated in locale/<language>/LC_MESSAGES/django.po (`make messages`, then edit it)."""
    catalogue = extract(tmp_path, language)
    missing = [entry.msgid for entry in untranslated(catalogue)]
    assert missing == [], f"{len(missing)} strings to translate in {catalogue_path(language)}: run `make messages`"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    catalogue = polib.pofile(str(catalogue_path(language)))
    assert [entry.msgid for entry in untranslated(catalogue)] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_the_po_file(language):
    """The .mo is committed so that running the site needs no gettext: it must be the .po compiled."""
    po = polib.pofile(str(catalogue_path(language)))
    mo = polib.mofile(str(catalogue_path(language).with_suffix(".mo")))
    compiled = {(entry.msgctxt, entry.msgid): entry for entry in mo}
    stale = [
        entry.msgid
        for entry in po
        if (entry.msgctxt, entry.msgid) not in compiled
        or (compiled[(entry.msgctxt, entry.msgid)].msgstr or compiled[(entry.msgctxt, entry.msgid)].msgstr_plural)
        != (entry.msgstr or entry.msgstr_plural)
    ]
    assert stale == [], "run `make messages` to compile the catalogue"


def _public_templates():
    for folder in TEMPLATE_DIRS:
        for path in sorted(Path(settings.BASE_DIR, folder).rglob("*")):
            relative = path.relative_to(settings.BASE_DIR).as_posix()
            if path.suffix in (".html", ".txt") and not relative.startswith(STAFF_TEMPLATES):
                yield relative


TAG = re.compile(r"<[^>]*>", re.S)
ATTRIBUTE = re.compile(r"\b(" + "|".join(ATTRIBUTES_READ_ALOUD) + r')="([^"]*)"')
WORD = re.compile(r"[A-Za-z]{2,}")
TRANSLATED_BLOCK = re.compile(r"{%\s*blocktrans(late)?\b.*?{%\s*endblocktrans(late)?\s*%}", re.S)
COMMENT = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.S)
TEMPLATE_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
# The admin's blocks of CSS classes (its column layout, the body's class): names, not text.
CLASS_BLOCK = re.compile(r"{%\s*block\s+(coltype|bodyclass)\s*%}.*?{%\s*endblock\s*%}", re.S)


def unmarked_text(source):
    """Words of a template written outside {% translate %} and {% blocktranslate %}: its text
    between tags, and the attributes a screen reader reads."""
    text = TEMPLATE_TAG.sub("", TRANSLATED_BLOCK.sub("", CLASS_BLOCK.sub("", COMMENT.sub("", source))))
    found = [value for tag in TAG.findall(text) for _, value in ATTRIBUTE.findall(tag) if WORD.search(value)]
    words = re.sub(r"&\w+;", " ", TAG.sub("\n", text))
    found += [line.strip() for line in words.splitlines() if WORD.search(line)]
    return found


@pytest.mark.parametrize("template", list(_public_templates()))
def test_every_interface_string_of_the_public_templates_is_marked_for_translation(template):
    source = Path(settings.BASE_DIR, template).read_text()
    assert unmarked_text(source) == []


def test_the_check_finds_text_left_unmarked():
    assert unmarked_text('<p>Call us</p>{% translate "Marked" %}') == ["Call us"]
    assert unmarked_text('<a href="/" aria-label="Previous page">{% translate "Back" %}</a>') == ["Previous page"]
    assert unmarked_text("{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}") == []
    assert unmarked_text("{% block coltype %}colM{% endblock %}<p>Hello</p>") == ["Hello"]


# The Python modules behind the public pages: their forms, and the titles and errors their views write.
# (Models' help texts and the admin's, import and upload messages are for staff, who read English.)
PUBLIC_PYTHON = [
    "programs/forms.py",
    "programs/views.py",
    "inbox/forms.py",
    "inbox/views.py",
    "officer_feedback/forms.py",
    "officer_feedback/views.py",
    "agreements/views.py",
    "program_data/views.py",
    "open_data/views.py",
]
# Keyword arguments and page-context keys whose value a reader sees.
SHOWN_ARGUMENTS = {"label", "help_text", "empty_label"}
SHOWN_KEYS = {"page_title", "page_description"}


def _is_plain_text(node):
    """A literal string with words in it, or an f-string: what gettext never sees."""
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and bool(WORD.search(node.value))


def _is_plain_html(node):
    """crispy-forms' HTML(): a literal with words outside its tags and template tags."""
    if isinstance(node, ast.JoinedStr):
        return True
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and bool(WORD.search(TAG.sub("", TEMPLATE_TAG.sub("", node.value))))
    )


def unmarked_python(source):
    """(line, what) of each literal a reader sees that is not wrapped in a translation call."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            called = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if called in ("ValidationError", "Fieldset") and node.args and _is_plain_text(node.args[0]):
                found.append((node.lineno, called))
            if called == "HTML" and node.args and _is_plain_html(node.args[0]):
                found.append((node.lineno, called))
            for keyword in node.keywords:
                if keyword.arg in SHOWN_ARGUMENTS and _is_plain_text(keyword.value):
                    found.append((keyword.value.lineno, keyword.arg))
                if keyword.arg == "error_messages" and isinstance(keyword.value, ast.Dict):
                    found += [(v.lineno, "error_messages") for v in keyword.value.values if _is_plain_text(v)]
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in SHOWN_KEYS and _is_plain_text(value):
                    found.append((value.lineno, key.value))
    return found


@pytest.mark.parametrize("module", PUBLIC_PYTHON)
def test_every_interface_string_of_the_public_python_is_marked_for_translation(module):
    assert unmarked_python(Path(settings.BASE_DIR, module).read_text()) == []


def test_the_python_check_finds_text_left_unmarked():
    source = """
forms.CharField(label="Name", help_text=_("Marked"), error_messages={"required": "Enter it."})
raise ValidationError(f"Bad {x}")
render(request, "t.html", {"page_title": "Hello", "page_description": _("Fine")})
Layout(Fieldset("When", "day"), Fieldset(_("Where"), "place"), HTML('<p class="usa-hint">Leave it</p>'))
Layout(HTML('{% include "includes/privacy_note.html" %}'), HTML(format_html("<p>{}</p>", _("Marked"))))
"""
    assert unmarked_python(source) == [
        (2, "label"),
        (2, "error_messages"),
        (3, "ValidationError"),
        (4, "page_title"),
        (5, "Fieldset"),
        (5, "HTML"),
    ]
