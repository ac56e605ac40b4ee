from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import truncatechars
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from page_cache.pages import remembered, tag_page

from . import hooks, seo
from .forms import SchoolSearchForm
from .models import Assignment, EducationTopic, Program, School, State, current_school_year
from .page_titles import form_page_title, paged_title
from .pagination import paginate
from .program_pages import page_for, published_page_for
from .search import search_schools
from .search_cards import result_cards

PROGRAMS_PER_PAGE = 50
SCHOOLS_PER_PAGE = 20


def _states_with_programs():
    """The states with published programs, with their counts, read once per change (page_cache/pages.py)."""
    return remembered("states-with-programs", lambda: list(State.objects.with_published_programs()))


def home(request):
    """The school search first, then the states with programs (or, with one state, its programs)."""
    states = _states_with_programs()
    tag_page(request, "programs", "states")
    context = {"states": states, "search_form": SchoolSearchForm()}
    if len(states) == 1:
        # A site (or the demo) with one state: its programs here, not one click away.
        context["state"] = states[0]
        context["programs"] = Program.objects.published().in_state(states[0]).with_card_data()[:PROGRAMS_PER_PAGE]
    return render(request, "programs/home.html", context)


def state_detail(request, code):
    state = get_object_or_404(State.objects.with_published_programs(), code__iexact=code)
    if code != state.code.lower():
        return redirect(state, permanent=True)
    page = paginate(request, Program.objects.published().in_state(state).with_card_data(), PROGRAMS_PER_PAGE)
    tag_page(request, f"state:{state.pk}", f"state-programs:{state.pk}")
    title = paged_title(_("School Resource Officer programs in %(state)s") % {"state": state.name}, page)
    return render(
        request,
        "programs/state_detail.html",
        {
            # What other apps add to the page (programs/hooks.py).
            **{key: value for part in hooks.get_hooks(hooks.STATE_PAGE_PARTS) for key, value in part(state).items()},
            "state": state,
            "page_obj": page,
            "search_form": SchoolSearchForm(),
            "page_title": title,
            "page_description": _("The county School Resource Officer programs of %(state)s and how to reach them.")
            % {"state": state.name},
            "structured_data": seo.breadcrumbs_structured_data(
                request, [(_("Home"), reverse("programs:home")), (state.name, state.get_absolute_url())]
            ),
            # Each page is its own page for search engines, not a copy of the first.
            "CANONICAL_URL": request.build_absolute_uri(
                state.get_absolute_url() + (f"?page={page.number}" if page.number > 1 else "")
            ),
        },
    )


def program_detail(request, slug):
    if request.user.is_authenticated:  # staff may preview their agency's drafts
        page = page_for(Program.objects.visible_to(request.user), slug)
    else:
        page = published_page_for(slug)
    program, agency = page["program"], page["program"]["agency"]
    tag_page(request, f"agency:{agency['pk']}", f"state:{agency['state']['pk']}")
    tag_page(request, f"program:{program['pk']}")  # its own parts (programs/invalidation.py)
    tag_page(request, *(f"topic:{topic['pk']}" for topic in program["topics"]))
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "agency": agency,
            "officers": page["officers"],
            "schools": page["schools"],
            "structured_data": seo.program_structured_data(request, program),
            "page_title": program["page_title"],
            "page_description": program["summary"],
            **page["parts"],
        },
    )


def topic_list(request):
    topics = EducationTopic.objects.prefetch_related(
        Prefetch("programs", queryset=Program.objects.published().with_card_data())
    )
    tag_page(request, "topics", "programs")
    return render(
        request,
        "programs/topic_list.html",
        {
            "topics": topics,
            "page_title": _("Classroom topics"),
            "page_description": _(
                "Topics School Resource Officers teach in classrooms, and which programs offer them."
            ),
        },
    )


def topic_detail(request, slug):
    topic = get_object_or_404(EducationTopic, slug=slug)
    programs = topic.programs.published().with_card_data()
    tag_page(request, f"topic:{topic.pk}", "programs")
    tag_page(request, f"topic-programs:{topic.pk}")  # which programs teach it (programs/invalidation.py)
    return render(
        request,
        "programs/topic_detail.html",
        {
            "topic": topic,
            "programs": programs,
            "page_title": _("%(topic)s: a classroom topic") % {"topic": topic.name},
            "page_description": truncatechars(
                topic.description or _("Programs that teach %(topic)s.") % {"topic": topic.name}, 160
            ),
        },
    )


def _schools_with_contacts():
    """Schools with this year's officers and the published program to call."""
    return (
        School.objects.public()
        .select_related("agency")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(
                    school_year=current_school_year(), officer__is_active=True
                ).select_related("officer"),
                to_attr="current_assignments",
            ),
            Prefetch("agency__programs", queryset=Program.objects.published(), to_attr="published_programs"),
        )
    )


