"""Extension points: where the apps built on the domain add to its pages and its admin.

The domain (this app) imports none of the apps built on it (tests/sro_site/test_layout.py
holds it to that). Where a capability shows something on a domain page or adds
to a domain admin, the domain names the place here, and the capability registers
into it from its `AppConfig.ready()`, as Wagtail's hooks do:

    from programs import hooks

    hooks.register(hooks.PROGRAM_FIELDS, partner_districts_fields)

The domain asks `get_hooks(name)` where it builds the page or the admin. Each
point below says what a registered item is and where it is used. Items come back
in the order they were registered, which is the order of INSTALLED_APPS.
"""

from collections import defaultdict

# The program page's stored document (programs/program_pages.py) --------------
# fn(today) -> a Prefetch for the one query that reads a program for its document.
PROGRAM_PAGE_PREFETCH = "program_page_prefetch"
# fn(program, today) -> dict of keys added to the document's "program" part.
PROGRAM_FIELDS = "program_fields"
# fn(program, today) -> dict of keys added to the document itself, and given to the template.
PROGRAM_PAGE_PARTS = "program_page_parts"
# fn(program, today) -> the date (ISO text) the document stops holding (None: it holds
# until something changes); the document is rebuilt on the earliest one.
PROGRAM_PAGE_VALID_UNTIL = "program_page_valid_until"
# fn(officer) -> dict of keys added to each officer's card.
OFFICER_CARD = "officer_card"

# The state page ----------------------------------------------------------------
# fn(state) -> dict of keys given to the state page's template (its news feed's address).
STATE_PAGE_PARTS = "state_page_parts"

# The sitemap (programs/seo.py) --------------------------------------------------
# A Sitemap class (a programs.seo.SectionSitemap, so its files hold at most 50,000 addresses
# in both languages) with `section`, its files' name (sitemap-<section>.xml), and
# `page_cache_tags`, the tags its addresses and lastmod come from: listed in /sitemap.xml
# after the domain's sections.
SITEMAPS = "sitemaps"

# The public pages' templates ({% extensions "name" %}, programs/templatetags/extension_points.py)
# A template name, rendered with the page's context where the page names the point.
PROGRAM_PAGE_ON_THIS_PAGE = "program_page.on_this_page"  # items added to the "On this page" list
PROGRAM_PAGE_NEWS = "program_page.news"  # after the "Get in touch" buttons, before "On this page"
PROGRAM_PAGE_ABOUT = "program_page.about"  # after the program's facts, in "About the program"
PROGRAM_PAGE_FIGURES = "program_page.figures"  # after the outcomes
PROGRAM_PAGE_OFFICERS = "program_page.officers"  # after the officers' cards
PROGRAM_PAGE_ACTIONS = "program_page.actions"  # the last buttons of "Get in touch online"
STATE_PAGE_INTRO = "state_page.intro"  # after a state page's introduction


# The admin -------------------------------------------------------------------
# An inline class, added after the domain's own inlines of that model's admin.
def admin_inlines(model_name):
    return f"admin_inlines.{model_name}"


# A list filter class, put where a domain admin says (`extension_filters_at`).
ADMIN_LIST_FILTERS = "admin_list_filters"

_registry = defaultdict(list)


def register(name, item=None):
    """Register `item` under `name`; without `item`, a decorator that registers what it decorates."""
    if item is None:

        def decorator(item):
            register(name, item)
            return item

        return decorator
    if item not in _registry[name]:  # ready() may run twice (tests that reload apps)
        _registry[name].append(item)
    return item


def get_hooks(name):
    return list(_registry[name])
