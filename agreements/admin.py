"""Agreements in the staff admin: the list across the editor's agencies, with those due for
review first to hand (scoped like every list: programs/admin/scoping.py)."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html

from editor_home.attention import AttentionFilter
from programs.admin.content import ContentAdmin
from programs.admin.read_only import WrittenByTheSiteMixin
from programs.admin.scoping import RELATED_ONLY

from .inlines import AGREEMENT_FIELDS
from .models import Agreement, ReviewReminder


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("attention", "Review due or expired"), *Agreement.Status.choices]

    def queryset(self, request, queryset):
        if self.value() == "attention":
            return queryset.filter(status__in=[Agreement.Status.REVIEW_DUE, Agreement.Status.EXPIRED])
        if self.value() in Agreement.Status.values:
            return queryset.filter(status=self.value())
        return queryset


class ReviewReminderInline(WrittenByTheSiteMixin, admin.TabularInline):
    """The reminders sent about this agreement (send_review_reminders): a record, not for editing."""

    model = ReviewReminder
    extra = 0
    fields = ["kind", "due_on", "created_at", "sent_at", "recipients", "last_error"]
    readonly_fields = fields
    can_delete = False


@admin.register(Agreement)
class AgreementAdmin(ContentAdmin):
    agency_lookup = "partnership__program__agency"
    list_display = ["district", "program", "status_display", "effective_on", "review_on", "expires_on", "pdf"]
    list_filter = [StatusFilter, AttentionFilter, ("partnership__program__agency", RELATED_ONLY), "is_example"]
    search_fields = ["partnership__district", "partnership__program__name", "partnership__program__agency__name"]
    autocomplete_fields = ["partnership"]
    list_select_related = ["partnership__program__agency"]
    fields = ["partnership", *AGREEMENT_FIELDS]
    inlines = [ReviewReminderInline]
    per_agency_filters = (*ContentAdmin.per_agency_filters, "partnership__program__agency")

    def get_queryset(self, request):
        return super().get_queryset(request).with_status(timezone.localdate())

    def has_delete_permission(self, request, obj=None):
        # A public record: editors correct an agreement, and add a new one when it is renewed.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    @admin.display(description="School district", ordering="partnership__district")
    def district(self, obj):
        return obj.partnership.district

    @admin.display(description="Program", ordering="partnership__program__agency__county")
    def program(self, obj):
        return obj.partnership.program

    @admin.display(description="Status", ordering="status")
    def status_display(self, obj):
        return obj.get_status_display()

    @admin.display(description="Signed copy")
    def pdf(self, obj):
        if not obj.document:
            return "Not uploaded"
        return format_html('<a href="{}">{}</a>', obj.document.url, obj.document_label)
