"""One mechanism scopes every admin to the editor's agencies.

Each ModelAdmin names the path from its model to the agency in
`agency_lookup` ("agency", "program__agency", "officer__agency", "pk" for the
Agency itself). Superusers see everything; editors see, choose and change only
what belongs to their agencies (programs.models.AgencyMembership). Lists,
change, delete and history views, autocomplete, inlines and foreign-key
choices all go through the methods below. An admin whose records are reached
by another membership (officer_feedback's complaints: the professional-standards
group) is a `ScopedByAgencyAdmin` with its own `agency_ids`.
"""

from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError

from ..models import Agency, Officer, Partnership, Program, School, editable_agency_ids

# Changelist filters offer only what the editor's own (scoped) list contains,
# so another agency's draft never shows up by name in a filter.
RELATED_ONLY = admin.RelatedOnlyFieldListFilter

# Related models whose choices are limited to the editor's agencies, and how.
SCOPED_CHOICES = {
    Agency: "pk",
    Program: "agency",
    Officer: "agency",
    School: "agency",
    Partnership: "program__agency",
}


def agency_id_of(obj, lookup):
    """Follow 'program__agency' on an instance (live or historical) to the agency's id."""
    if lookup == "pk":
        return obj.pk
    *path, last = lookup.split("__")
    try:
        for step in path:
            obj = getattr(obj, step)
        return getattr(obj, f"{last}_id")
    except (ObjectDoesNotExist, AttributeError):
        return None


def within_agencies(queryset, lookup, allowed):
    """`queryset` narrowed to the agencies `allowed` (None: all of them)."""
    if allowed is None:
        return queryset
    field = "pk" if lookup == "pk" else f"{lookup}_id"
    return queryset.filter(**{f"{field}__in": allowed})


def scope_queryset(queryset, lookup, user):
    return within_agencies(queryset, lookup, editable_agency_ids(user))


class ScopedChoicesMixin:
    """Foreign-key choices (selects and autocompletes) limited to the editor's agencies."""

    def agency_ids(self, request):
        """The agencies whose records the user reaches here; None for all (superusers)."""
        return editable_agency_ids(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        lookup = SCOPED_CHOICES.get(db_field.related_model)
        if lookup is not None:
            queryset = kwargs.get("queryset", db_field.related_model._default_manager.all())
            kwargs["queryset"] = within_agencies(queryset, lookup, self.agency_ids(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedByAgencyAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """Records reached through the agencies `agency_ids` names; `AgencyScopedAdmin` for editors."""

    agency_lookup = None  # required: see the module docstring

    def get_queryset(self, request):
        return within_agencies(super().get_queryset(request), self.agency_lookup, self.agency_ids(request))

    def in_scope(self, request, obj):
        allowed = self.agency_ids(request)
        return allowed is None or agency_id_of(obj, self.agency_lookup) in allowed

    def get_changeform_initial_data(self, request):
        """A new object gets the editor's agency, or program, when they have only one to choose."""
        initial = super().get_changeform_initial_data(request)
        field = self.agency_lookup.split("__")[0]
        related = {"agency": Agency, "program": Program}.get(field)
        if related is None or field in initial or not self.model._meta.get_field(field).is_relation:
            return initial
        allowed = self.agency_ids(request)
        if not allowed:  # superusers (None) choose; nobody's agency (empty) has nothing to give
            return initial
        choices = list(within_agencies(related._default_manager.all(), SCOPED_CHOICES[related], allowed)[:2])
        if len(choices) == 1:
            initial[field] = choices[0].pk
        return initial

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            try:
                exists = self.model._default_manager.filter(pk=object_id).exists()
            except (ValueError, ValidationError):
                exists = False
            if exists:
                # It exists but belongs to another agency: refuse rather than pretend.
                raise PermissionDenied
        return obj

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history checks only the old version; the object as it is
        # now must be the editor's too, or a revert would pull another agency's
        # object back into theirs. (Reached only on admins that add history.)
        current = self.model._default_manager.filter(pk=object_id).first()
        if current is not None and not self.in_scope(request, current):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (obj is None or self.in_scope(request, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or self.in_scope(request, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or self.in_scope(request, obj))


class AgencyScopedAdmin(ScopedByAgencyAdmin):
    """An editor's agencies' records (`AgencyMembership`): most of the admin."""


class ScopedInlineMixin(ScopedChoicesMixin):
    """Inlines live under a scoped parent; their own foreign keys are scoped too."""


class SuperusersChangeMixin:
    """Only superusers add, change or delete (editors may still look, where their group allows)."""

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class SuperusersOnlyMixin(SuperusersChangeMixin):
    """Nobody but superusers sees these at all (accounts, memberships)."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
