"""The staff inbox: presentation requests, questions and accessibility barriers from the
public; and what every admin of a `PublicMessage` shows alike (`PublicMessageAdmin`)."""

import csv

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from editor_home.attention import AttentionFilter
from programs.admin.large_lists import LargeListMixin
from programs.admin.scoping import RELATED_ONLY, AgencyScopedAdmin

from .models import DELIVERY_FIELDS, Submission

CSV_COLUMNS = [
    ("reference", "Reference"),
    ("created_at", "Received"),
    ("kind", "Kind"),
    ("status", "Status"),
    ("program", "Program"),
    ("name", "Name"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("school_name", "School"),
    ("topic", "Topic"),
    ("preferred_dates", "Preferred dates"),
    ("grade_level", "Grade level"),
    ("audience_size", "Audience size"),
    ("wants_reply", "Wants a reply"),
    ("message", "Message"),
    ("assigned_officer", "Assigned officer"),
]


def _csv_cell(value):
    text = "" if value is None else str(value)
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# The record of the two emails (inbox/delivery.py), folded away.
DELIVERY_FIELDSET = ("Email delivery", {"classes": ["collapse"], "fields": list(DELIVERY_FIELDS)})
# Status tracking and retention.
RETENTION_FIELDS = ["closed_at", "personal_data_erasure"]


class PublicMessageAdmin:
    """What the public sent: read-only for staff, who handle it; its emails' delivery and the
    date its sender's personal data is erased (maintenance/retention.py). Never added here."""

    handling_fields = []  # what staff change: who handles it, its status, their notes

    def get_readonly_fields(self, request, obj=None):
        # What the public sent, and the record of its emails, stay as they were.
        shown = flatten_fieldsets(self.get_fieldsets(request, obj))
        return [field for field in shown if field not in self.handling_fields]

    def has_add_permission(self, request):
        return False  # they come from the public forms only

    @admin.display(boolean=True, description="Emails sent")
    def email_sent(self, obj):
        return not obj.notification_pending

    @admin.display(description=_("Personal data erased"))
    def personal_data_erasure(self, obj):
        days = settings.SUBMISSION_RETENTION_DAYS
        when = obj.personal_data_erasure_date
        if obj.personal_data_erased_at:
            return _("Erased on %(date)s") % {"date": formats.date_format(timezone.localtime(when))}
        if when is None:
            return ngettext(
                "Not yet: %(days)d day after it is closed",
                "Not yet: %(days)d days after it is closed",
                days,
            ) % {"days": days}
        return _("On %(date)s") % {"date": formats.date_format(timezone.localtime(when))}


@admin.register(Submission)
class SubmissionAdmin(PublicMessageAdmin, LargeListMixin, AgencyScopedAdmin):
    agency_lookup = "program__agency"
    per_agency_filters = ("program",)

    list_display = [
        "reference",
        "kind",
        "name",
        "program",
        "status",
        "assigned_officer",
        "created_at",
        "email_sent",
        "personal_data_erasure",
    ]
    list_filter = [
        "status",
        AttentionFilter,
        "kind",
        ("program", RELATED_ONLY),
        ("created_at", admin.DateFieldListFilter),
    ]
    search_fields = ["reference", "name", "email", "message", "other_school", "school__name"]
    list_select_related = ["program__agency", "assigned_officer"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["assigned_officer"]
    actions = ["export_csv"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "assigned_officer" in form.base_fields:
            # Only an officer of the agency the request was sent to (superusers see every agency).
            field = form.base_fields["assigned_officer"]
            field.queryset = field.queryset.filter(agency_id=obj.program.agency_id)
        return form

    handling_fields = ["status", "assigned_officer", "internal_notes"]
    fieldsets = [
        (
            "Handling",
            {"fields": ["status", "assigned_officer", "internal_notes", *RETENTION_FIELDS]},
        ),
        ("From", {"fields": ["reference", "created_at", "kind", "program", "name", "email", "phone", "wants_reply"]}),
        (
            "Request",
            {
                "fields": [
                    "school",
                    "other_school",
                    "topic",
                    ("preferred_date_1", "preferred_date_2", "preferred_date_3"),
                    "grade_level",
                    "audience_size",
                    "message",
                ]
            },
        ),
        DELIVERY_FIELDSET,
    ]

    @admin.action(description="Export selected to CSV")
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="sro-inbox-{stamp}.csv"'
        writer = csv.writer(response)
        writer.writerow([label for _, label in CSV_COLUMNS])
        for submission in queryset.select_related("program__agency", "school", "topic", "assigned_officer"):
            row = []
            for field, _label in CSV_COLUMNS:
                value = getattr(submission, field)
                if field == "preferred_dates":
                    value = "; ".join(day.isoformat() for day in value)
                elif field in ("kind", "status"):
                    value = getattr(submission, f"get_{field}_display")()
                row.append(_csv_cell(value))
            writer.writerow(row)
        return response
