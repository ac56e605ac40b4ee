"""The digest's record of reminders sent: superusers may look, to answer "why did I (not) get an email?"."""

from django.contrib import admin

from programs.admin.scoping import SuperusersOnlyMixin

from .models import ReminderSent


@admin.register(ReminderSent)
class ReminderSentAdmin(SuperusersOnlyMixin, admin.ModelAdmin):
    list_display = ["recipient", "item", "sent_at"]
    search_fields = ["recipient", "item"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request, *args):
        return False  # written by send_editor_digest only

    def has_change_permission(self, request, obj=None):
        return False
