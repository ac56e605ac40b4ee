"""Complaints and commendations in the admin: for each agency's professional-standards
group only, not for its content editors (superusers see all).

Editors reach an agency's content through `AgencyMembership`
(programs/admin/scoping.py); complaints are reached through
`ProfessionalStandardsMembership` instead, by the same rules: lists, change,
delete and history views and foreign-key choices are narrowed to the member's
agencies, and another agency's record is refused, never pretended absent.
The unit's contact is theirs too: its email address is where complaints go,
so an editor (who may be the officer complained about) cannot reroute them.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from simple_history.admin import SimpleHistoryAdmin

from inbox.admin import DELIVERY_FIELDSET, RETENTION_FIELDS, PublicMessageAdmin
from programs.admin.scoping import AgencyScopedAdmin, ScopedByAgencyAdmin, scope_queryset
from programs.admin.staff import MembershipAdmin
from programs.models import Partnership

from .groups import add_member
from .models import (
    Feedback,
    ProfessionalStandardsContact,
    ProfessionalStandardsMembership,
    SchoolMattersContact,
    professional_standards_agency_ids,
)


class ProfessionalStandardsScopedAdmin(ScopedByAgencyAdmin, SimpleHistoryAdmin):
    """The agency scoping of programs/admin/scoping.py, by professional-standards membership."""

    def agency_ids(self, request):
        return professional_standards_agency_ids(request.user)

    def history_view(self, request, object_id, extra_context=None):
        self.get_object(request, unquote(object_id))  # refuses another agency's
        return super().history_view(request, object_id, extra_context)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Feedback)
class FeedbackAdmin(PublicMessageAdmin, ProfessionalStandardsScopedAdmin):
    agency_lookup = "program__agency"

    list_display = [
        "reference",
        "kind",
        "program",
        "officer_named",
        "status",
        "created_at",
        "email_sent",
        "personal_data_erasure",
    ]
    list_filter = ["status", "kind", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["reference", "what_happened", "officer_name", "officer_description", "name", "email"]
    list_select_related = ["program__agency", "officer"]
    date_hierarchy = "created_at"
    handling_fields = ["status", "internal_notes"]
    fieldsets = [
        ("Handling", {"fields": ["status", "internal_notes", *RETENTION_FIELDS]}),
        ("What was reported", {"fields": ["reference", "created_at", "kind", "program", "officer_named"]}),
        ("", {"fields": ["what_happened", ("happened_on", "happened_time"), "place"]}),
        ("From (optional: empty when anonymous)", {"fields": ["name", "email", "phone"]}),
        DELIVERY_FIELDSET,
    ]

    def get_queryset(self, request):
        # Scoped to the member's agencies, and never a report naming the member themselves.
        return Feedback.objects.visible_to(request.user).select_related("program__agency", "officer")

    def in_scope(self, request, obj):
        return Feedback.objects.visible_to(request.user).filter(pk=obj.pk).exists()

    @admin.display(description="Officer")
    def officer_named(self, obj):
        return obj.officer_named or "Not named"


@admin.register(ProfessionalStandardsContact)
class ProfessionalStandardsContactAdmin(ProfessionalStandardsScopedAdmin):
    agency_lookup = "agency"
    list_display = ["unit", "agency", "phone", "email", "is_example"]
    search_fields = ["unit", "agency__name"]
    list_select_related = ["agency"]
    fields = ["agency", "unit", "contact_name", "phone", "email", "address", "hours", "notes", "is_example"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and professional_standards_agency_ids(request.user) != set()


@admin.register(SchoolMattersContact)
class SchoolMattersContactAdmin(AgencyScopedAdmin, SimpleHistoryAdmin):
    """Public contact details of each partner district: the agency's editors keep them."""

    agency_lookup = "partnership__program__agency"
    list_display = ["partnership", "office", "phone", "email", "is_example"]
    search_fields = ["partnership__district", "office"]
    list_select_related = ["partnership__program__agency"]
    fields = ["partnership", "office", "contact_name", "phone", "email", "address", "is_example"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Partnership:
            partnerships = Partnership.objects.select_related("program__agency")
            kwargs["queryset"] = scope_queryset(partnerships, "program__agency", request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ProfessionalStandardsMembership)
class ProfessionalStandardsMembershipAdmin(MembershipAdmin):
    """Who handles which agency's complaints: the superusers' to decide."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        add_member(obj.user, obj.agency)  # staff, and in the "Professional standards" group
