from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderSent(models.Model):
    """The digest reminded this address about this item (an attention check and one object).

    The digest reminds about the same item again only after EDITOR_REMINDER_DAYS,
    so a weekly email does not repeat what the editor was just told.
    """

    recipient = models.EmailField()
    item = models.CharField(max_length=200, help_text="The attention check and the object, e.g. 'review-due:12'.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "item"], name="one_reminder_record_per_recipient_and_item")
        ]

    def __str__(self):
        return f"{self.item} to {self.recipient} on {self.sent_at:%Y-%m-%d}"
