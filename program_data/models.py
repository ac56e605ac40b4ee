"""A program's figures for one school year: counts of what its officers did
and what happened to students, defined once in program_data/measures.py.

Every figure of a year is kept in one JSON document on its FigureSet, so a
change, its history and a revert take the whole year at once: the groups of
a breakdown always add up to the total they break down (validation.py).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.models import Program, format_school_year

from .validation import figure_errors


class FigureSetQuerySet(models.QuerySet):
    def published(self):
        """Figures of published programs: the public's."""
        return self.filter(program__status=Program.Status.PUBLISHED)


class FigureSet(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="figure_sets")
    school_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text="The year the school year starts, e.g. 2025 for 2025–26.",
    )
    data_through = models.DateField(
        "data through",
        help_text="The last day the figures cover, e.g. June 30, 2026 for the whole 2025–26 school year.",
    )
    source = models.CharField(
        max_length=300,
        help_text=(
            "Where the figures come from, e.g. 'Sheriff's Office records system and the districts' CRDC "
            "submissions'. Shown with the figures."
        ),
    )
    note = models.TextField(
        blank=True, help_text="Anything a reader should know, e.g. a change in how something was counted."
    )
    enrollment = models.PositiveIntegerField(
        "students enrolled",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=(
            "Students enrolled that year in the schools the program serves, e.g. from the federal school "
            "directory (NCES). With it, the public pages give rates per 1,000 students."
        ),
    )
    is_example = models.BooleanField(
        "example only",
        default=False,
        help_text="Made-up figures for the demo. Labelled 'Example' wherever they appear, never as real figures.",
    )
    # {measure: {"count": n or None (not collected), "by": {breakdown: {group: n}}}}: see validation.py.
    figures = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Optimistic concurrency: the admin form carries it; a stale save is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    objects = FigureSetQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "-school_year"]
        verbose_name = _("yearly figures")
        verbose_name_plural = _("yearly figures")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "school_year"],
                name="one_figure_set_per_program_year",
                violation_error_message="This program already has figures for this school year.",
            )
        ]

    def __str__(self):
        return f"{self.program.page_title}: {self.school_year_display}"

    def get_absolute_url(self):
        return reverse("program_data:program_data", kwargs={"slug": self.program.slug}) + f"#year-{self.school_year}"

    @property
    def school_year_display(self):
        return format_school_year(self.school_year)

    def clean(self):
        if getattr(self, "_figures_checked", False):  # the admin form checked them, box by box
            return
        schools = None
        if self.program_id:
            schools = set(self.program.agency.schools.values_list("pk", flat=True))
        errors = figure_errors(self.figures, schools)
        if errors:
            raise ValidationError([f"{message}" for message in errors.values()])
