from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AccountsConfig(AppConfig):
    """Staff accounts: sign-in in two steps, second factors, invitations, resets."""

    default = True
    name = "accounts"
    verbose_name = gettext_lazy("Staff accounts")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401 (connects the account-event and session receivers)
        from .editors import refresh_editors_group

        post_migrate.connect(refresh_editors_group, dispatch_uid="accounts-refresh-editors-group")
