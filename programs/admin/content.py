"""Staff editing of the program content, scoped to the editor's agencies
(programs/admin/scoping.py), with history and revert (django-simple-history)
and refusal of stale saves (programs/admin/concurrency.py)."""

from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

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
from ..rollover import roll_over
from .concurrency import VersionCheckedAdminMixin
from .extensions import ExtensibleAdminMixin, RegisteredFilters
from .large_lists import LargeListMixin
from .officer_import import OfficerImportMixin
from .scoping import RELATED_ONLY, AgencyScopedAdmin, ScopedInlineMixin, SuperusersChangeMixin
from .slugs import SlugFromNameMixin


class MissionRoleInline(ScopedInlineMixin, TranslationTabularInline):
    model = MissionRole
    extra = 0
    fields = ["order", "name", "description"]


class GoalInline(ScopedInlineMixin, TranslationStackedInline):
    model = Goal
    extra = 0
    fields = [("order", "title"), "description"]


class OutcomeInline(ScopedInlineMixin, TranslationStackedInline):
    model = Outcome
    extra = 0
    fields = [("order", "figure"), "label", ("period", "source")]


class PhotoInline(ScopedInlineMixin, TranslationTabularInline):
    model = Photo
    extra = 0
    fields = ["order", "image", "alt_text", "caption"]


class PartnershipInline(ScopedInlineMixin, admin.TabularInline):
    """Each district's agreements are added on the partnership's own page (its change link)."""

    model = Partnership
    extra = 0
    fields = ["district"]
    show_change_link = True


# Django 6 will assume https for scheme-less URLs; county sites are all https already.
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class ContentAdmin(ExtensibleAdminMixin, LargeListMixin, AgencyScopedAdmin, SimpleHistoryAdmin):
    """Scoped to the editor's agencies, with a History page that shows each change and can revert it,
    and lists that stay quick at a whole country's size (programs/admin/large_lists.py)."""

    per_agency_filters = ("agency", "program", "school__agency", "program__agency", "district")


@admin.register(State)
class StateAdmin(SuperusersChangeMixin, admin.ModelAdmin):
    """Statewide data (the tip line): editors may look, superusers change."""

    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name", "code", "tip_line_name", "tip_line_phone"]
    search_fields = ["name", "code"]


@admin.register(Agency)
class AgencyAdmin(ContentAdmin):
    """Editors keep their own agency's details current; superusers add and remove agencies."""

    agency_lookup = "pk"
    formfield_overrides = HTTPS_URL_FIELDS

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

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
class ProgramAdmin(SlugFromNameMixin, VersionCheckedAdminMixin, TranslationAdmin, ContentAdmin):
    agency_lookup = "agency"
    list_display = ["name", "agency", "status", "last_reviewed", "updated_at", "public_link"]
    list_filter = ["status", RegisteredFilters, "agency__state", ("agency", RELATED_ONLY)]
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
class EducationTopicAdmin(SlugFromNameMixin, TranslationAdmin, SimpleHistoryAdmin):
    """A catalogue shared by all programs: editors may propose and improve topics; only superusers delete."""

    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class AssignmentInline(ScopedInlineMixin, admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["officer", "school"]


@admin.register(Officer)
class OfficerAdmin(OfficerImportMixin, VersionCheckedAdminMixin, TranslationAdmin, ContentAdmin):
    """With an Import page for a spreadsheet of officers and their schools (programs/admin/officer_import.py)."""

    agency_lookup = "agency"
    list_display = ["full_name", "rank", "role", "agency", "phone", "is_active"]
    list_filter = ["is_active", RegisteredFilters, "role", ("agency", RELATED_ONLY)]
    search_fields = ["first_name", "last_name", "rank", "email"]
    autocomplete_fields = ["agency"]
    list_select_related = ["agency"]
    inlines = [AssignmentInline]  # and the officer's training (training/)
    fieldsets = [
        (None, {"fields": ["agency", ("first_name", "last_name"), "rank", "role", "is_active"]}),
        ("Contact", {"fields": ["phone", "email"]}),
        ("Photo and biography", {"fields": ["photo", "photo_alt", "bio"]}),
    ]


@admin.register(School)
class SchoolAdmin(SlugFromNameMixin, VersionCheckedAdminMixin, ContentAdmin):
    agency_lookup = "agency"
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name", "district", "city", "agency", "is_example"]
    list_filter = [RegisteredFilters, ("agency", RELATED_ONLY), "district", "level", "is_example"]
    search_fields = ["name", "district", "city", "nces_id"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["agency"]
    list_select_related = ["agency"]
    inlines = [AssignmentInline]
    fieldsets = [
        (None, {"fields": ["agency", "name", "slug", "district", "is_example"]}),
        ("Address and contact", {"fields": ["street_address", ("city", "postal_code"), "phone", "website"]}),
        ("Grades", {"fields": ["level", ("grade_lowest", "grade_highest")]}),
        (
            "Federal school directory",
            {
                "description": (
                    "Filled in by the yearly import from the federal school directory (NCES), which finds the "
                    "school by these IDs and updates its name, address and grades."
                ),
                "fields": [("nces_id", "nces_district_id")],
            },
        ),
    ]


@admin.register(Assignment)
class AssignmentAdmin(ContentAdmin):
    agency_lookup = "school__agency"
    list_display = ["officer", "school", "school_year_display"]
    list_filter = ["school_year", ("school__agency", RELATED_ONLY)]
    search_fields = ["officer__last_name", "officer__first_name", "school__name"]
    autocomplete_fields = ["officer", "school"]
    list_select_related = ["officer", "school"]
    actions = ["copy_to_next_school_year"]

    @admin.display(description="School year", ordering="school_year")
    def school_year_display(self, obj):
        return format_school_year(obj.school_year)

    @admin.action(description="Copy to the next school year", permissions=["add"])
    def copy_to_next_school_year(self, request, queryset):
        # `queryset` is this admin's list narrowed to the selection: the editor's agencies only.
        result = roll_over(queryset, user=request.user)
        self.message_user(request, result.summary(), messages.SUCCESS if result.copied else messages.INFO)


@admin.register(Partnership)
class PartnershipAdmin(ContentAdmin):
    agency_lookup = "program__agency"
    list_display = ["district", "program"]
    list_filter = [("program__agency", RELATED_ONLY)]
    search_fields = ["district", "program__name", "program__agency__name"]
    autocomplete_fields = ["program"]
    list_select_related = ["program__agency"]
    fields = ["program", "district"]  # and the district's agreements (agreements/)


class ProgramPartAdmin(ContentAdmin):
    """Goals, outcomes, roles and photos are usually edited on their program's
    page; these lists help find one across programs."""

    agency_lookup = "program__agency"
    autocomplete_fields = ["program"]
    list_select_related = ["program__agency"]
    list_filter = [("program__agency", RELATED_ONLY)]


# The lists of a program's parts: the columns each shows and what its search box searches.
PROGRAM_PART_LISTS = {
    Goal: (["title", "program", "order"], ["title", "description"]),
    Outcome: (["figure", "label", "program", "source"], ["label", "source"]),
    MissionRole: (["name", "program", "order"], ["name", "description"]),
    Photo: (["alt_text", "program", "order"], ["alt_text", "caption"]),
}
for _model, (_columns, _searched) in PROGRAM_PART_LISTS.items():
    admin.site.register(
        _model,
        type(
            f"{_model.__name__}Admin",
            (TranslationAdmin, ProgramPartAdmin),
            {"__module__": __name__, "list_display": _columns, "search_fields": _searched},
        ),
    )
