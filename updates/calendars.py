"""Events as iCalendar (RFC 5545, written by the `icalendar` library): an "Add to calendar"
file per event, and a calendar of a program's events that calendar apps subscribe to."""

from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from page_cache.pages import tag_page
from programs.models import Program

from .links import absolute
from .models import Update

# A subscribed calendar asks again this often (a hint; the page cache answers most asks).
REFRESH = timedelta(hours=6)


def _calendar(name):
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_URL}//updates//{translation.get_language().upper()}")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH)
    return calendar


def _event(update):
    event = Event()
    host = settings.SITE_URL.split("://", 1)[-1]
    event.add("uid", f"update-{update.pk}@{host}")  # the same in every language: one event
    event.add("dtstamp", update.updated_at)
    event.add("dtstart", update.event_start)
    if update.event_end:
        event.add("dtend", update.event_end)
    event.add("summary", update.title)
    event.add("description", "\n\n".join(update.paragraphs))
    if update.event_place:
        event.add("location", update.event_place)
    event.add("url", absolute(update.get_absolute_url()))
    event.add("class", "PUBLIC" if update.event_is_public else "PRIVATE")
    return event


def _response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _published_program(slug):
    return get_object_or_404(Program.objects.published().with_card_data(), slug=slug)


def event_ics(request, slug, update):
    """One event, to add to one's calendar."""
    program = _published_program(slug)
    update = get_object_or_404(Update.objects.published().of_program(program), slug=update)
    if not update.is_event:
        raise Http404("This update is not an event.")
    tag_page(request, f"program-updates:{program.pk}", f"program:{program.pk}")
    calendar = _calendar(update.title)
    calendar.add_component(_event(update))
    return _response(calendar, f"{update.slug}.ics")


def program_calendar(request, slug):
    """Every event of a program from a year back on, for calendar apps to subscribe to."""
    program = _published_program(slug)
    tag_page(request, f"program-updates:{program.pk}", f"program:{program.pk}", f"agency:{program.agency_id}")
    since = timezone.now() - timedelta(days=365)
    events = Update.objects.published().of_program(program).filter(event_start__gte=since).order_by("event_start")
    calendar = _calendar(_("Events of the %(program)s") % {"program": program.page_title})
    for update in events:
        calendar.add_component(_event(update))
    return _response(calendar, f"{program.slug}-events.ics")
