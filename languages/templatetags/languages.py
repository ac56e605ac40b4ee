"""The header's link to the same page in the other language, and the page's alternates."""

from django import template
from django.conf import settings
from django.template.loader import get_template
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from languages import content, formats

register = template.Library()


def _unprefixed(path):
    language = translation.get_language_from_path(path)
    return path[len(language) + 1 :] if language else path


def address_in(request, language, page_not_found=False):
    """This page's address in `language`, or None when the page has no other version (staff pages).

    A page not found is "not found" in every language: its address is moved
    to the other language's prefix as is.
    """
    path = request.get_full_path()
    if page_not_found:
        bare = _unprefixed(path)
        return bare if language == settings.LANGUAGE_CODE else f"/{language}{bare}"
    translated = translate_url(path, language)
    if translation.get_language_from_path(request.path_info) is None and translated == path:
        return None  # not one of the public pages (i18n_patterns): the admin, sign-in pages
    return translated


@register.simple_tag(takes_context=True)
def other_languages(context):
    """[(code, name in its own language, address)] of the other languages this page is in."""
    request = context.get("request")
    if request is None:
        return []
    current = translation.get_language()
    found = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        url = address_in(request, code, page_not_found=context.get("page_not_found", False))
        if url is not None:
            found.append((code, name, url))
    return found


@register.filter
def long_date(value):
    """A date as this page's language writes it: "March 5, 2026", "5 de marzo de 2026"."""
    return formats.long_date(value) if value else ""


@register.simple_tag(takes_context=True)
def lang_of(context, obj, field):
    """` lang="en"` on an element showing staff content that has no version in the page's
    language yet, so that screen readers switch voice; the page then says so once
    ({% content_language_notice_first %}). `obj`: a model instance, or a page
    document's dict (which carries `<field>_lang`, programs/program_pages.py)."""
    if obj is None or translation.get_language() == settings.LANGUAGE_CODE:
        return ""
    shown = obj.get(f"{field}_lang") if isinstance(obj, dict) else content.fallback_language(obj, field)
    if not shown:
        return ""
    content.shown_in_other_language(context.get("request"))
    return format_html(' lang="{}"', shown)


@register.tag
def content_language_notice_first(parser, token):
    """{% content_language_notice_first %}...{% end_content_language_notice_first %}: the content,
    with the notice that some of it is only in English, once, where a reader (or a screen reader)
    meets it before the English text: right after the page's heading (`<h1>`), or first where the
    page has none. After the heading, not above it, so that on a phone the heading stays on the
    first screen; a heading in English is itself marked `lang="en"`. The content is rendered first:
    its {% lang_of %} tags decide whether the notice is needed."""
    nodelist = parser.parse(("end_content_language_notice_first",))
    parser.delete_first_token()
    return ContentLanguageNoticeFirst(nodelist)


class ContentLanguageNoticeFirst(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        content = self.nodelist.render(context)
        request = context.get("request")
        if not getattr(request, "content_in_other_language", False):
            return content
        notice = get_template("includes/content_language_notice.html").render({"shown": True})
        heading_end = content.find("</h1>")
        at = heading_end + len("</h1>") if heading_end >= 0 else 0
        return mark_safe(content[:at] + notice + content[at:])  # noqa: S308 (both rendered by templates, escaped there)
