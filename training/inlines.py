"""Training completed, edited on the officer's admin page (programs/admin/content.py), so it is
scoped to the editor's agencies with the officer."""

from django.contrib import admin

from programs.admin.scoping import ScopedInlineMixin

from .models import OfficerTraining


class OfficerTrainingInline(ScopedInlineMixin, admin.TabularInline):
    model = OfficerTraining
    extra = 0
    fields = ["course", "completed_on", "provider", "hours", "is_example"]
    autocomplete_fields = ["course"]
