from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language, gettext


@lru_cache(maxsize=8)
def _nav_urls(script_prefix, language):
    """The site-wide links, reversed once per script prefix and language rather than on every page."""
    return {
        name: reverse(f"programs:{name}")
        for name in ("home", "school_search", "topic_list", "privacy", "accessibility")
    }


def site(request):
    """Site-wide wording that templates need on every page."""
    # The defaults of these settings are in the translation catalogue (gettext_noop
    # in settings.py); a county's own wording is shown as written.
    return {
        "SITE_NAME": gettext(settings.SITE_NAME),
        "SITE_BANNER_TEXT": gettext(settings.SITE_BANNER_TEXT),
        "SITE_OPERATOR": gettext(settings.SITE_OPERATOR),
        "DEFAULT_DESCRIPTION": gettext(
            "Find your county's School Resource Officer program: what the officers do, "
            "which schools they serve and how to reach them."
        ),
        # The page's address without its query string: search results and
        # tracking parameters all point search engines at one URL.
        "CANONICAL_URL": request.build_absolute_uri(request.path),
        "NAV_URLS": _nav_urls(get_script_prefix(), get_language()),
    }
