"""Surrogate keys: the page cache's tags in the one spelling every shared cache accepts.

A page's tag in its language, `program:7@es`, is the key `program-7-es`: letters, digits and
dashes only (Akamai refuses `:` and `@`, Cloudflare spaces and commas, and Varnish's xkey and
Fastly separate keys with spaces). Every page also carries `site`, which `purge_shared_cache
--all` purges.

Each cache limits what one response may carry (Akamai 128 tags of 128 characters, Fastly and
Cloudflare 16 KB, Varnish its header size). A page over the limit carries a collection key
instead of one key per row of a kind: `school-all-en` for all its `school-<id>-en`; every purge of
a row's key purges its collection key as well, so such a page is purged by a change to any row
of that kind, never missed.
"""

import re
from collections import defaultdict

from page_cache.pages import in_language

EVERY_PAGE = "site"
_NOT_IN_A_KEY = re.compile(r"[^a-z0-9-]+")


def key(tag):
    """`program:7@es` -> `program-7-es`."""
    return _NOT_IN_A_KEY.sub("-", tag.lower()).strip("-")


def collection(tag):
    """The key that stands for every row of the tag's kind: `program:7@es` -> `program-all-es`;
    None for a tag that names no row (`programs@es`)."""
    name, _, language = tag.partition("@")
    kind, row, _ = name.partition(":")
    if not row:
        return None
    return key(f"{kind}:all@{language}" if language else f"{kind}:all")


def fits(keys, cache):
    if cache.max_keys is not None and len(keys) > cache.max_keys:
        return False
    if cache.max_key_length is not None and any(len(k) > cache.max_key_length for k in keys):
        return False
    return len(cache.header_value(sorted(keys))) <= cache.max_bytes


def for_page(tags, cache):
    """The keys a page with these tags carries, within `cache`'s limits, or None when even
    collection keys would not fit (the page is then not offered to the shared cache)."""
    chosen = {EVERY_PAGE}
    rows = defaultdict(set)  # collection key: the row keys it can stand for
    for tag in tags:
        chosen.add(key(tag))
        if (group := collection(tag)) is not None:
            rows[group].add(key(tag))
    while not fits(chosen, cache) and rows:
        # The kind with the most rows on the page gives way first (its keys, or a key too long).
        group = max(rows, key=lambda g: (len(rows[g] & chosen), max(map(len, rows[g]))))
        chosen = (chosen - rows.pop(group)) | {group}
    return sorted(chosen) if fits(chosen, cache) else None


def for_change(tags, languages):
    """The keys to purge when these tags are bumped: each tag in each language, and the
    collection keys standing for them on pages whose lists were too long."""
    qualified = {in_language(tag, language) for tag in tags for language in languages}
    found = {key(tag) for tag in qualified}
    found |= {group for tag in qualified if (group := collection(tag)) is not None}
    return sorted(found)
