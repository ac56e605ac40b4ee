"""The public pages of programs' yearly figures: a program's, with its CSV, and a state's comparison."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from page_cache.pages import tag_page
from programs import seo
from programs.models import Outcome, Program, School, State, format_school_year

from .measures import CRDC
from .models import FigureSet
from .published import EXAMPLE_NOTE, csv_text, program_sections, school_ids, small_text, state_comparisons


def _program_figures(request, slug):
    """The program (published, or a draft its staff may preview), its figure sets oldest first, and the sections."""
    program = get_object_or_404(
        Program.objects.visible_to(request.user)
        .select_related("agency__state")
        .prefetch_related(
            Prefetch("outcomes", queryset=Outcome.objects.all()),
            Prefetch("figure_sets", queryset=FigureSet.objects.order_by("school_year"), to_attr="years"),
        ),
        slug=slug,
    )
    ids = school_ids(program.years)
    names = dict(School.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    agency = program.agency
    tag_page(request, f"program:{program.pk}", f"program-data:{program.pk}")
    tag_page(request, f"agency:{agency.pk}", f"state:{agency.state_id}")  # names, contacts, schools' names
    return program, program_sections(program.years, names)


def _figures_page(request, template, parent, figure_sets, title, description, **context):
    """A page of yearly figures, with what each explains (examples, the small-count rule, the CRDC) and
    its breadcrumbs: Home, `parent` (a name and an address), Yearly figures."""
    breadcrumbs = [(_("Home"), reverse("programs:home")), parent, (_("Yearly figures"), request.path)]
    return render(
        request,
        template,
        {
            **context,
            "figure_sets": figure_sets,
            "examples": [fs for fs in figure_sets if fs.is_example],
            "small_text": small_text(),
            "largest_small": settings.SMALL_COUNT_THRESHOLD - 1,
            "crdc": CRDC,
            "page_title": title,
            "page_description": description,
            "structured_data": seo.breadcrumbs_structured_data(request, breadcrumbs),
        },
    )


def program_data(request, slug):
    program, sections = _program_figures(request, slug)
    return _figures_page(
        request,
        "program_data/program_data.html",
        (program.page_title, program.get_absolute_url()),
        program.years,
        _("%(program)s: yearly figures") % {"program": program.page_title},
        _(
            "Referrals to law enforcement, school-related arrests and more, year by year, for the "
            "%(program)s, with privacy-safe breakdowns and a CSV download."
        )
        % {"program": program.page_title},
        program=program,
        agency=program.agency,
        sections=sections,
        example_note=EXAMPLE_NOTE,
    )


def program_data_csv(request, slug):
    program, sections = _program_figures(request, slug)
    response = HttpResponse(csv_text(program.page_title, sections), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{program.slug}-yearly-figures.csv"'
    return response


def state_data(request, code, year=None):
    state = get_object_or_404(State.objects.with_published_programs(), code__iexact=code)
    if code != state.code.lower():
        return redirect(reverse("program_data:state_data", args=[state.code.lower()]), permanent=True)
    published = FigureSet.objects.published().filter(program__agency__state=state)
    years = list(published.order_by("-school_year").values_list("school_year", flat=True).distinct())
    if year is not None and year not in years:
        raise Http404("No figures for that school year.")
    year = year if year is not None else (years[0] if years else None)
    figure_sets = []
    if year is not None:
        figure_sets = list(
            published.filter(school_year=year)
            .select_related("program__agency")
            .order_by("program__agency__county", "program__name")
        )
    tag_page(request, f"state:{state.pk}", f"state-programs:{state.pk}", f"state-data:{state.pk}")
    year_label = format_school_year(year) if year is not None else ""
    title = _("Yearly figures of %(state)s's programs") % {"state": state.name}
    if year_label:
        title = f"{title}, {year_label}"
    return _figures_page(
        request,
        "program_data/state_data.html",
        (state.name, state.get_absolute_url()),
        figure_sets,
        title,
        _(
            "The figures %(state)s's School Resource Officer programs publish, side by side, per 1,000 "
            "students enrolled where enrollment is known."
        )
        % {"state": state.name},
        state=state,
        year=year,
        year_label=year_label,
        other_years=[(y, format_school_year(y)) for y in years if y != year],
        comparisons=state_comparisons(figure_sets, year_label),
    )
