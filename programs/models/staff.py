"""Who may edit what: staff belong to one or more agencies and edit only their content."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .translated import per_language_columns


class AgencyMembership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_memberships")
    agency = models.ForeignKey("programs.Agency", on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agency membership")
        verbose_name_plural = _("agency memberships")
        ordering = ["agency__name", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="one_membership_per_user_and_agency")]

    def __str__(self):
        return f"{self.user} edits {self.agency}"


def second_factor_passed(user):
    """Signed in far enough to use the admin: the second factor too, where it is required (OTP_REQUIRED;
    django-otp's middleware sets `is_verified`). The accounts app offers the factors; this is the rule."""
    if not (user.is_authenticated and user.is_active):
        return False
    if not settings.OTP_REQUIRED:
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def member_agency_ids(user, memberships):
    """The ids of the agencies `user` belongs to through `memberships` (a model with `user` and `agency`);
    None means all of them (superusers). Asked once per request: kept on the user object.

    Nothing until both sign-in steps are passed where a second factor is
    required: a password alone must not show an agency's drafts (or complaints).
    """
    if not (user.is_active and user.is_staff and second_factor_passed(user)):
        return set()
    if user.is_superuser:
        return None
    remembered = getattr(user, "_member_agency_ids", None)
    if remembered is None:
        remembered = user._member_agency_ids = {}
    if memberships not in remembered:
        remembered[memberships] = set(memberships.objects.filter(user=user).values_list("agency_id", flat=True))
    return remembered[memberships]


def editable_agency_ids(user):
    """The agencies a staff member may edit; None means all of them (superusers)."""
    return member_agency_ids(user, AgencyMembership)


class AlertQuerySet(models.QuerySet):
    def active(self, at):
        return self.filter(models.Q(starts_at__lte=at), models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=at))


class Alert(models.Model):
    """A notice at the top of the site, or of one program's pages, for a set time."""

    class Level(models.TextChoices):
        INFO = "info", _("Information")
        WARNING = "warning", _("Warning")
        EMERGENCY = "emergency", _("Emergency")

    level = models.CharField(max_length=20, choices=Level.choices, default=Level.INFO)
    title = models.CharField(max_length=120, help_text="A few words, e.g. 'Schools closed Friday'.")
    message = models.TextField(max_length=1000, help_text="What people need to know and do. Plain text.")
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        help_text="Leave empty for an alert on every page of the site (superusers only).",
    )
    starts_at = models.DateTimeField("show from", default=timezone.now)
    ends_at = models.DateTimeField("show until", null=True, blank=True, help_text="Leave empty to show until removed.")

    objects = AlertQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=per_language_columns("alert"))

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=models.F("starts_at")),
                name="alert_ends_after_it_starts",
                violation_error_message="The end must come after the start.",
            )
        ]

    def __str__(self):
        return f"{self.get_level_display()}: {self.title}"
