"""Every page under /es/ is in Spanish, or says where it is not: no English text outside an element
marked lang="en", except proper names (WCAG 3.1.2, Language of Parts).

The catalogue tests (test_translations.py) check the strings that are marked for translation;
this one checks what the pages show. With the demo loaded once, it walks every public page under
/es/ (those of tests/public_pages.py, and every /es/ page they link to), sends each public form
in Spanish once empty and once filled in (the error page and the thank-you page), and reads the
text of each page: its text nodes, its title and the attributes a screen reader reads, outside
<script>, <style>, code (<code>, <pre>...) and what a visitor typed (<textarea>, a search shown
back in quotes), and outside any element marked lang="en".

What is English: a word of the English that the site itself holds (the catalogue's source strings,
and the demo's content in English), which is not also a word of its Spanish (the catalogue's
translations, the demo's content in Spanish). Proper names (agencies, programs, counties, cities,
schools, districts, officers with their ranks, units, addresses: read from the demo's records) are
taken out of the text first; so are addresses, file and field names ('police', `next`).

It fails with each page, the share of its words that are English, and each English text.
"""

import re
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urljoin, urlsplit

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test import override_settings

from languages.catalogue import catalogue_path
from tests.public_pages import BARRIER_VALID, FEEDBACK_VALID, PUBLIC_PAGES, SUBMIT_VALID, RateLimited

SPANISH = "es"
PREFIX = f"/{SPANISH}/"