def school_search(request):
    states = _states_with_programs()
    form = SchoolSearchForm(request.GET or None, states=states)
    tag_page(request, "search", "states")
    page = results = cards = None
    title = _("Find your school's officer")
    if form.is_valid():
        found = form.cleaned_data
        schools = School.objects.public().in_area(found["state"], found["county"])
        # The page's (school, agency) ids: its schools are read, with their officers,
        # only for cards not in the cache.
        results = search_schools(schools, found["q"], read_from=_schools_with_contacts)
        page = paginate(request, results.hits, SCHOOLS_PER_PAGE)
        cards = result_cards(results, page.object_list)
        title = paged_title(_("Schools matching “%(query)s”") % {"query": found["q"]}, page)
    title = form_page_title(form, title)
    return render(
        request,
        "programs/school_search.html",
        {
            "form": form,
            "page_obj": page,
            "results": results,
            "cards": cards,
            "area": _area(form, states),
            "page_title": title,
            "page_description": _("Search by school name or city to find the School Resource Officer of a school."),
            # Result pages are for people, not for search engines' indexes.
            "noindex": form.is_bound,
        },
    )


def _area(form, states):
    """Where the search looked, in words: 'Jefferson County, Missouri', or '' for everywhere."""
    if not form.is_valid():
        return ""
    state = next((s.name for s in states if s.code.lower() == form.cleaned_data["state"]), "")
    county = _("%(county)s County") % {"county": form.cleaned_data["county"]} if form.cleaned_data["county"] else ""
    return ", ".join(filter(None, [county, state]))


def school_detail(request, slug):
    school = get_object_or_404(_schools_with_contacts(), slug=slug)
    tag_page(request, f"school:{school.pk}", f"agency:{school.agency_id}")
    return render(
        request,
        "programs/school_detail.html",
        {
            "school": school,
            "page_title": _("%(school)s: School Resource Officer") % {"school": school.name},
            "page_description": _("The School Resource Officer at %(school)s, %(city)s, and how to reach them.")
            % {"school": school.name, "city": school.city},
        },
    )


def page_not_found(request, exception):
    """A 404 that helps: the school search and the ways back in."""
    return render(
        request,
        "404.html",
        {"search_form": SchoolSearchForm(), "page_title": _("Page not found"), "noindex": True, "page_not_found": True},
        status=404,
    )


def _agency_names(user):
    """The agencies an editor edits, for the admin's 403 ("none yet"); none for a superuser, who edits every one."""
    if not user.is_authenticated or user.is_superuser:
        return None
    names = [membership.agency.name for membership in user.agency_memberships.select_related("agency")]
    return ", ".join(names) if names else _("none yet")


def permission_denied(request, exception):
    """A 403 that says why and where to go: in the admin (an editor opening another agency's
    content, or a page their role does not give), or on a public page."""
    if request.path.startswith("/" + settings.ADMIN_URL):
        from django.contrib import admin

        context = {
            **admin.site.each_context(request),
            "title": _("You do not have access to this page"),
            "agencies": _agency_names(request.user),
        }
        return render(request, "admin/403.html", context, status=403)
    return render(request, "403.html", {"page_title": _("Access denied"), "noindex": True}, status=403)


def program_vcard(request, slug):
    """The program's contact as a card a phone can save (drafts stay private)."""
    program = get_object_or_404(Program.objects.visible_to(request.user).with_card_data(), slug=slug)
    tag_page(request, f"agency:{program.agency_id}", f"state:{program.agency.state_id}")
    card = seo.program_vcard(program, request.build_absolute_uri(program.get_absolute_url()))
    response = HttpResponse(card, content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{program.slug}-sro-contact.vcf"'
    return response


def robots_txt(request):
    tag_page(request)  # the same until the host changes
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    return HttpResponse(f"User-agent: *\nAllow: /\nSitemap: {sitemap_url}\n", content_type="text/plain; charset=utf-8")


def favicon(request):
    # Resolved per request: the hashed name exists only after collectstatic.
    return HttpResponsePermanentRedirect(static("uswds/img/favicons/favicon.ico"))


def sitemap_index(request):
    """The list of the sitemap's sections, each in files of at most 50,000 addresses."""
    tag_page(request, *seo.sitemap_tags())
    return sitemap_views.index(request, sitemaps=seo.sitemaps(), sitemap_url_name="sitemap_section")


def sitemap_section(request, section):
    tag_page(request, *seo.sitemap_tags())
    return sitemap_views.sitemap(request, sitemaps=seo.sitemaps(), section=section)
