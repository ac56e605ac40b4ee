"""Print the next step of a new site's set-up (used by `make run`); silent once done."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Say how to create the first staff account, while the site has none."

    def handle(self, **options):
        if get_user_model().objects.filter(is_superuser=True, is_active=True).exists():
            return
        admin = f"{settings.SITE_URL}/{settings.ADMIN_URL}"
        steps = [
            "Next step: create the first staff account with",
            "    .venv/bin/python manage.py createsuperuser",
            f"then sign in at {admin}",
        ]
        if settings.OTP_REQUIRED:
            steps.append("(have your phone ready: the site sets up an authenticator app at your first sign-in).")
        self.stdout.write(self.style.WARNING("\n".join(steps)))
