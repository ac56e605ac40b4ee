"""The three lists of updates: a program's, a state's and the whole site's. What each holds, its
title and description, its addresses and the page-cache tags it carries (page.py lists them) are
said here once, for its page (views.py), its feed (feeds.py) and the links other pages give to it."""

from django.urls import reverse
from django.utils.translation import gettext as _

from page_cache.pages import tag_page

from .models import Update

ATOM = "application/atom+xml"


class UpdateList:
    list_url_name = ""
    feed_url_name = ""
    url_args = ()

    def updates(self):
        raise NotImplementedError

    def tags(self):
        raise NotImplementedError

    def tag(self, request):
        """Tag the response that shows it; the list itself, for a feed's `get_object`."""
        tag_page(request, *self.tags())
        return self

    @property
    def url(self):
        return reverse(self.list_url_name, args=self.url_args)

    def feed_link(self):
        """The `<link rel="alternate">` to its Atom feed, on its page and on the page it belongs to."""
        return {"type": ATOM, "title": self.title, "url": reverse(self.feed_url_name, args=self.url_args)}


class ProgramUpdates(UpdateList):
    list_url_name = "updates:program_updates"
    feed_url_name = "updates:program_feed"

    def __init__(self, program):
        self.program = program
        self.url_args = [program.slug]

    def updates(self):
        return Update.objects.published().of_program(self.program)

    def tags(self):
        program = self.program
        return f"program-updates:{program.pk}", f"program:{program.pk}", f"agency:{program.agency_id}"

    @property
    def title(self):
        return _("Updates from the %(program)s") % {"program": self.program.page_title}

    @property
    def description(self):
        return _("News and events from the %(program)s, newest first.") % {"program": self.program.page_title}


class StateUpdates(UpdateList):
    list_url_name = "updates:state_updates"
    feed_url_name = "updates:state_feed"

    def __init__(self, state):
        self.state = state
        self.url_args = [state.code.lower()]

    def updates(self):
        return Update.objects.published().in_state(self.state)

    def tags(self):
        return f"state-updates:{self.state.pk}", f"state:{self.state.pk}", "programs"

    @property
    def title(self):
        return _("Updates from the programs of %(state)s") % {"state": self.state.name}

    @property
    def description(self):
        return _("News and events from the School Resource Officer programs of %(state)s.") % {"state": self.state.name}


class SiteUpdates(UpdateList):
    list_url_name = "updates:all_updates"
    feed_url_name = "updates:site_feed"

    def updates(self):
        return Update.objects.published()

    def tags(self):
        return "updates", "programs"

    @property
    def title(self):
        return _("Updates from every program")

    @property
    def description(self):
        return _("News and events from every School Resource Officer program on this site.")
