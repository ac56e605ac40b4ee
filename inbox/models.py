"""What the public sends: presentation requests, questions and accessibility barriers
(`Submission`, here), complaints and commendations (`officer_feedback.Feedback`).

Each is saved before anything else happens, so a failing mail server never loses
one; its emails are tracked and retried (inbox/delivery.py), its status is
tracked to the day it is closed, and the sender's personal data is erased
SUBMISSION_RETENTION_DAYS later (maintenance/retention.py). `PublicMessage`
holds all of that once.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

# No 0/O or 1/I/L: reference numbers are read out over the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# Failed emails are retried for as long as it takes (a mail outage must not
# drop a request), less often the longer they fail: 1, 2, 4... minutes, at
# most every 6 hours.
LONGEST_RETRY_WAIT = timedelta(hours=6)
CLOSED = "closed"  # the status every kind of message is closed with
# The record of a message's two emails, kept by inbox/delivery.py.
DELIVERY_FIELDS = (
    "staff_notified_at",
    "requester_confirmed_at",
    "notification_attempts",
    "last_notification_error",
    "next_notification_at",
)


def retry_wait(attempts):
    return min(timedelta(minutes=2 ** min(attempts - 1, 20)), LONGEST_RETRY_WAIT)


def new_reference():
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class PublicMessageQuerySet(models.QuerySet):
    def notification_pending(self):
        """Emails still to send and due for another try, for `send_pending_notifications`.

        No confirmation is owed to a sender who left no email address (an anonymous complaint).
        """
        unsent = models.Q(staff_notified_at__isnull=True) | (
            models.Q(requester_confirmed_at__isnull=True) & ~models.Q(email="")
        )
        due = models.Q(next_notification_at__isnull=True) | models.Q(next_notification_at__lte=timezone.now())
        return self.filter(unsent, due)

    def personal_data_expired(self, now=None):
        """Closed at least SUBMISSION_RETENTION_DAYS ago and not erased yet: for `purge_expired_submissions`."""
        cutoff = (now or timezone.now()) - timedelta(days=settings.SUBMISSION_RETENTION_DAYS)
        return self.filter(status=CLOSED, closed_at__lte=cutoff, personal_data_erased_at__isnull=True)


class PublicMessage(models.Model):
    """Something a member of the public sent through a form: its reference number, its
    language, the delivery of its two emails, its closing and the erasure of its sender's data.

    A concrete message adds what was sent, a `program`, a `Status` with a "closed" choice
    and an `email` (blank when the sender may stay anonymous).
    """

    reference = models.CharField(max_length=12, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The language of the form the person filled in: their confirmation is written in it,
    # and the staff email says which it was.
    language = models.CharField(max_length=10, default="en", editable=False)

    # Email delivery, retried by `send_pending_notifications` until it succeeds.
    staff_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    requester_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    notification_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    last_notification_error = models.CharField(max_length=500, blank=True, editable=False)
    next_notification_at = models.DateTimeField("next email attempt", null=True, blank=True, editable=False)

    # Retention (maintenance/retention.py): the personal fields are erased
    # SUBMISSION_RETENTION_DAYS after closing; the rest is kept for counts.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    personal_data_erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True, editable=False)

    objects = PublicMessageQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def save(self, *args, **kwargs):
        kwargs["update_fields"] = self._track_closing(kwargs.get("update_fields"))
        if self.reference:
            return super().save(*args, **kwargs)
        # A fresh random reference; on the rare clash, another.
        for _attempt in range(5):
            self.reference = new_reference()
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if type(self)._default_manager.filter(reference=self.reference).exists():
                    continue
                raise
        raise IntegrityError("could not find a free reference number")

    def _track_closing(self, update_fields):
        """Keep `closed_at`: when the message was closed. Reopening clears it, so the retention
        period starts again at the next closing. Returns the update_fields to save."""
        if self.status == CLOSED:
            if self.closed_at is None:
                self.closed_at = timezone.now()
        else:
            self.closed_at = None
        if update_fields is not None and "status" in update_fields:
            update_fields = {*update_fields, "closed_at"}
        return update_fields

    @property
    def personal_data_erasure_date(self):
        """When `purge_expired_submissions` erases (or erased) the sender's personal data; None while open."""
        if self.personal_data_erased_at:
            return self.personal_data_erased_at
        if self.closed_at is None:
            return None
        return self.closed_at + timedelta(days=settings.SUBMISSION_RETENTION_DAYS)

    @property
    def confirmation_needed(self):
        return bool(self.email)

    @property
    def notification_pending(self):
        return self.staff_notified_at is None or (self.confirmation_needed and self.requester_confirmed_at is None)


class SubmissionQuerySet(PublicMessageQuerySet):
    def for_agencies(self, agencies):
        return self.filter(program__agency__in=agencies)


class Submission(PublicMessage):
    """A presentation request, a question or an accessibility barrier, sent from a program page."""

    class Kind(models.TextChoices):
        PRESENTATION = "presentation", _("Presentation request")
        QUESTION = "question", _("Question or comment")
        # From the accessibility statement: a page someone could not use, and how they want its content.
        ACCESSIBILITY = "accessibility", _("Accessibility barrier")

    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_PROGRESS = "in_progress", "In progress"
        SCHEDULED = "scheduled", "Scheduled"
        CLOSED = CLOSED, "Closed"

    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="submissions")
    kind = models.CharField(max_length=20, choices=Kind.choices)

    # What the person sent (stored as plain text; escaped wherever it is shown).
    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    phone = PhoneNumberField(blank=True)
    message = models.TextField(max_length=5000, blank=True)
    wants_reply = models.BooleanField("wants a reply", default=True)
    school = models.ForeignKey("programs.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    other_school = models.CharField("other school", max_length=150, blank=True)
    topic = models.ForeignKey(
        "programs.EducationTopic", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    preferred_date_1 = models.DateField("first choice of date", null=True, blank=True)
    preferred_date_2 = models.DateField("second choice of date", null=True, blank=True)
    preferred_date_3 = models.DateField("third choice of date", null=True, blank=True)
    grade_level = models.CharField("grade level", max_length=50, blank=True)
    audience_size = models.PositiveSmallIntegerField("approximate audience size", null=True, blank=True)

    # Staff handling.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    assigned_officer = models.ForeignKey(
        "programs.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="submissions"
    )
    internal_notes = models.TextField(blank=True, help_text="Seen by staff only, never by the requester.")

    objects = SubmissionQuerySet.as_manager()

    class Meta(PublicMessage.Meta):
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        # Its table from the days it was part of `programs`: the rows stayed where they were.
        db_table = "programs_submission"
        indexes = [models.Index(fields=["status", "created_at"], name="programs_su_status_291985_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="presentation") | models.Q(preferred_date_1__isnull=False),
                name="presentation_request_has_a_date",
            ),
            models.CheckConstraint(
                condition=models.Q(audience_size__isnull=True) | models.Q(audience_size__gte=1),
                name="audience_size_is_positive",
            ),
        ]

    def __str__(self):
        if not self.name:  # erased after the retention period
            return f"{self.reference}: {self.get_kind_display()}"
        return f"{self.reference}: {self.get_kind_display()} from {self.name}"

    @property
    def preferred_dates(self):
        return [d for d in (self.preferred_date_1, self.preferred_date_2, self.preferred_date_3) if d]

    @property
    def school_name(self):
        return self.school.name if self.school else self.other_school
