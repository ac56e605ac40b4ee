"""`{% translate "literal" %}` remembered per language, instead of looked up on every render.

Django's tag makes a lazy translation of its string on every render, then
resolves it through the active language's catalogue: about 6 µs, and a program
page has a hundred of them (a tenth of its uncached render, bench/run.py).
For a literal string with no filter and a literal context, which is nearly
every one in these templates, the translated and escaped text depends only
on the language and on autoescaping: each tag keeps its text per (language,
autoescape), until the catalogues are read again (a restart; in development,
a changed .mo file or a test's settings, which Django's own caches follow too).
Anything else (a variable, a filter) is rendered by Django's own code.

The active language itself is asked once per template context, not once per
tag: Django keeps it in an asgiref Local, a few microseconds a lookup, and a
program page has a hundred tags (`active_language`). `{% language %}` is
replaced too, so a block in another language still has its own.

Installed by LanguagesConfig.ready() in place of Django's `translate`, `trans`
and `language` tags, so `{% load i18n %}` stays as it is and `makemessages`
reads the templates as before.
"""

from django.core.signals import setting_changed
from django.template.base import render_value_in_context
from django.templatetags import i18n
from django.utils import translation
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeData, mark_safe

# Changes when the catalogues may have: part of every key, so older texts are never served.
_catalogues = {"generation": 0}
CATALOGUE_SETTINGS = {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}


def _catalogues_changed(**kwargs):
    _catalogues["generation"] += 1


def _setting_changed(setting, **kwargs):
    if setting in CATALOGUE_SETTINGS:
        _catalogues_changed()


def _file_changed(file_path, **kwargs):
    if file_path.suffix == ".mo":
        _catalogues_changed()
    # None: the autoreloader goes on as it would (Django's own receiver reloads the catalogues).


# The attribute of a template Context holding the language it is rendered in (see active_language).
LANGUAGE_ATTRIBUTE = "_active_language"


def active_language(context):
    """The active language, asked once per Context: a render's language changes only in a
    {% language %} block (LanguageBlockNode), which sets its own. Contexts made from this one
    (inclusion tags, `with ... only`) are copies, and carry it."""
    language = context.__dict__.get(LANGUAGE_ATTRIBUTE)
    if language is None:
        language = context.__dict__[LANGUAGE_ATTRIBUTE] = translation.get_language()
    return language


class LanguageBlockNode(i18n.LanguageNode):
    def render(self, context):
        outer = context.__dict__.pop(LANGUAGE_ATTRIBUTE, None)
        try:
            return super().render(context)  # its tags ask the language again, inside the block
        finally:
            context.__dict__.pop(LANGUAGE_ATTRIBUTE, None)
            if outer is not None:
                context.__dict__[LANGUAGE_ATTRIBUTE] = outer


def do_language(parser, token):
    node = i18n.language(parser, token)
    return LanguageBlockNode(node.nodelist, node.language)


def _is_literal(expression):
    return expression is None or (not expression.filters and getattr(expression.var, "literal", None) is not None)


class RememberedTranslateNode(i18n.TranslateNode):
    def __init__(self, filter_expression, noop, asvar=None, message_context=None):
        super().__init__(filter_expression, noop, asvar, message_context)
        self.remembered = {} if _is_literal(self.filter_expression) and _is_literal(message_context) else None

    def render(self, context):
        if self.remembered is None:
            return super().render(context)
        key = (active_language(context), context.autoescape, _catalogues["generation"])
        value = self.remembered.get(key)
        if value is None:
            value = self.remembered[key] = self._translated(context)
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value

    def _translated(self, context):
        # As TranslateNode.render does, without the assignment.
        self.filter_expression.var.translate = not self.noop
        if self.message_context:
            self.filter_expression.var.message_context = self.message_context.resolve(context)
        value = render_value_in_context(self.filter_expression.resolve(context), context)
        is_safe = isinstance(value, SafeData)
        value = value.replace("%%", "%")
        return mark_safe(value) if is_safe else value  # noqa: S308 (it was safe before the replace)


def do_translate(parser, token):
    node = i18n.do_translate(parser, token)
    return RememberedTranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)


def install():
    i18n.register.tags["translate"] = i18n.register.tags["trans"] = do_translate
    i18n.register.tags["language"] = do_language
    setting_changed.connect(_setting_changed, dispatch_uid="remembered-translations")
    file_changed.connect(_file_changed, dispatch_uid="remembered-translations")
