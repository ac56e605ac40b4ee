"""The school search's result cards, each rendered once and then read from the cache.

Fetching a page's 20 schools with their officers and programs and rendering
their cards was most of a search's CPU (about 6 and 12 ms of 25 at 100,000
schools). A card shows one school, its agency's published programs and this
school year's officers, so it is kept under a key holding the school year
and the versions of the tags any change to those bumps, `school:<id>` and
`agency:<id>` (programs/invalidation.py): a change saved makes a new key, and
the next search on any worker renders that card anew.
"""

import logging

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from page_cache.pages import GENERATION_KEY, TAG_PREFIX, current_versions

from .models import current_school_year

logger = logging.getLogger(__name__)

TEMPLATE = "includes/school_result.html"
CARD_PREFIX = "school-card:"
# Bumped when thousands of schools or agencies change at once (programs/invalidation.py
# site_changed_in_bulk), where a tag per school would be too many keys to write.
ALL_CARDS = "school-cards"


def card_cache():
    return caches["cards"]


def creates_tag_versions():
    return not isinstance(caches["default"], FileBasedCache)


def tag_versions(tags):
    """The current version of each tag, to build the cards' keys."""
    if creates_tag_versions():
        return current_versions(tags)
    # The file cache writes a file per entry, listing its folder each time, and
    # keeps 2,000 at most: a version for every school ever searched would cost
    # a write each and crowd out everything else. A tag never bumped (or culled)
    # stands for the generation instead, which every bump changes: cards keyed
    # on it are re-rendered after any change, never served stale after one.
    found = cache.get_many([GENERATION_KEY, *(TAG_PREFIX + tag for tag in tags)])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        # Nothing saved since the cache was cleared (or the marker was culled):
        # no generation to stand for them, so missing versions are created.
        # Not the marker itself: one appearing while a page renders looks like
        # a bump to the page cache, which then does not store the page.
        return current_versions(tags)
    return {tag: found.get(TAG_PREFIX + tag, f"generation-{generation}") for tag in tags}


def result_cards(results, hits):
    """The HTML of these (school id, agency id) `hits` of `results`, in order: cached cards, the others rendered."""
    if not hits:
        return []
    year = current_school_year()
    try:
        # Read before the schools are: a card rendered while a change commits
        # is stored under the versions from before it, which that change retires.
        versions = tag_versions(
            {ALL_CARDS} | {f"school:{pk}" for pk, _ in hits} | {f"agency:{agency}" for _, agency in hits}
        )
        # A card is written in the page's language ("Oficial de recursos escolares:"): one per language.
        language = get_language()
        keys = {
            pk: (
                f"{CARD_PREFIX}{language}:{pk}:{year}:{versions[f'school:{pk}']}:{versions[f'agency:{agency}']}"
                f":{versions[ALL_CARDS]}"
            )
            for pk, agency in hits
        }
        cards = card_cache().get_many(keys.values())
    except Exception:
        logger.exception("school cards cache unavailable; rendering every card")
        keys, cards = {}, {}
    html = {pk: cards[key] for pk, key in keys.items() if key in cards}
    missing = [pk for pk, _ in hits if pk not in html]
    if missing:
        rendered = {school.pk: render_to_string(TEMPLATE, {"school": school}) for school in results.schools(missing)}
        html.update(rendered)
        if keys:
            try:
                stored = {keys[pk]: card for pk, card in rendered.items()}
                # The staleness bound of cached pages, should a change bypass the signals.
                card_cache().set_many(stored, timeout=settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.exception("could not store school cards in the cache")
    # Safe: every card is HTML this module rendered through the template's autoescaping.
    return [mark_safe(html[pk]) for pk, _ in hits if pk in html]  # noqa: S308
