"""Staff editing. Every content model reaches an Agency (see `agency_path`)
so a later per-agency scoping mixin can filter each admin in one place."""

from django.contrib import admin
from django.db import models
from django.utils.html import format_html

from ..models import (
    Agency,
    Assignment,
    EducationTopic,
    Goal,
    MissionRole,
    Officer,
    Outcome,
    Partnership,
    Photo,
    Program,
    School,
    State,
    format_school_year,
)


class MissionRoleInline(admin.TabularInline):
    model = MissionRole
    extra = 0
    fields = ["order", "name", "description"]


class GoalInline(admin.StackedInline):
    model = Goal
    extra = 0
    fields = [("order", "title"), "description"]


class OutcomeInline(admin.StackedInline):
    model = Outcome
    extra = 0
    fields = [("order", "figure"), "label", ("period", "source")]


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    fields = ["order", "image", "alt_text", "caption"]


class PartnershipInline(admin.TabularInline):
    model = Partnership
    extra = 0
    fields = ["district", "mou_signed_on", "mou_document"]


# Django 6 will assume https for scheme-less URLs; county sites are all https already.
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name", "code", "tip_line_name", "tip_line_phone"]
    search_fields = ["name", "code"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name", "kind", "county", "state", "phone"]
    list_filter = ["kind", "state"]
    search_fields = ["name", "county"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["state"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", ("county", "state")]}),
        ("Contact", {"fields": ["website", "phone", "street_address", ("city", "postal_code")]}),
    ]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "status", "last_reviewed", "updated_at", "public_link"]
    list_filter = ["status", "agency__state", "agency"]
    search_fields = ["name", "summary", "agency__name", "agency__county"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["agency", "topics"]
    list_select_related = ["agency"]
    date_hierarchy = "updated_at"
    inlines = [MissionRoleInline, GoalInline, OutcomeInline, PartnershipInline, PhotoInline]
    fieldsets = [
        (None, {"fields": ["agency", "name", "slug", "status", "last_reviewed"]}),
        (
            "About the program",
            {"fields": ["summary", "overview", "year_started", "funding", "partners", "mission", "primary_duty"]},
        ),
        ("What officers teach", {"fields": ["topics"]}),
        (
            "Contact details",
            {
                "description": (
                    "Shown near the top of the public page. Use a line the public may call; it is not for emergencies."
                ),
                "fields": [
                    "contact_division",
                    "contact_name",
                    "contact_phone",
                    "contact_email",
                    "contact_address",
                    "contact_hours",
                ],
            },
        ),
    ]

    @admin.display(description="Public page")
    def public_link(self, obj):
        label = "View" if obj.is_published else "Preview draft"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)


@admin.register(EducationTopic)
class EducationTopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["officer", "school"]


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["full_name", "rank", "role", "agency", "phone", "is_active"]
    list_filter = ["is_active", "role", "agency"]
    search_fields = ["first_name", "last_name", "rank", "email"]
    autocomplete_fields = ["agency"]
    list_select_related = ["agency"]
    inlines = [AssignmentInline]
    fieldsets = [
        (None, {"fields": ["agency", ("first_name", "last_name"), "rank", "role", "is_active"]}),
        ("Contact", {"fields": ["phone", "email"]}),
        ("Photo and biography", {"fields": ["photo", "photo_alt", "bio"]}),
    ]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name", "district", "city", "agency", "is_example"]
    list_filter = ["agency", "district", "is_example"]
    search_fields = ["name", "district", "city"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["agency"]
    list_select_related = ["agency"]
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["officer", "school", "school_year_display"]
    list_filter = ["school_year", "school__agency"]
    search_fields = ["officer__last_name", "officer__first_name", "school__name"]
    autocomplete_fields = ["officer", "school"]
    list_select_related = ["officer", "school"]

    @admin.display(description="School year", ordering="school_year")
    def school_year_display(self, obj):
        return format_school_year(obj.school_year)


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["district", "program", "mou_signed_on", "mou_document"]
    list_filter = ["program__agency"]
    search_fields = ["district", "program__name", "program__agency__name"]
    autocomplete_fields = ["program"]
    list_select_related = ["program__agency"]


class ProgramPartAdmin(admin.ModelAdmin):
    """Goals, outcomes, roles and photos are usually edited on their program's
    page; these lists help find one across programs."""

    autocomplete_fields = ["program"]
    list_select_related = ["program__agency"]
    list_filter = ["program__agency"]


@admin.register(Goal)
class GoalAdmin(ProgramPartAdmin):
    list_display = ["title", "program", "order"]
    search_fields = ["title", "description"]


@admin.register(Outcome)
class OutcomeAdmin(ProgramPartAdmin):
    list_display = ["figure", "label", "program", "source"]
    search_fields = ["label", "source"]


@admin.register(MissionRole)
class MissionRoleAdmin(ProgramPartAdmin):
    list_display = ["name", "program", "order"]
    search_fields = ["name", "description"]


@admin.register(Photo)
class PhotoAdmin(ProgramPartAdmin):
    list_display = ["alt_text", "program", "order"]
    search_fields = ["alt_text", "caption"]
