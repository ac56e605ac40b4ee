"""Records the site writes itself (account events, reminders sent): staff may read them, never add or change one."""


class WrittenByTheSiteMixin:
    """First among the bases: it decides before any mixin that would let superusers add or change."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False
