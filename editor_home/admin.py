"""The digest's record of reminders sent: superusers may look, to answer "why did I (not) get an email?"."""

from django.contrib import admin

from programs.admin.read_only import WrittenByTheSiteMixin
from programs.admin.scoping import SuperusersOnlyMixin

from .models import ReminderSent


@admin.register(ReminderSent)
class ReminderSentAdmin(WrittenByTheSiteMixin, SuperusersOnlyMixin, admin.ModelAdmin):
    """Written by send_editor_digest only."""

    list_display = ["recipient", "item", "sent_at"]
    search_fields = ["recipient", "item"]
    date_hierarchy = "sent_at"
