from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff accounts: sign-in in two steps, second factors, invitations, resets."""

    default = True
    name = "accounts"
    verbose_name = "Staff accounts"

    def ready(self):
        from . import signals  # noqa: F401 (connects the account-event and session receivers)
