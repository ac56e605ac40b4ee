"""Officers' training: courses from a catalogue shared by every agency, and who completed which, when."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def hours_field(help_text):
    """A course's length in hours: the catalogue's usual one, and each completion's (its copy by default)."""
    return models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)], help_text=help_text
    )


class Course(models.Model):
    """A course from the shared catalogue, e.g. the Missouri POST SRO basic course (40 hours)."""

    name = models.CharField(max_length=150, unique=True, help_text="The course's full name.")
    short_name = models.CharField(
        "short name",
        max_length=40,
        blank=True,
        help_text="Shown on officers' cards where space is short, e.g. 'CIT' for Crisis Intervention Team.",
    )
    provider = models.CharField(
        max_length=150,
        blank=True,
        help_text="Who usually teaches it, e.g. 'National Association of School "
        "Resource Officers (NASRO)'. Each officer's record can name another.",
    )
    hours = hours_field(help_text="Its usual length in hours, e.g. 40.")
    description = models.TextField(blank=True, help_text="What the course covers, in a sentence or two.")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def label(self):
        return self.short_name or self.name


class OfficerTraining(models.Model):
    """A course an officer completed."""

    officer = models.ForeignKey("programs.Officer", on_delete=models.CASCADE, related_name="trainings")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    provider = models.CharField(
        max_length=150, blank=True, help_text="Who taught it. Leave empty for the course's usual provider."
    )
    hours = hours_field(help_text="Leave empty for the course's usual length.")
    completed_on = models.DateField("date completed")
    is_example = models.BooleanField("example only", default=False, help_text="Demo data, not a real record.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on", "pk"]
        verbose_name = _("training completed")
        verbose_name_plural = _("training completed")
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "course", "completed_on"],
                name="one_completion_per_officer_course_and_date",
                violation_error_message="This officer already has this course on this date.",
            )
        ]

    def __str__(self):
        return f"{self.course} ({self.completed_on.year})"

    def save(self, *args, **kwargs):
        # The catalogue's values unless the editor gave others, so each record says what it was.
        if not self.provider and self.course_id:
            self.provider = self.course.provider
        if self.hours is None and self.course_id:
            self.hours = self.course.hours
        super().save(*args, **kwargs)
