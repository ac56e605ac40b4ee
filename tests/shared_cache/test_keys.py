"""Page tags become surrogate keys every cache accepts, within each cache's limits."""

import pytest

from shared_cache import caches, keys


def test_a_tag_in_its_language_becomes_a_key_of_letters_digits_and_dashes():
    assert keys.key("program:7@es") == "program-7-es"
    assert keys.key("state-programs:3@en") == "state-programs-3-en"
    assert keys.key("alerts@en") == "alerts-en"


def test_a_page_carries_one_key_per_tag_and_the_key_every_page_has():
    assert keys.for_page({"program:7@es", "agency:3@es", "alerts@es"}, caches.Varnish()) == [
        "agency-3-es",
        "alerts-es",
        "program-7-es",
        "site",
    ]


@pytest.mark.parametrize("cache", [caches.Akamai(), caches.Fastly(), caches.Cloudflare(), caches.Varnish()])
def test_a_long_list_carries_its_collection_key_instead_within_each_caches_limits(cache):
    tags = {f"school:{n}@en" for n in range(3000)} | {"agency:3@en", "search@en"}
    page_keys = keys.for_page(tags, cache)
    assert "school-all-en" in page_keys
    assert not [key for key in page_keys if key.startswith("school-") and key != "school-all-en"]
    assert {"agency-3-en", "search-en", "site"} <= set(page_keys)
    assert keys.fits(page_keys, cache)


def test_akamai_takes_at_most_128_tags():
    tags = {f"topic:{n}@en" for n in range(200)}
    assert len(keys.for_page(tags, caches.Akamai())) <= 128
    assert len(keys.for_page(set(list(tags)[:100]), caches.Akamai())) == 101  # within the limit: one key each


def test_a_change_purges_each_tag_in_each_language_and_the_collections_standing_for_them():
    assert keys.for_change({"program:7", "alerts"}, ["en", "es"]) == [
        "alerts-en",
        "alerts-es",
        "program-7-en",
        "program-7-es",
        "program-all-en",
        "program-all-es",
    ]


def test_a_change_to_one_languages_text_purges_that_language_only():
    assert keys.for_change({"program:7"}, ["es"]) == ["program-7-es", "program-all-es"]
