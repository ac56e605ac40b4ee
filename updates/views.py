"""The public pages of updates: a program's, a state's and the whole site's lists (paged), and
each update's own page. Feeds and calendars are feeds.py and calendars.py; subscribing is
subscriptions.py."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from page_cache.pages import tag_page
from programs.models import Program, State, editable_agency_ids
from programs.page_titles import paged_title
from programs.pagination import paginate

from . import about, page
from .lists import ProgramUpdates, SiteUpdates, StateUpdates
from .models import Update
from .when import event_when

PER_PAGE = 20


def _list(request, update_list, context):
    page_obj = paginate(request, update_list.updates().with_list_data().newest_first(), PER_PAGE)
    page_obj.object_list = [page.summary(u) | {"update": u} for u in page_obj.object_list]
    title = update_list.title
    return render(
        request,
        "updates/update_list.html",
        {
            **context,
            "alternate_feeds": [update_list.feed_link()],
            "page_description": update_list.description,
            "page_obj": page_obj,
            "page_title": paged_title(title, page_obj),
            "list_title": title,
        },
    )


def _program(request, slug):
    """The program at `slug`: published, or a draft its editor may preview."""
    return get_object_or_404(Program.objects.visible_to(request.user).with_card_data(), slug=slug)


def program_updates(request, slug):
    program = _program(request, slug)
    update_list = ProgramUpdates(program).tag(request)
    return _list(
        request,
        update_list,
        {
            "program": program,
            "subscribe_url": reverse("updates:subscribe_program", args=[program.slug]),
            "calendar_url": reverse("updates:program_calendar", args=[program.slug]),
        },
    )


def _state(code):
    return get_object_or_404(State.objects.with_published_programs(), code__iexact=code)


def state_updates(request, code):
    state = _state(code)
    update_list = StateUpdates(state).tag(request)
    return _list(
        request,
        update_list,
        {
            "state": state,
            "show_program": True,
            "subscribe_url": reverse("updates:subscribe_state", args=[state.code.lower()]),
        },
    )


def all_updates(request):
    return _list(request, SiteUpdates().tag(request), {"show_program": True})


def update_detail(request, slug, update):
    program = _program(request, slug)
    updates = Update.objects.of_program(program).select_related("school", "topic")
    if not _may_preview(request, program):
        updates = updates.filter(status=Update.Status.PUBLISHED)
    update = get_object_or_404(updates, slug=update)
    ProgramUpdates(program).tag(request)
    if update.topic_id:
        tag_page(request, f"topic:{update.topic_id}")
    if update.school_id:
        tag_page(request, f"school:{update.school_id}")
    about_url, about_label = about.public_link(update.about)
    return render(
        request,
        "updates/update_detail.html",
        {
            "program": program,
            "update": update,
            "when": event_when(update),
            "about_url": about_url,
            "about_label": about_label,
            "alternate_feeds": [ProgramUpdates(program).feed_link()],
            "page_title": update.title,
            "page_description": (update.paragraphs or [""])[0][:160],
            "subscribe_url": reverse("updates:subscribe_program", args=[program.slug]),
        },
    )


def _may_preview(request, program):
    """Drafts are shown to the program's own editors (the same rule as a draft program's page)."""
    if not (request.user.is_authenticated and request.user.is_staff):
        return False
    allowed = editable_agency_ids(request.user)
    return allowed is None or program.agency_id in allowed
