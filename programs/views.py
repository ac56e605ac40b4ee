from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render

from .forms import SchoolSearchForm
from .models import Assignment, EducationTopic, Program, School, current_school_year

SEARCH_RESULT_LIMIT = 50


def home(request):
    programs = Program.objects.published().with_card_data()
    return render(request, "programs/home.html", {"programs": programs, "search_form": SchoolSearchForm()})


def program_detail(request, slug):
    program = get_object_or_404(Program.objects.visible_to(request.user).with_page_data(), slug=slug)
    return render(
        request,
        "programs/program_detail.html",
        {"program": program, "agency": program.agency, "schools": program.schools_with_current_officers()},
    )


def topic_list(request):
    topics = EducationTopic.objects.prefetch_related(
        Prefetch("programs", queryset=Program.objects.published().with_card_data())
    )
    return render(request, "programs/topic_list.html", {"topics": topics})


def topic_detail(request, slug):
    topic = get_object_or_404(EducationTopic, slug=slug)
    programs = topic.programs.published().with_card_data()
    return render(request, "programs/topic_detail.html", {"topic": topic, "programs": programs})


def _schools_with_contacts():
    """Schools with this year's officers and the published program to call."""
    return School.objects.select_related("agency").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(
                school_year=current_school_year(), officer__is_active=True
            ).select_related("officer"),
            to_attr="current_assignments",
        ),
        Prefetch("agency__programs", queryset=Program.objects.published(), to_attr="published_programs"),
    )


def school_search(request):
    form = SchoolSearchForm(request.GET or None)
    schools = None
    if form.is_valid():
        q = form.cleaned_data["q"]
        schools = list(
            _schools_with_contacts().filter(Q(name__icontains=q) | Q(city__icontains=q) | Q(district__icontains=q))[
                :SEARCH_RESULT_LIMIT
            ]
        )
    return render(
        request,
        "programs/school_search.html",
        {"form": form, "schools": schools, "limit": SEARCH_RESULT_LIMIT},
        status=200,
    )


def school_detail(request, slug):
    school = get_object_or_404(_schools_with_contacts(), slug=slug)
    return render(request, "programs/school_detail.html", {"school": school})


def page_not_found(request, exception):
    """A 404 that helps: the school search and the ways back in."""
    return render(request, "404.html", {"search_form": SchoolSearchForm()}, status=404)
