"""The memorandums of understanding (MOUs) between an agency and its partner
school districts, kept over time: a new agreement never replaces the old one,
which stays public as superseded once the new one is in effect.

An agreement's status is not stored: it follows from its dates and today's
date (`AgreementQuerySet.with_status`), so it is never out of date.
"""

import contextlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .validators import validate_agreement_pdf


def agreement_pdf_path(instance, filename):
    # A readable name for whoever downloads it, in a folder of its own so two
    # uploads never share a name.
    district = slugify(instance.partnership.district)[:60] or "district"
    return f"agreements/{secrets.token_hex(8)}/{district}-agreement-{instance.effective_on:%Y-%m-%d}.pdf"


def file_size_label(size):
    """'PDF, 240 KB' style sizes: whole kilobytes below a megabyte, one decimal above."""
    if size is None:
        return ""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class AgreementQuerySet(models.QuerySet):
    def with_status(self, today=None):
        """Each agreement with `status`, as of `today` (the site's local date by default).

        In this order: not yet in effect (before its effective date), superseded
        (a newer agreement of the same partnership is in effect), expired (after
        its expiry date, which is the last day it applies), review due (its review
        or expiry date within REVIEW_DUE_DAYS, or past without a new agreement),
        current.
        """
        today = today or timezone.localdate()
        cutoff = today + timedelta(days=settings.REVIEW_DUE_DAYS)
        newer_in_effect = Agreement.objects.filter(
            partnership_id=OuterRef("partnership_id"),
            effective_on__gt=OuterRef("effective_on"),
            effective_on__lte=today,
        )
        return self.annotate(
            status=Case(
                When(effective_on__gt=today, then=Value(Agreement.Status.UPCOMING)),
                When(Exists(newer_in_effect), then=Value(Agreement.Status.SUPERSEDED)),
                When(expires_on__lt=today, then=Value(Agreement.Status.EXPIRED)),
                When(Q(review_on__lte=cutoff) | Q(expires_on__lte=cutoff), then=Value(Agreement.Status.REVIEW_DUE)),
                default=Value(Agreement.Status.CURRENT),
                output_field=models.CharField(),
            )
        )

    def for_agencies(self, agency_ids):
        return self.filter(partnership__program__agency_id__in=agency_ids)


def signatory_field(verbose_name, example):
    """Who signed for one side: a name and title, as on the signature line."""
    return models.CharField(verbose_name, max_length=200, blank=True, help_text=f"Name and title, e.g. '{example}'.")


class Agreement(models.Model):
    class Status(models.TextChoices):
        CURRENT = "current", _("Current")
        REVIEW_DUE = "review_due", _("Review due")
        EXPIRED = "expired", _("Expired")
        SUPERSEDED = "superseded", _("Superseded")
        UPCOMING = "upcoming", _("Not yet in effect")

    partnership = models.ForeignKey(
        "programs.Partnership",
        # An agreement is a public record: a partnership that has one cannot be deleted by accident.
        on_delete=models.PROTECT,
        related_name="agreements",
        help_text="The school district this agreement is with.",
    )
    signed_on = models.DateField("date signed", help_text="The date of the last signature.")
    effective_on = models.DateField(
        "in effect from",
        help_text="The first day the agreement applies. A newer agreement makes the older one 'superseded' from "
        "this date; the older one stays on the public page.",
    )
    review_on = models.DateField(
        "next review date",
        null=True,
        blank=True,
        help_text="When the agreement is due to be reviewed. Reminders are emailed to the program's contact "
        "before this date.",
    )
    expires_on = models.DateField(
        "expires on",
        null=True,
        blank=True,
        help_text="The last day the agreement applies. Leave empty if it runs until it is replaced.",
    )
    agency_signatory = signatory_field("signed for the agency", "Sheriff Dave Marshak")
    district_signatory = signatory_field("signed for the school district", "Dr. Pat Smith, Superintendent")
    document = models.FileField(
        "signed agreement (PDF)",
        upload_to=agreement_pdf_path,
        blank=True,
        validators=[validate_agreement_pdf],
        help_text="The signed agreement as a PDF. It is published on the program's page.",
    )
    document_size = models.PositiveIntegerField(null=True, blank=True, editable=False)
    is_example = models.BooleanField(
        "example only", default=False, help_text="Demo data, not a real agreement. Shown with an 'Example' label."
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgreementQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["document_size"])

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-effective_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "effective_on"],
                name="one_agreement_per_partnership_and_start",
                violation_error_message="This district already has an agreement in effect from this date.",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("effective_on")),
                name="agreement_expires_after_it_starts",
                violation_error_message="The expiry date must come after the date the agreement takes effect.",
            ),
            models.CheckConstraint(
                condition=Q(review_on__isnull=True) | Q(review_on__gt=F("effective_on")),
                name="agreement_review_after_it_starts",
                violation_error_message="The review date must come after the date the agreement takes effect.",
            ),
            models.CheckConstraint(
                condition=Q(review_on__isnull=True) | Q(expires_on__isnull=True) | Q(review_on__lte=F("expires_on")),
                name="agreement_review_before_expiry",
                violation_error_message="The review date must come on or before the expiry date.",
            ),
        ]

    def __str__(self):
        return f"{self.partnership.district}, in effect from {dateformat.format(self.effective_on, 'F j, Y')}"

    def save(self, *args, **kwargs):
        if self.document:
            with contextlib.suppress(OSError):  # the stored file is gone: keep what was recorded
                self.document_size = self.document.size
        else:
            self.document_size = None
        super().save(*args, **kwargs)

    @property
    def deadline(self):
        """The date the agreement must be reviewed or renewed by: its review date, else its expiry."""
        return self.review_on or self.expires_on

    @property
    def document_label(self):
        return f"PDF, {file_size_label(self.document_size)}" if self.document_size else "PDF"

    def get_status_display(self):
        return self.Status(self.status).label

    def get_admin_url(self):
        return reverse("admin:agreements_agreement_change", args=[self.pk])


class ReviewReminder(models.Model):
    """One reminder email about an agreement, recorded before it is sent, so each goes once."""

    class Kind(models.TextChoices):
        FIRST = "first", "Review due soon"
        FINAL = "final", "Review due in two weeks"
        EXPIRED = "expired", _("Expired")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The review or expiry date it is about: a new review date brings new reminders.
    due_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("review reminder")
        verbose_name_plural = _("review reminders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "kind", "due_on"], name="one_reminder_of_a_kind_per_date")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.agreement}"
