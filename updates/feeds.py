"""Atom feeds of updates (django.contrib.syndication): a program's, a state's and the whole
site's, each in the language of its address (/es/... in Spanish). Cached like the pages, by
the same tags (lists.py)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html_join

from programs.models import Program, State

from .lists import ProgramUpdates, SiteUpdates, StateUpdates
from .when import event_when

ITEMS = 30


class UpdatesFeed(Feed):
    """A list of updates (lists.py) as a feed: `get_object` finds the list and tags the response."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        self.language = translation.get_language()
        return super().__call__(request, *args, **kwargs)

    def items(self, update_list):
        return update_list.updates().with_list_data().newest_first()[:ITEMS]

    def title(self, update_list):
        return update_list.title

    def link(self, update_list):
        return update_list.url

    def subtitle(self, update_list):
        return update_list.description

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        parts = [event_when(item), item.event_place] if item.is_event else []
        paragraphs = [p for p in parts if p] + item.paragraphs
        return format_html_join("", "<p>{}</p>", ((p,) for p in paragraphs))

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.program.agency.name


class ProgramFeed(UpdatesFeed):
    def get_object(self, request, slug):
        program = get_object_or_404(Program.objects.published().with_card_data(), slug=slug)
        return ProgramUpdates(program).tag(request)


class StateFeed(UpdatesFeed):
    def get_object(self, request, code):
        state = get_object_or_404(State.objects.with_published_programs(), code__iexact=code)
        return StateUpdates(state).tag(request)


class SiteFeed(UpdatesFeed):
    def get_object(self, request):
        return SiteUpdates().tag(request)
