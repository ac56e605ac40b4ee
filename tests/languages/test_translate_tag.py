"""`{% translate %}` of a literal string is remembered per language (languages/translate_tag.py)."""

from pathlib import Path

import pytest
from django.template import Context, Template
from django.templatetags import i18n
from django.test import override_settings
from django.utils import translation
from django.utils.autoreload import file_changed

from languages.translate_tag import RememberedTranslateNode

TEMPLATES = [
    '{% translate "Home" %}',
    '{% translate "Fish & chips" %}|{% autoescape off %}{% translate "Fish & chips" %}{% endautoescape %}',
    '{% translate "Primary" context "navigation" as label %}[{{ label }}] {% translate "100%% sure" %}',
    '{% translate "Home" noop %} {% translate word %} {% translate "Home"|upper %}',
    "{% trans 'Privacy notice' %}",
]


def render(template, language, **context):
    with translation.override(language):
        return template.render(Context(context))


def djangos_own(source, monkeypatch):
    """The template compiled with Django's own tag, for comparison."""
    with monkeypatch.context() as patch:
        patch.setitem(i18n.register.tags, "translate", i18n.do_translate)
        patch.setitem(i18n.register.tags, "trans", i18n.do_translate)
        return Template("{% load i18n %}" + source)


@pytest.mark.parametrize("source", TEMPLATES)
def test_renders_as_djangos_own_tag_in_every_language_render_after_render(source, monkeypatch):
    expected, ours = djangos_own(source, monkeypatch), Template("{% load i18n %}" + source)
    assert not any(isinstance(node, RememberedTranslateNode) for node in expected.nodelist)
    for language in ["es", "en", "es", "en"]:
        for word in ["Home", "Privacy notice"]:
            assert render(ours, language, word=word) == render(expected, language, word=word)


def test_the_same_compiled_tag_follows_the_active_language():
    template = Template('{% load i18n %}{% translate "Home" %}')
    assert isinstance(template.nodelist[-1], RememberedTranslateNode)
    assert render(template, "es") == "Inicio"
    assert render(template, "en") == "Home"
    assert render(template, "es") == "Inicio"


def test_variables_and_filters_are_translated_on_every_render():
    template = Template('{% load i18n %}{% translate word %} {% translate "Home"|upper %}')
    assert [node.remembered for node in template.nodelist if isinstance(node, RememberedTranslateNode)] == [None, None]
    assert render(template, "es", word="Home") == "Inicio INICIO"
    assert render(template, "es", word="Privacy notice") == "Aviso de privacidad INICIO"


def test_a_catalogue_read_again_is_never_answered_from_older_texts():
    template = Template('{% load i18n %}{% translate "Privacy notice" %}')
    node = template.nodelist[-1]

    def spoil():
        for key in node.remembered:
            node.remembered[key] = "stale"

    assert render(template, "es") == "Aviso de privacidad"
    spoil()
    assert render(template, "es") == "stale"  # what is remembered is what is served
    file_changed.send(sender=None, file_path=Path("locale/es/LC_MESSAGES/django.mo"))
    assert render(template, "es") == "Aviso de privacidad"
    spoil()
    with override_settings(LOCALE_PATHS=[]):
        assert render(template, "es") == "Privacy notice"  # the project's catalogue is gone
    assert render(template, "es") == "Aviso de privacidad"


def test_a_language_block_has_its_own_language_and_the_text_after_it_the_pages():
    template = Template(
        '{% load i18n %}{% translate "Home" %}|{% language "es" %}{% translate "Home" %}|'
        '{% language "en" %}{% translate "Home" %}{% endlanguage %}|{% translate "Home" %}{% endlanguage %}|'
        '{% translate "Home" %}'
    )
    assert render(template, "en") == "Home|Inicio|Home|Inicio|Home"
    assert render(template, "es") == "Inicio|Inicio|Home|Inicio|Inicio"


def test_the_language_is_asked_once_per_render_not_once_per_tag(monkeypatch):
    template = Template("{% load i18n %}" + '{% translate "Home" %}' * 50)
    asked = []
    real = translation.get_language
    for language, text in [("es", "Inicio"), ("en", "Home")]:  # each render asks again
        with translation.override(language), monkeypatch.context() as patch:
            patch.setattr(translation, "get_language", lambda: asked.append(1) or real())
            assert template.render(Context()) == text * 50
        assert len(asked) == 1
        asked.clear()
