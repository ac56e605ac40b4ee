"""The shared course catalogue: every editor picks from it, superusers keep it."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from programs.admin.scoping import SuperusersChangeMixin

from .models import Course


@admin.register(Course)
class CourseAdmin(SuperusersChangeMixin, SimpleHistoryAdmin):
    list_display = ["name", "short_name", "provider", "hours"]
    search_fields = ["name", "short_name", "provider"]
    fields = ["name", "short_name", "provider", "hours", "description"]
