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

from functools import cache

from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseRedirect

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


@cache
def deletion_concerns(model):
    """The models a delete of `model`'s rows takes with it (on_delete=CASCADE, all the way down)
    or is stopped by while they have rows (PROTECT, RESTRICT): a program's goals and partnerships,
    and the public's messages and the agreements that keep it."""
    taken, stopping, to_follow = set(), set(), [model]
    while to_follow:
        for relation in to_follow.pop()._meta.related_objects:
            on_delete = getattr(relation, "on_delete", None)
            if on_delete is models.CASCADE and relation.related_model not in taken:
                taken.add(relation.related_model)
                to_follow.append(relation.related_model)
            elif on_delete in (models.PROTECT, models.RESTRICT):
                stopping.add(relation.related_model)
    return frozenset(taken | stopping)


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

    def changelist_view(self, request, extra_context=None):
        """A list asked, in its address, for another agency's records (a link from a superuser, an old
        bookmark): back to the list without that filter, saying so. Django ignored such a filter
        without a word, its choices hidden from an editor of one agency, or showed an empty list."""
        refused = self.other_agencies_in_address(request)
        if not refused:
            return super().changelist_view(request, extra_context)
        allowed = Agency.objects.filter(pk__in=self.agency_ids(request)).order_by("name")
        self.message_user(
            request,
            f"The address asked for another agency's {self.model._meta.verbose_name_plural}, which your account "
            f"cannot see. The list shows those of {', '.join(a.name for a in allowed) or 'your agencies'} instead.",
            messages.WARNING,
        )
        kept = request.GET.copy()
        for key in refused:
            del kept[key]
        return HttpResponseRedirect(f"{request.path}?{kept.urlencode()}" if kept else request.path)

    def other_agencies_in_address(self, request):
        """The address's parameters that filter the list by an agency the user does not reach."""
        allowed = self.agency_ids(request)
        if allowed is None or self.agency_lookup == "pk":
            return []
        path = self.agency_lookup
        names = {f"{path}__id__exact", f"{path}__pk__exact", f"{path}__exact", path, f"{path}_id", f"{path}_id__exact"}
        refused = []
        for key in names & request.GET.keys():
            values = request.GET.getlist(key)
            if any(value.isdigit() and int(value) not in allowed for value in values):
                refused.append(key)
        return refused

    def get_actions(self, request):
        """ "Delete selected" only for a user who may delete all it concerns: an editor, who may not
        delete the public's messages or agreements, was offered it on programs, only to be told
        "Cannot delete program". One record's own Delete button stays: Django says there what
        stops it, and a new draft with nothing attached can go."""
        actions = super().get_actions(request)
        if "delete_selected" in actions and not self.may_delete_all_it_concerns(request):
            del actions["delete_selected"]
        return actions

    def may_delete_all_it_concerns(self, request):
        return all(
            request.user.has_perm(f"{model._meta.app_label}.{get_permission_codename('delete', model._meta)}")
            for model in deletion_concerns(self.model)
            if self.admin_site.is_registered(model)
        )


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
