#!/usr/bin/env python3
"""How much of each Spanish page is English: a check from outside, over HTTP, that knows nothing
of the site's code, catalogue or database (tests/languages/test_spanish_pages_have_no_unmarked_english.py
is the one that does).

Starting at /es/, it follows every link to a page under /es/ (downloads left out), and, with
--forms, sends each public form empty once to read its error page. On each page it reads the text a
visitor sees or a screen reader reads (text, the title, alt, aria-label, title and placeholder
attributes), outside elements marked lang="en" and outside <script>, <style>, code and text areas;
leaves out what looks like a proper name (two or more capitalized words in a row, "Jefferson County
Sheriff's Office", "Office of Professional Standards"), addresses and quoted search terms; and counts
the words of a fixed list of common English words that are not Spanish words too ("the", "and",
"of", "your", "school", "officer"...). It prints each page's share of English words, the worst
first, with examples, and exits 1 when a page has more than --max-share of them (0 by default).

    .venv/bin/python bench/english_on_spanish_pages.py --url http://127.0.0.1:8000 [--forms] [--start PATH]

Stdlib only. Against `make run` (the demo), nothing else needed; --forms posts empty forms, which
the site answers with their errors and never saves.
"""

import argparse
import http.cookiejar
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

# Common English words that are not Spanish words too (no "a", "no", "me", "son", "once", "sin",
# "has", "real", "total", "id", "personal"...): function words, then the site's own vocabulary.
ENGLISH = {
    *("the", "and", "of", "to", "in", "is", "are", "for", "with", "on", "by", "or", "your", "you", "this"),
    *("that", "from", "it", "its", "be", "as", "at", "an", "not", "we", "our", "will", "can", "when"),
    *("where", "what", "who", "which", "how", "about", "more", "all", "any", "each", "every", "their"),
    *("them", "they", "have", "was", "were", "been", "if", "than", "then", "there", "these", "those"),
    *("only", "also", "into", "out", "up", "after", "before", "between", "without", "some", "other"),
    *("may", "must", "should", "would", "could", "here", "now", "do", "does", "did", "so", "but", "just"),
    *("too", "yet", "while", "during", "until", "because", "since", "both", "his", "her", "she", "him"),
    *("my", "us", "please", "yes", "one", "two", "three", "first", "last", "next", "new"),
    *("page", "pages", "site", "school", "schools", "officer", "officers", "program", "programs"),
    *("agency", "agencies", "county", "counties", "district", "districts", "figures", "year", "years"),
    *("name", "number", "phone", "email", "address", "contact", "hours", "monday", "friday", "report"),
    *("send", "see", "read", "find", "empty", "field", "fields", "state", "states", "city", "date", "day"),
    *("days", "time", "topic", "topics", "students", "student", "class", "classroom", "parent"),
    *("teacher", "question", "questions", "complaint", "compliment", "thank", "help"),
}
SKIPPED = {"script", "style", "template", "noscript", "code", "pre", "kbd", "samp", "textarea"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
READ_ALOUD = ("alt", "title", "aria-label", "placeholder")
CONNECTOR = r"(?:of|the|and|for|de|del|la|las|los|y)"
CAPITALIZED = r"[A-Z0-9][\w'’.&-]*"
# Two or more capitalized words in a row, possibly joined by "of", "the", "de"...: a name.
PROPER_NAME = re.compile(rf"{CAPITALIZED}(?:\s+(?:{CONNECTOR}\s+)*{CAPITALIZED})+")
# Addresses, file names, quoted search terms and code; HTTP's headers and such names (If-None-Match, DCAT-US).
NOT_WORDS = re.compile(
    r"\S+@\S+|https?://\S+|(?<![\w.])/[\w/{}.-]+|\b[\w-]+(?:\.[\w-]+)+\b|“[^”]*”|`[^`]*`|'[a-z0-9_]+'"
    r"|\b[A-Z]\w*(?:-[A-Z]\w*)+\b"
)
# A word: letters, with no digit or underscore next to them ("SEE8PABV", a reference; "school_year").
WORD = re.compile(r"(?<!\w)[^\W\d_]+(?:['’][^\W\d_]+)*(?!\w)")


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open, self.texts, self.links, self.forms = [], [], [], []

    def lang(self):
        return next((lang for _, lang in reversed(self.open) if lang), None)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self.forms.append(attributes.get("action") or "")
        if not any(t in SKIPPED for t, _ in self.open):
            lang = attributes.get("lang") or self.lang()
            self.texts += [(attributes[name], lang) for name in READ_ALOUD if attributes.get(name)]
        if tag not in VOID:
            self.open.append((tag, attributes.get("lang")))

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        tags = [t for t, _ in self.open]
        if data.strip() and not any(t in SKIPPED for t in tags) and ("head" not in tags or "title" in tags):
            self.texts.append((" ".join(data.split()), self.lang()))


def english_words(text):
    """(English words, all words) of a text, names and addresses left out."""
    found = WORD.findall(PROPER_NAME.sub(" ", NOT_WORDS.sub(" ", text)))
    return [w for w in found if w.lower() in ENGLISH], len(found)


def measure(html):
    """(English words, all words, [English texts]) of a page's text outside lang="en"."""
    page = Page()
    page.feed(html)
    english, total, examples = 0, 0, []
    for text, lang in page.texts:
        if lang and lang.lower().startswith("en"):
            continue
        found, count = english_words(text)
        english, total = english + len(found), total + count
        if found:
            examples.append(text)
    return english, total, examples, page


class Site:
    def __init__(self, base):
        self.base = base.rstrip("/")
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path, data=None, headers=None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as response:  # noqa: S310 (the site given in --url)
                return response.status, response.headers.get("Content-Type", ""), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Content-Type", ""), error.read().decode()


def local(href, base):
    parts = urllib.parse.urlsplit(urllib.parse.urljoin(base, href))
    if parts.path.startswith("/es/") and parts.netloc in ("", urllib.parse.urlsplit(base).netloc):
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return None


def crawl(site, start, limit, forms):
    results, queue, seen, form_paths = {}, list(start), set(start), set()
    while queue and len(results) < limit:
        path = queue.pop(0)
        status, kind, body = site.get(path)
        if "text/html" not in kind:
            continue
        english, total, examples, page = measure(body)
        results[path] = (status, english, total, examples)
        for href in page.links:
            link = local(href, site.base + path)
            if link and link not in seen:
                seen.add(link)
                queue.append(link)
        form_paths |= {local(action, site.base + path) or path.split("?")[0] for action in page.forms}
    if forms:
        for path in sorted(form_paths):
            _status, _kind, body = site.get(path)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
            data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1) if token else ""}).encode()
            status, _kind, body = site.get(path, data, {"Referer": site.base + path})
            english, total, examples, _page = measure(body)
            results[f"{path} (sent empty)"] = (status, english, total, examples)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the running site")
    parser.add_argument("--forms", action="store_true", help="also send each public form empty (its error page)")
    parser.add_argument("--limit", type=int, default=500, help="pages at most")
    parser.add_argument(
        "--start", action="append", default=[], help="another address to start from, e.g. /es/schools/?q=example"
    )
    parser.add_argument("--max-share", type=float, default=0.0, help="largest share of English words allowed")
    parser.add_argument("--examples", type=int, default=2, help="English texts shown per page")
    args = parser.parse_args()
    results = crawl(Site(args.url), ["/es/", *args.start], args.limit, args.forms)
    worst = sorted(results.items(), key=lambda item: (-(item[1][1] / max(item[1][2], 1)), item[0]))
    all_english = sum(r[1] for r in results.values())
    all_words = sum(r[2] for r in results.values())
    share = all_english / max(all_words, 1)
    print(f"{len(results)} pages under /es/, {all_words} words, {all_english} common English words ({share:.1%})")
    failed = False
    for path, (status, english, total, examples) in worst:
        share = english / max(total, 1)
        failed |= share > args.max_share
        print(f"{share:6.1%}  {english:4d}/{total:<5d} {status} {path}")
        for text in examples[: args.examples]:
            print(f"{'':22}{text[:110]!r}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
