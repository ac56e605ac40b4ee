"""The public pages of updates: a program's, a state's and the whole site's lists (paged), and
each update's own page. Feeds and calendars are feeds.py and calendars.py; subscribing is
subscriptions.py."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from page_cache.pages import tag_page
from programs.models import Program, State, editable_agency_ids
from programs.pagination import paginate

from . import about, page
from .models import Update
from .when import event_when

PER_PAGE = 20


def _titled(title, page_obj):
    if page_obj.paginator.num_pages > 1:
        return _("%(title)s, page %(number)s of %(pages)s") % {
            "title": title,
            "number": page_obj.number,
            "pages": page_obj.paginator.num_pages,
        }
    return title


def _list(request, updates, context, title):
    page_obj = paginate(request, updates.with_list_data().newest_first(), PER_PAGE)
    page_obj.object_list = [page.summary(u) | {"update": u} for u in page_obj.object_list]
    return render(
        request,
        "updates/update_list.html",
        {**context, "page_obj": page_obj, "page_title": _titled(title, page_obj), "list_title": title},
    )


def _program(request, slug):
    """The program at `slug`: published, or a draft its editor may preview."""
    return get_object_or_404(Program.objects.visible_to(request.user).with_card_data(), slug=slug)


def program_updates(request, slug):
    program = _program(request, slug)
    tag_page(request, f"program-updates:{program.pk}", f"program:{program.pk}", f"agency:{program.agency_id}")
    title = _("Updates from the %(program)s") % {"program": program.page_title}
    return _list(
        request,
        Update.objects.published().of_program(program),
        {
            "program": program,
            "alternate_feeds": [page.program_feed_link(program)],
            "subscribe_url": reverse("updates:subscribe_program", args=[program.slug]),
            "calendar_url": reverse("updates:program_calendar", args=[program.slug]),
            "page_description": _("News and events from the %(program)s, newest first.")
            % {"program": program.page_title},
        },
        title,
    )


def _state(code):
    return get_object_or_404(State.objects.with_published_programs(), code__iexact=code)


def state_updates(request, code):
    state = _state(code)
    tag_page(request, f"state-updates:{state.pk}", f"state:{state.pk}", "programs")
    title = _("Updates from the programs of %(state)s") % {"state": state.name}
    return _list(
        request,
        Update.objects.published().in_state(state),
        {
            "state": state,
            "show_program": True,
            "alternate_feeds": [page.state_feed_link(state)],
            "subscribe_url": reverse("updates:subscribe_state", args=[state.code.lower()]),
            "page_description": _("News and events from the School Resource Officer programs of %(state)s.")
            % {"state": state.name},
        },
        title,
    )


def all_updates(request):
    tag_page(request, "updates", "programs")
    title = _("Updates from every program")
    return _list(
        request,
        Update.objects.published(),
        {
            "show_program": True,
            "alternate_feeds": [page.site_feed_link()],
            "page_description": _("News and events from every School Resource Officer program on this site."),
        },
        title,
    )


def update_detail(request, slug, update):
    program = _program(request, slug)
    updates = Update.objects.of_program(program).select_related("school", "topic")
    if not _may_preview(request, program):
        updates = updates.filter(status=Update.Status.PUBLISHED)
    update = get_object_or_404(updates, slug=update)
    tag_page(request, f"program-updates:{program.pk}", f"program:{program.pk}", f"agency:{program.agency_id}")
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
            "alternate_feeds": [page.program_feed_link(program)],
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
