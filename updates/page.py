"""What updates add to the domain's pages (programs/hooks.py) and the page-cache tags they carry.

Tags (page_cache/; the domain's are listed in programs/invalidation.py; lists.py tags the lists):
  program:<id>          the program page, whose latest updates are part of its stored document
  program-updates:<id>  a program's updates page, its update pages, feeds and calendars
  state-updates:<id>    a state's updates page and feed
  updates               the whole site's updates page and feed
"""

from django.db.models import Prefetch
from django.urls import reverse

from languages.content import with_languages
from languages.formats import long_date

from .lists import ProgramUpdates, StateUpdates
from .models import Update
from .when import event_when

# How many of the latest updates the program page shows.
LATEST = 3


def tags_of_update(update):
    program = update.program
    return {
        f"program:{program.pk}",
        f"program-updates:{program.pk}",
        f"state-updates:{program.agency.state_id}",
        "updates",
    }


def program_page_prefetch(today):
    published = Update.objects.filter(status=Update.Status.PUBLISHED).newest_first()
    return Prefetch("updates", queryset=published[:LATEST], to_attr="latest_updates")


def summary(update):
    """An update as the program page and the lists show it (JSON-ready: the program page stores it)."""
    return with_languages(
        {
            "title": update.title,
            "url": update.get_absolute_url(),
            "date": {"iso": update.date.isoformat(), "display": long_date(update.date)},
            "is_event": update.is_event,
            "when": event_when(update),
            "event_place": update.event_place,
            "event_is_public": update.event_is_public,
            "is_example": update.is_example,
        },
        update,
        "title",
        "event_place",
    )


def program_page_parts(program, today):
    update_list = ProgramUpdates(program)
    return {
        "latest_updates": [summary(u) for u in program.latest_updates],
        "updates_url": update_list.url,
        "subscribe_url": reverse("updates:subscribe_program", args=[program.slug]),
        "alternate_feeds": [update_list.feed_link()],
    }


def state_page_parts(state):
    update_list = StateUpdates(state)
    return {
        "state_updates_url": update_list.url,
        "state_subscribe_url": reverse("updates:subscribe_state", args=[state.code.lower()]),
        "alternate_feeds": [update_list.feed_link()],
    }
