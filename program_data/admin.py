"""Staff enter a program's figures for a school year on one page: each
measure's total (or "not collected"), and, where they have them, its
breakdowns by group of students and by school. Scoped to the editor's
agencies (programs/admin/scoping.py), with history and revert of the whole
year at once, and refusal of stale saves (programs/admin/concurrency.py)."""

from django import forms
from django.conf import settings
from django.contrib import admin

from programs.admin.concurrency import VersionCheckedAdminMixin
from programs.admin.content import ContentAdmin
from programs.admin.scoping import RELATED_ONLY
from programs.models import School, format_school_year

from .measures import BY_KEY, DIMENSIONS, MEASURES, SCHOOL_DIMENSION
from .models import FigureSet
from .validation import figure_errors

# Per-school boxes for at most this many schools (each measure given by school
# has one per school: a form of thousands of boxes would be refused by Django).
PER_SCHOOL_LIMIT = 100


def count_field(name):
    return f"{name}__count"


def not_collected_field(name):
    return f"{name}__not_collected"


def group_field(measure, breakdown, group):
    return f"{measure}__{breakdown}__{group}"


def _count(label, help_text=""):
    return forms.IntegerField(label=label, min_value=0, required=False, help_text=help_text)


class FigureSetForm(forms.ModelForm):
    """The figure set's own fields, then a box per figure; `figures` is built from the boxes."""

    schools = ()  # [(id, name)] of the program's agency; set per request by FigureSetAdmin.get_form

    class Meta:
        model = FigureSet
        fields = ["program", "school_year", "is_example", "data_through", "source", "enrollment", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        figures = self.instance.figures or {}
        for measure in MEASURES:
            entry = figures.get(measure.key)
            if entry is None and self.instance.pk:
                entry = {"count": None}  # saved without it (a measure added since): it was not collected
            if entry is not None:
                self.initial.setdefault(count_field(measure.key), entry.get("count"))
                self.initial.setdefault(not_collected_field(measure.key), entry.get("count") is None)
            for breakdown, groups in (entry or {}).get("by", {}).items():
                for group, n in groups.items():
                    self.initial.setdefault(group_field(measure.key, breakdown, group), n)

    def clean(self):
        cleaned = super().clean()
        figures = {}
        for measure in MEASURES:
            count = cleaned.get(count_field(measure.key))
            not_collected = cleaned.get(not_collected_field(measure.key))
            if not_collected and count is not None:
                self.add_error(count_field(measure.key), "Give a number or tick “not collected”, not both.")
            elif not not_collected and count is None and count_field(measure.key) not in self.errors:
                self.add_error(
                    count_field(measure.key), "Enter the number (0 if there were none), or tick “not collected”."
                )
            entry = {"count": None if not_collected else count}
            by = {}
            for breakdown, groups in self.breakdown_fields(measure):
                entered = {g: cleaned.get(f) for g, f in groups if cleaned.get(f) is not None}
                if entered:
                    by[breakdown] = entered
            if by:
                entry["by"] = by
            figures[measure.key] = entry
        self.instance.figures = figures
        program = cleaned.get("program")
        school_ids = set(program.agency.schools.values_list("pk", flat=True)) if program else None
        for (measure, breakdown), message in figure_errors(figures, school_ids).items():
            self.add_error(self.error_field(measure, breakdown), message)
        self.instance._figures_checked = True  # box by box above: the model's own check would repeat it
        return cleaned

    def error_field(self, measure, breakdown):
        """The box an error is shown at: a breakdown's first, or the measure's total."""
        if measure not in BY_KEY:
            return None
        for key, groups in self.breakdown_fields(BY_KEY[measure]):
            if key == breakdown and groups:
                return groups[0][1]
        return count_field(measure)

    def breakdown_fields(self, measure):
        """[(breakdown, [(group, field name)])] for the measure's breakdowns."""
        breakdowns = []
        if measure.by_group:
            for dimension in DIMENSIONS:
                breakdowns.append(
                    (
                        dimension.key,
                        [(c.key, group_field(measure.key, dimension.key, c.key)) for c in dimension.categories],
                    )
                )
        if measure.by_school and self.schools:
            breakdowns.append(
                (
                    SCHOOL_DIMENSION,
                    [(str(pk), group_field(measure.key, SCHOOL_DIMENSION, pk)) for pk, _name in self.schools],
                )
            )
        return breakdowns


def _declared_fields(schools):
    """Every figure box of the form, measure by measure."""
    fields = {}
    for measure in MEASURES:
        fields[count_field(measure.key)] = _count(
            measure.unit, "The total for the whole program: a number, 0 if there were none."
        )
        fields[not_collected_field(measure.key)] = forms.BooleanField(label="Not collected", required=False)
        if measure.by_group:
            for dimension in DIMENSIONS:
                for category in dimension.categories:
                    fields[group_field(measure.key, dimension.key, category.key)] = _count(category.label)
        if measure.by_school:
            for pk, name in schools:
                fields[group_field(measure.key, SCHOOL_DIMENSION, pk)] = _count(name)
    return fields


def _fieldsets(schools, school_note):
    fieldsets = [
        (None, {"fields": ["program", "school_year", "is_example"]}),
        (
            "Where the figures come from",
            {
                "description": "Shown with the figures on the program's page of yearly figures and in its CSV.",
                "fields": ["data_through", "source", "enrollment", "note"],
            },
        ),
    ]
    for measure in MEASURES:
        threshold = settings.SMALL_COUNT_THRESHOLD
        privacy = (
            f" A count of students from 1 to {threshold - 1} is published as “fewer than {threshold}”, and counts "
            "that would let it be worked out are hidden with it: enter the real numbers, the site protects them."
            if measure.counts_students
            else ""
        )
        fieldsets.append(
            (
                measure.label,
                {
                    "description": measure.definition + privacy,
                    "fields": [(count_field(measure.key), not_collected_field(measure.key))],
                },
            )
        )
        if measure.by_group:
            fieldsets.append(
                (
                    f"{measure.label} by group of students (optional)",
                    {
                        "classes": ["collapse"],
                        "description": (
                            "Leave a group empty to leave it out: each group's boxes add up to the total "
                            "(an empty box in a group you fill counts as 0)."
                        ),
                        "fields": [
                            tuple(group_field(measure.key, d.key, c.key) for c in d.categories) for d in DIMENSIONS
                        ],
                    },
                )
            )
        if measure.by_school and schools:
            fieldsets.append(
                (
                    f"{measure.label} by school (optional)",
                    {
                        "classes": ["collapse"],
                        "description": "The schools add up to the total (an empty box counts as 0)." + school_note,
                        "fields": [
                            tuple(group_field(measure.key, SCHOOL_DIMENSION, pk) for pk, _ in schools[i : i + 4])
                            for i in range(0, len(schools), 4)
                        ],
                    },
                )
            )
    return fieldsets


class FigureBoxesMixin:
    """The form's boxes and their fieldsets, for the figure set's program (below the version check in the MRO)."""

    def _schools(self, obj):
        """The schools of the figure set's agency, for per-school boxes (none until the program is chosen)."""
        if obj is None or not obj.program_id:
            return [], " Choose the program and save first: the boxes for its schools appear then."
        schools = School.objects.filter(agency_id=obj.program.agency_id).order_by("name").values_list("pk", "name")
        schools = list(schools[: PER_SCHOOL_LIMIT + 1])
        if len(schools) > PER_SCHOOL_LIMIT:
            return schools[:PER_SCHOOL_LIMIT], f" Only the first {PER_SCHOOL_LIMIT} schools by name have boxes."
        return schools, ""

    def get_fieldsets(self, request, obj=None):
        schools, note = self._schools(obj)
        return _fieldsets(schools, note)

    def get_form(self, request, obj=None, change=False, **kwargs):
        schools, _note = self._schools(obj)
        form = type("FigureSetForm", (FigureSetForm,), {**_declared_fields(schools), "schools": schools})
        return super().get_form(request, obj, change, form=form, **kwargs)


@admin.register(FigureSet)
class FigureSetAdmin(VersionCheckedAdminMixin, FigureBoxesMixin, ContentAdmin):
    agency_lookup = "program__agency"
    list_display = ["program", "school_year_display", "data_through", "is_example", "updated_at"]
    list_filter = ["school_year", "is_example", ("program__agency", RELATED_ONLY)]
    search_fields = ["program__name", "program__agency__name", "program__agency__county", "source"]
    autocomplete_fields = ["program"]
    list_select_related = ["program__agency"]

    @admin.display(description="School year", ordering="school_year")
    def school_year_display(self, obj):
        return format_school_year(obj.school_year)
