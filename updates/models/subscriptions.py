"""Email subscriptions to a program's updates (or a state's), and the emails they are owed.

An address is kept only while it is subscribed, and, before that, for the short life of
its confirmation link: an unconfirmed subscription is deleted once the link has expired
(`purge_unconfirmed`), and unsubscribing deletes the subscription, and the address with
its last one. Nothing but the confirmation is ever sent to an address not confirmed.

Staff never see these records (no admin): only how many confirmed subscribers a program has.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Program, State


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Each update as it is published")
    WEEKLY = "weekly", _("A weekly summary")


class Subscriber(models.Model):
    """One email address, with the language its emails are written in."""

    email = models.EmailField(unique=True)  # lower-cased on the way in (forms.py): one row per address
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return f"subscriber {self.pk}"  # never the address: it may reach a log line or an error report


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def notification_pending(self):
        """Confirmation emails due (send_pending_notifications walks it: inbox/delivery.py)."""
        return self.filter(confirmation_sent_at__isnull=True, next_notification_at__lte=timezone.now())

    def covering(self, program):
        """The subscriptions an update of `program` goes to: the program's, and its state's."""
        return self.filter(Q(program=program) | Q(state_id=program.agency.state_id))

    def subscriber_ids(self):
        """Each subscriber of these subscriptions once: someone subscribed to a program and to its
        state gets one email, not two. order_by(): an ordering would put its columns in the DISTINCT."""
        return self.order_by().values_list("subscriber_id", flat=True).distinct()

    def expired_unconfirmed(self, now=None):
        now = now or timezone.now()
        return self.filter(confirmed_at__isnull=True, created_at__lt=now - confirmation_lifetime())


class RetriedEmail(models.Model):
    """A record that owes an email, tried again after a failure (updates/sending.py): the tries
    made, the last failure, and when to try next (None once sent, or given up)."""

    next_notification_at = models.DateTimeField(null=True, blank=True)
    notification_attempts = models.PositiveIntegerField(default=0)
    last_notification_error = models.TextField(blank=True)

    class Meta:
        abstract = True


def confirmation_lifetime():
    return timedelta(hours=settings.SUBSCRIPTION_CONFIRMATION_HOURS)


class Subscription(RetriedEmail):
    """An address's subscription to one program's updates, or to every program's of one state."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    state = models.ForeignKey(State, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    frequency = models.CharField(max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATELY)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    # The confirmation email of the latest request (to subscribe, or to change the choice):
    # what it asks to confirm, in which language; its delivery with retries is RetriedEmail's.
    requested_frequency = models.CharField(max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATELY)
    requested_language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(program__isnull=False, state__isnull=True) | Q(program__isnull=True, state__isnull=False),
                name="subscription_to_a_program_or_a_state",
            ),
            models.UniqueConstraint(fields=["subscriber", "program"], name="one_subscription_per_program"),
            models.UniqueConstraint(fields=["subscriber", "state"], name="one_subscription_per_state"),
        ]
        indexes = [
            models.Index(fields=["program", "confirmed_at"], name="updates_subscription_program"),
            models.Index(fields=["state", "confirmed_at"], name="updates_subscription_state"),
        ]

    def __str__(self):
        return f"subscription {self.pk}"

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    @property
    def subject(self):
        """What it is a subscription to: the program or the state."""
        return self.program or self.state

    @property
    def title(self):
        """The program's page title, or the state's name, as the emails and pages name it."""
        return self.program.page_title if self.program_id else self.state.name


class OutgoingEmailQuerySet(models.QuerySet):
    def notification_pending(self):
        """Due for a (first or another) try: send_pending_notifications and /healthz read it."""
        return self.filter(next_notification_at__lte=timezone.now())


class OutgoingEmail(RetriedEmail):
    """One email owed to one subscriber: an update, or a week's summary. Queued when the update
    is published (or the week's summary is due); sent in batches over one connection to the mail
    server (updates/sending.py). At most one per address and update, and per address and week.

    Its `next_notification_at` is set while it is to be sent (the time of the next try) and
    cleared once sent. A sender that takes a batch moves it a few minutes ahead, so a sender that
    dies leaves it due again."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    update = models.ForeignKey("updates.Update", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # A weekly summary: the Monday the week it covers begins on.
    week = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    batch = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name_plural = _("update emails")
        constraints = [
            models.UniqueConstraint(
                fields=["update", "subscriber"], condition=Q(update__isnull=False), name="one_email_per_update"
            ),
            models.UniqueConstraint(
                fields=["week", "subscriber"], condition=Q(week__isnull=False), name="one_summary_per_week"
            ),
            models.CheckConstraint(
                condition=Q(update__isnull=False, week__isnull=True) | Q(update__isnull=True, week__isnull=False),
                name="outgoing_email_of_an_update_or_a_week",
            ),
        ]
        indexes = [models.Index(fields=["next_notification_at"], name="updates_outgoing_due")]
        # How /healthz names this outbox (site_ops/pending_emails.py): weekly summaries are in it too.
        verbose_name = _("update email")

    def __str__(self):
        return f"email {self.pk}"
