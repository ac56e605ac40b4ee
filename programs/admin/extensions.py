"""What other apps add to the domain's admin pages (programs/hooks.py): inlines after the
domain's own, and list filters where a list names `RegisteredFilters`."""

from django.contrib import admin

from .. import hooks


class RegisteredFilters(admin.SimpleListFilter):
    """A place in `list_filter` for the filters other apps register ('needs attention', editor_home/).

    Replaced by them in `get_list_filter`; a ListFilter itself only so that the admin's checks accept
    the place (it never reaches a page)."""

    title = parameter_name = "registered filters"

    def lookups(self, request, model_admin):
        return []

    def queryset(self, request, queryset):
        return queryset


class ExtensibleAdminMixin:
    def get_inlines(self, request, obj):
        registered = hooks.get_hooks(hooks.admin_inlines(self.model._meta.model_name))
        return [*super().get_inlines(request, obj), *registered]

    def get_list_filter(self, request):
        filters = []
        for list_filter in super().get_list_filter(request):
            filters += hooks.get_hooks(hooks.ADMIN_LIST_FILTERS) if list_filter is RegisteredFilters else [list_filter]
        return filters
