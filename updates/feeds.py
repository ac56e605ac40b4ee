"""Atom feeds of updates (django.contrib.syndication): a program's, a state's and the whole
site's, each in the language of its address (/es/... in Spanish). Cached like the pages, by
the same tags (page.py)."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from page_cache.pages import tag_page
from programs.models import Program, State

from .models import Update
from .when import event_when

ITEMS = 30


class UpdatesFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        self.language = translation.get_language()
        return super().__call__(request, *args, **kwargs)

    def updates(self, obj):
        raise NotImplementedError

    def items(self, obj):
        return self.updates(obj).with_list_data().newest_first()[:ITEMS]

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
        tag_page(request, f"program-updates:{program.pk}", f"program:{program.pk}", f"agency:{program.agency_id}")
        return program

    def updates(self, program):
        return Update.objects.published().of_program(program)

    def title(self, program):
        return _("Updates from the %(program)s") % {"program": program.page_title}

    def link(self, program):
        return reverse("updates:program_updates", args=[program.slug])

    def subtitle(self, program):
        return _("News and events from the %(program)s, newest first.") % {"program": program.page_title}


class StateFeed(UpdatesFeed):
    def get_object(self, request, code):
        state = get_object_or_404(State.objects.with_published_programs(), code__iexact=code)
        tag_page(request, f"state-updates:{state.pk}", f"state:{state.pk}", "programs")
        return state

    def updates(self, state):
        return Update.objects.published().in_state(state)

    def title(self, state):
        return _("Updates from the programs of %(state)s") % {"state": state.name}

    def link(self, state):
        return reverse("updates:state_updates", args=[state.code.lower()])

    def subtitle(self, state):
        return _("News and events from the School Resource Officer programs of %(state)s.") % {"state": state.name}


class SiteFeed(UpdatesFeed):
    def get_object(self, request):
        tag_page(request, "updates", "programs")
        return None

    def updates(self, obj):
        return Update.objects.published()

    def title(self):
        return _("Updates from every program")

    def link(self):
        return reverse("updates:all_updates")

    def subtitle(self):
        return _("News and events from every School Resource Officer program on this site.")