# What an element's text is not checked in: not shown (script, style, head but its title), code
# (technical terms: field names, addresses), what a visitor typed and is shown back.
NOT_CHECKED = {"script", "style", "template", "noscript", "code", "pre", "kbd", "samp", "textarea", "head"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
ATTRIBUTES_READ_ALOUD = ("alt", "title", "aria-label", "aria-description", "placeholder")

# A word: letters, with no digit or underscore next to them ("SEE8PABV", a reference; "school_year").
WORD = re.compile(r"(?<!\w)[^\W\d_]+(?:['’][^\W\d_]+)*(?!\w)")
# What is no word of either language: web and email addresses, paths and file names, code and
# the names of fields and values ('police', `next`), a catalogue entry's placeholders and tags.
NOT_WORDS = re.compile(
    "|".join(
        [
            r"\S+@\S+",
            r"https?://\S+",
            r"(?<![\w.])/[\w/{}.-]+",
            r"\b[\w-]+(?:\.[\w-]+)*\.(?:json|csv|vcf|pdf|xml|gov|org|com|net)\b",
            r"<code>.*?</code>",
            r"`[^`]*`",
            r"\b[A-Z]\w*(?:-[A-Z]\w*)+\b",  # HTTP's headers (If-None-Match), names like DCAT-US
            r"'[a-z0-9_]+'",
            r"%\(\w+\)[sd]",
            r"%[sd]",
            r"\{\{.*?\}\}",
            r"\{%.*?%\}",
            r"<[^>]*>",
            r"&\w+;",
        ]
    )
)


def words(text):
    return [word.lower().replace("’", "'") for word in WORD.findall(NOT_WORDS.sub(" ", text)) if len(word) > 1]


# ---------------------------------------------------------------------------------------------
# Reading a page


class VisibleText(HTMLParser):
    """(text, language) of each text node and attribute read aloud, in the page's order; language
    is the nearest lang attribute's (the element's own for its attributes)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open = []  # (tag, lang) of the elements around the current position
        self.found = []
        self.links = []
        self.forms = []

    def language(self):
        return next((lang for _, lang in reversed(self.open) if lang), None)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "form" and (attributes.get("method") or "get").lower() == "post":
            self.forms.append(attributes.get("action") or "")
        lang = attributes.get("lang")
        hidden = any(t in NOT_CHECKED and t != "head" for t, _ in self.open)
        if not hidden:
            own = lang or self.language()
            for name in ATTRIBUTES_READ_ALOUD:
                if attributes.get(name):
                    self.found.append((attributes[name], own))
            if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
                self.found.append((attributes["value"], own))
        if tag not in VOID:
            self.open.append((tag, lang))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        if not data.strip():
            return
        tags = [t for t, _ in self.open]
        if "title" not in tags and any(t in NOT_CHECKED for t in tags):
            return
        self.found.append((" ".join(data.split()), self.language()))


def read(html):
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser


class Vocabulary:
    """The English words the site holds that are not Spanish words too, and its proper names."""

    def __init__(self, english, spanish, proper_names):
        self.english = set(english) - set(spanish)
        names = sorted({n.strip() for n in proper_names if n and n.strip()}, key=len, reverse=True)
        self.names = re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in names)) if names else None

    def without_names(self, text):
        return self.names.sub(" ", text) if self.names else text

    def english_in(self, text):
        """The English words of `text`, proper names left out."""
        return [word for word in words(self.without_names(text)) if word in self.english]

    def count(self, text):
        """(English words, all words) of `text`, proper names left out of both."""
        found = words(self.without_names(text))
        return sum(word in self.english for word in found), len(found)


# What a visitor searched for, shown back between quotes on the search's pages: in any language.
SEARCHED_FOR = re.compile(r"“[^”]*”")


def _shown_as_spanish(page, searched=False):
    """The texts of a page (its HTML, or read()'s) outside elements marked English; `searched`: the
    page shows a search back, whose quoted terms are the visitor's, in any language."""
    page = read(page) if isinstance(page, str) else page
    for text, lang in page.found:
        if not (lang and lang.lower().split("-")[0] == settings.LANGUAGE_CODE):
            yield text, SEARCHED_FOR.sub(" ", text) if searched else text


def unmarked_english(page, vocabulary, searched=False):
    """[(text, its English words)] of each text of a page in Spanish that is English and not marked so."""
    problems = []
    for text, checked in _shown_as_spanish(page, searched):
        english = vocabulary.english_in(checked)
        if english:
            problems.append((text, english))
    return problems


def english_share(page, vocabulary, searched=False):
    """The share of a page's words, outside elements marked English and proper names, that are English."""
    english = total = 0
    for _text, checked in _shown_as_spanish(page, searched):
        found, words_in = vocabulary.count(checked)
        english, total = english + found, total + words_in
    return english / total if total else 0.0


# ---------------------------------------------------------------------------------------------
# The site's words


def _catalogue_texts(path):
    """(English, Spanish) texts of a catalogue: its source strings and their translations."""
    english, spanish = [], []
    for entry in polib.pofile(str(path)):
        if not entry.obsolete:
            english += [entry.msgid, entry.msgid_plural or ""]
            spanish += [entry.msgstr, *entry.msgstr_plural.values()]
    return english, spanish


CONTENT_APPS = ("programs", "agreements", "training", "program_data", "officer_feedback")


def _content_texts():
    """(English, Spanish) texts of the content staff wrote (here, the demo's): a translated field's
    Spanish version is its `<field>_es` column; every other text is English."""
    english, spanish = [], []
    for app in CONTENT_APPS:
        for model in apps.get_app_config(app).get_models():
            fields = [
                f.attname for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)
            ]
            if model.__name__.startswith("Historical") or not fields:
                continue
            for row in model.objects.values_list(*fields):
                for name, value in zip(fields, row, strict=True):
                    if value:
                        (spanish if name.endswith(f"_{SPANISH}") else english).append(str(value))
    return english, spanish


def _proper_names():
    """The names the demo's records give: people, agencies, programs, places, schools, districts, units."""
    from officer_feedback.models import ProfessionalStandardsContact, SchoolMattersContact
    from programs.models import Agency, Officer, Partnership, Program, School, State
    from training.models import Course, OfficerTraining

    names = set()
    for state in State.objects.all():
        names |= {state.name, state.code, state.tip_line_name}
    for agency in Agency.objects.all():
        names |= {agency.name, agency.county, agency.county_name, agency.city, agency.street_address}
    for program in Program.objects.select_related("agency"):
        names |= {program.name, program.page_title, program.contact_division, *program.contact_address.splitlines()}
    for officer in Officer.objects.all():
        # A rank is part of the name an officer goes by: "Deputy Casey Example".
        names |= {officer.display_name, officer.full_name, officer.first_name, officer.last_name}
    for school in School.objects.all():
        names |= {school.name, school.district, school.city, school.street_address}
    names |= set(Partnership.objects.values_list("district", flat=True))
    for contact in ProfessionalStandardsContact.objects.all():
        names |= {contact.unit, *contact.address.splitlines()}
    # Organizations that teach courses; the school districts' contacts' addresses (their offices
    # or roles are written like content: "Director of Student Services").
    names |= set(Course.objects.values_list("provider", flat=True))
    names |= set(OfficerTraining.objects.values_list("provider", flat=True))
    for contact in SchoolMattersContact.objects.all():
        names |= set(contact.address.splitlines())
    return names


def site_vocabulary():
    """English: the words of the catalogue's source strings and of the demo's English content.
    Spanish: those of the catalogue's translations and of the demo's Spanish content. Proper
    names are taken out of both first ("Jefferson County" makes neither "county" Spanish nor English)."""
    catalogue_english, catalogue_spanish = _catalogue_texts(catalogue_path(SPANISH))
    content_english, content_spanish = _content_texts()
    names = Vocabulary((), (), _proper_names())

    def words_of(texts):
        return {word for text in texts for word in words(names.without_names(text))}

    return Vocabulary(
        words_of(catalogue_english + content_english),
        words_of(catalogue_spanish + content_spanish),
        _proper_names(),
    )


# ---------------------------------------------------------------------------------------------
# Walking the site


# Each public form, by the last part of its address, with values that send it (its thank-you page);
# the presentation request's are its program's (_presentation_values).
FORM_VALUES = {
    "ask-a-question": SUBMIT_VALID,
    "report-an-accessibility-barrier": BARRIER_VALID,
    "compliment-or-complain": FEEDBACK_VALID,
    "subscribe": {"email": "pat@example.org", "frequency": "immediately"},
}


def _presentation_values(path):
    from datetime import timedelta

    from django.utils import timezone

    from programs.models import Program

    program = Program.objects.get(slug=path.strip("/").split("/")[-2])
    return {
        "name": "Pat Teacher",
        "email": "pat@example.org",
        "school_choice": str(program.agency.schools.order_by("name").first().pk),
        "topic": str(program.topics.order_by("pk").first().pk),
        "preferred_date_1": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }


def form_values(path):
    kind = path.rstrip("/").rsplit("/", 1)[-1]
    if kind == "request-a-presentation":
        return _presentation_values(path)
    assert kind in FORM_VALUES, f"a public form this test cannot fill in yet: {path} (add its values)"
    return FORM_VALUES[kind]


def _local(href, base):
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.netloc != "testserver" or not parts.path.startswith(PREFIX):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def walk(client, limit=400):
    """{label: page read} of every public page under /es/: by address, and the pages its forms lead
    to (sent empty, sent filled in, sent too often); and the addresses of the forms."""
    pages = {}
    queue = [path for name, (path, post) in PUBLIC_PAGES.items() if name.startswith("es-") and post is None]
    seen = set(queue)
    forms = set()
    while queue:
        path = queue.pop(0)
        response = client.get(path)
        if "text/html" not in response.get("Content-Type", ""):
            continue  # a download: CSV, vCard, JSON
        assert response.status_code in (200, 400, 404), (path, response.status_code)  # 400: a spoilt link's page
        found = pages[path] = read(response.content.decode())
        for href in found.links:
            link = _local(href, path)
            if link and link not in seen:
                seen.add(link)
                queue.append(link)
        forms |= {_local(action, path) or path.split("?")[0] for action in found.forms}
        assert len(seen) < limit, "more pages than this walk expects: a link that makes new addresses?"
    with override_settings(FORM_RATE_LIMIT=1000):  # every form, from one address: more than an hour allows
        for path in sorted(forms):
            empty = client.post(path, {})
            assert empty.status_code == 200, (path, empty.status_code)
            pages[f"{path} (sent empty)"] = read(empty.content.decode())
            sent = client.post(path, form_values(path), follow=True)
            assert sent.status_code == 200 and sent.redirect_chain, (path, sent.status_code)
            pages[f"{path} (sent: {sent.redirect_chain[-1][0]})"] = read(sent.content.decode())
    with override_settings(FORM_RATE_LIMIT=0):
        for name, (path, post) in PUBLIC_PAGES.items():
            if name.startswith("es-") and isinstance(post, RateLimited):
                response = client.post(path, post)
                assert response.status_code == 429, (path, response.status_code)
                pages[f"{path} (too many sent)"] = read(response.content.decode())
    return pages, forms


@pytest.fixture
def demo_site(db):
    call_command("load_demo", stdout=StringIO())


def report(problems, shares):
    lines = []
    for page, found in problems.items():
        lines.append(f"{page} ({shares[page]:.0%} of its words English):")
        lines += [f"    {text!r}  (English: {', '.join(dict.fromkeys(english))})" for text, english in found]
    return "\n".join(lines)


def searches(label):
    return "q=" in urlsplit(label).query


def test_no_page_under_es_shows_english_that_is_not_marked_lang_en(client, demo_site):
    vocabulary = site_vocabulary()
    pages, forms = walk(client)
    # The walk reached what it must: every page of tests/public_pages.py, every public form of both
    # programs (a presentation, a question, a barrier, a complaint or compliment, a subscription to
    # its updates) and the state's subscription to updates, sent both ways.
    assert {path for name, (path, post) in PUBLIC_PAGES.items() if name.startswith("es-") and post is None} <= set(
        pages
    )
    assert len(forms) == 2 * 5 + 1, sorted(forms)
    assert sum(" (sent: " in label for label in pages) == sum(" (sent empty)" in label for label in pages) == 11
    problems = {
        label: found for label, page in pages.items() if (found := unmarked_english(page, vocabulary, searches(label)))
    }
    shares = {label: english_share(pages[label], vocabulary, searches(label)) for label in problems}
    assert not problems, 'English shown without lang="en" on pages in Spanish:\n' + report(problems, shares)


# ---------------------------------------------------------------------------------------------
# The check itself


@pytest.fixture
def vocabulary():
    return Vocabulary(
        english={"the", "officer", "office", "hours", "monday", "to", "friday", "school", "no", "general"},
        spanish={"el", "oficial", "no", "general", "escuela"},
        proper_names={"Jefferson County Sheriff's Office", "Example High School"},
    )


def test_the_check_finds_english_text_and_attributes(vocabulary):
    page = '<html lang="es"><body><p>El oficial</p><p>Monday to Friday</p><img alt="The officer"></body></html>'
    assert unmarked_english(page, vocabulary) == [
        ("Monday to Friday", ["monday", "to", "friday"]),
        ("The officer", ["the", "officer"]),
    ]


def test_the_check_leaves_alone_english_marked_so_names_code_and_words_of_both_languages(vocabulary):
    page = (
        '<html lang="es"><head><script>var office = "the";</script></head><body>'
        '<p lang="en">Monday to <strong>Friday</strong></p><img lang="en" alt="The officer">'
        "<p>Jefferson County Sheriff's Office, Example High School: no general, <code>office</code></p>"
        "<textarea>The officer</textarea></body></html>"
    )
    assert unmarked_english(page, vocabulary) == []


def test_the_check_takes_no_word_out_of_references_field_names_or_addresses(vocabulary):
    page = (
        "<p>Su número de referencia es SEE8PABV.</p><p>school_year, 'school', `the`, /the/officer/, "
        "the.officer@example.org, If-None-Match</p>"
    )
    assert unmarked_english(page, vocabulary) == []


def test_the_check_reads_the_title():
    assert read("<html><head><title>Office hours</title></head></html>").found == [("Office hours", None)]
