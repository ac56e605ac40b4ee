"""What other apps add to the domain's admin pages (programs/hooks.py): inlines after the
domain's own, and list filters where each admin says."""

from .. import hooks


class ExtensibleAdminMixin:
    # Where in `list_filter` the registered filters go (e.g. 'needs attention', editor_home/);
    # None: this list takes none.
    extension_filters_at = None

    def get_inlines(self, request, obj):
        registered = hooks.get_hooks(hooks.admin_inlines(self.model._meta.model_name))
        return [*super().get_inlines(request, obj), *registered]

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if self.extension_filters_at is not None:
            filters[self.extension_filters_at : self.extension_filters_at] = hooks.get_hooks(hooks.ADMIN_LIST_FILTERS)
        return filters
