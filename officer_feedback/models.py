"""Complaints and commendations about officers, and where residents take them.

Two routes, each with a contact the public page shows: the agency's
professional-standards (internal affairs) unit, for how an officer behaved,
and the school district's contact, for school matters (discipline, a child's
schooling). What the public files through the site goes to the agency's unit
only: never to the officer it names, and in the admin only to the members of
that agency's professional-standards group (`ProfessionalStandardsMembership`),
not to the agency's content editors.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from simple_history.models import HistoricalRecords

from inbox.models import CLOSED, PublicMessage, PublicMessageQuerySet
from programs.models.staff import member_agency_ids


class ProfessionalStandardsContact(models.Model):
    """The agency's unit that takes complaints and commendations about its officers."""

    agency = models.OneToOneField(
        "programs.Agency", on_delete=models.CASCADE, related_name="professional_standards_contact"
    )
    unit = models.CharField(
        "unit or office",
        max_length=150,
        help_text="Who investigates complaints about officers, e.g. 'Office of Professional Standards' or "
        "'Internal Affairs Unit'.",
    )
    contact_name = models.CharField("contact person", max_length=150, blank=True)
    phone = PhoneNumberField(help_text="A number the public can call to make a complaint, e.g. 636-555-0150.")
    email = models.EmailField(
        help_text="Complaints and commendations sent from the site go here, and residents are told to send "
        "evidence (photos, videos, documents) here. Use the unit's shared address, never one officer's."
    )
    address = models.TextField(
        "postal address", help_text="Where to write or file in person, as it should appear on an envelope."
    )
    hours = models.CharField(
        "office hours", max_length=150, blank=True, help_text="e.g. Monday to Friday, 8 a.m. to 4:30 p.m."
    )
    notes = models.TextField(
        "more about filing",
        blank=True,
        help_text="Anything else residents should know, e.g. 'You can also file at any station.' Plain text.",
    )
    is_example = models.BooleanField(
        "example only", default=False, help_text="Demo data, not the agency's real contact. Shown as an example."
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = _("professional-standards contacts")
        ordering = ["agency__name"]
        verbose_name = _("professional-standards contact")

    def __str__(self):
        return f"{self.unit}, {self.agency}"


class SchoolMattersContact(models.Model):
    """Who answers for the school district in a partnership: discipline, schooling, the school's own staff."""

    partnership = models.OneToOneField(
        "programs.Partnership", on_delete=models.CASCADE, related_name="school_matters_contact"
    )
    office = models.CharField(
        "office or role", max_length=150, help_text="e.g. 'Office of Student Services' or 'Assistant Superintendent'."
    )
    contact_name = models.CharField("contact person", max_length=150, blank=True)
    phone = PhoneNumberField(help_text="A number parents can call, e.g. 636-555-0160.")
    email = models.EmailField(blank=True)
    address = models.TextField("postal address", blank=True, help_text="As it should appear on an envelope.")
    is_example = models.BooleanField(
        "example only", default=False, help_text="Demo data, not the district's real contact. Shown as an example."
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = _("school-matters contacts")
        ordering = ["partnership__district"]
        verbose_name = _("school-matters contact")

    def __str__(self):
        return f"{self.office}, {self.partnership.district}"


class ProfessionalStandardsMembership(models.Model):
    """A staff member of an agency's professional-standards group: sees and handles its complaints."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="professional_standards_memberships"
    )
    agency = models.ForeignKey(
        "programs.Agency", on_delete=models.CASCADE, related_name="professional_standards_memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = _("professional-standards members")
        ordering = ["agency__name", "user__username"]
        verbose_name = _("professional-standards member")
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="one_professional_standards_membership")]

    def __str__(self):
        return f"{self.user} handles complaints for {self.agency}"


def professional_standards_agency_ids(user):
    """The agencies whose complaints a staff member may see; None means all of them (superusers)."""
    return member_agency_ids(user, ProfessionalStandardsMembership)


class FeedbackQuerySet(PublicMessageQuerySet):
    def visible_to(self, user):
        """What a staff member may read: their professional-standards agencies' (superusers: all).

        Never one that names them: an officer who is also in the group does not
        see complaints about themselves (matched by email address).
        """
        allowed = professional_standards_agency_ids(user)
        if allowed is None:
            return self
        mine = self.filter(program__agency_id__in=allowed)
        if user.email:
            mine = mine.exclude(officer__email__iexact=user.email)
        return mine


class Feedback(PublicMessage):
    """A complaint or commendation about an officer, filed through the program page."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        COMMENDATION = "commendation", _("Commendation")

    class Status(models.TextChoices):
        NEW = "new", "New"
        UNDER_REVIEW = "under_review", "Under review"
        CLOSED = CLOSED, "Closed"

    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="officer_feedback")
    kind = models.CharField(max_length=20, choices=Kind.choices)

    # What the person sent (plain text, escaped wherever it is shown).
    what_happened = models.TextField(max_length=5000)
    happened_on = models.DateField("date", null=True, blank=True)
    happened_time = models.CharField("time", max_length=50, blank=True)
    place = models.CharField("where", max_length=200, blank=True)
    officer = models.ForeignKey("programs.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The chosen officer's name as it was when filed: the report keeps it if the officer's record goes.
    officer_name = models.CharField("officer chosen", max_length=250, blank=True, editable=False)
    officer_description = models.CharField("officer, as described", max_length=200, blank=True)
    name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    phone = PhoneNumberField(blank=True)

    # Professional-standards handling.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    internal_notes = models.TextField(blank=True, help_text="Seen by professional-standards staff only.")

    # The emails (inbox.models.PublicMessage), named for the unit that reads the record.
    staff_notified_at = models.DateTimeField("sent to professional standards at", null=True, blank=True, editable=False)
    requester_confirmed_at = models.DateTimeField("confirmation sent at", null=True, blank=True, editable=False)

    # The personal fields are erased after the retention period in the history too (maintenance/retention.py).
    objects = FeedbackQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["next_notification_at", "last_notification_error"])

    class Meta(PublicMessage.Meta):
        verbose_name = _("complaint or commendation")
        verbose_name_plural = _("complaints and commendations")
        indexes = [models.Index(fields=["status", "created_at"], name="feedback_status_created")]

    def __str__(self):
        return f"{self.reference}: {self.get_kind_display()}"

    @property
    def is_anonymous(self):
        return not (self.name or self.email or self.phone)

    @property
    def officer_named(self):
        """The officer as the person named them: chosen from the list, described, or both."""
        return "; ".join(part for part in (self.officer_name, self.officer_description) if part)
