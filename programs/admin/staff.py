"""Who edits which agency: memberships are the superusers' to manage."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from ..models import AgencyMembership, Alert
from .extensions import ExtensibleAdminMixin, RegisteredFilters
from .scoping import RELATED_ONLY, AgencyScopedAdmin, SuperusersOnlyMixin


class MembershipAdmin(SuperusersOnlyMixin, admin.ModelAdmin):
    """Who belongs to which agency, for one purpose or another (editing here; complaints in
    officer_feedback/): the superusers' to decide."""

    list_display = ["user", "agency", "created_at"]
    list_filter = ["agency"]
    search_fields = ["user__username", "user__email", "agency__name"]
    autocomplete_fields = ["user", "agency"]


@admin.register(AgencyMembership)
class AgencyMembershipAdmin(MembershipAdmin):
    pass


@admin.register(Alert)
class AlertAdmin(ExtensibleAdminMixin, AgencyScopedAdmin, TranslationAdmin, SimpleHistoryAdmin):
    """Editors post alerts on their programs' pages; superusers may also post sitewide ones."""

    agency_lookup = "program__agency"
    list_display = ["title", "level", "program", "starts_at", "ends_at"]
    list_filter = ["level", RegisteredFilters, ("program", RELATED_ONLY)]
    search_fields = ["title", "message"]
    autocomplete_fields = ["program"]
    fields = ["level", "title", "message", "program", ("starts_at", "ends_at")]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not request.user.is_superuser:
            form.base_fields["program"].required = True
            form.base_fields["program"].help_text = "The program whose pages show the alert."
        return form
