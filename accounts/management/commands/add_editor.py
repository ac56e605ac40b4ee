"""Create or update a staff account that edits one agency's content, and invite the person.

    python manage.py add_editor USERNAME AGENCY_SLUG [--email EMAIL] [--no-invite]

Idempotent. No password is ever taken, printed or emailed: the person gets a
one-time link to choose their own (valid INVITATION_DAYS), then sets up their
second factor at first sign-in. Re-running sends a fresh link while they have
no password yet, and the old link stops working.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts import invitations
from accounts.editors import make_editor
from programs.models import Agency


class Command(BaseCommand):
    help = "Create or update a staff user who edits one agency's SRO content and email them an invitation."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("agency_slug", help="e.g. jefferson-county-sheriffs-office")
        parser.add_argument("--email", default="", help="The editor's work email address; the invitation goes there.")
        parser.add_argument(
            "--no-invite",
            action="store_true",
            help="Do not email an invitation (no password yet).",
        )
        parser.add_argument(
            "--resend", action="store_true", help="Send a fresh invitation even though they already have a password."
        )

    def handle(self, username, agency_slug, email, no_invite, resend, **options):
        try:
            agency = Agency.objects.get(slug=agency_slug)
        except Agency.DoesNotExist:
            known = ", ".join(Agency.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No agency with the slug '{agency_slug}'. Known agencies: {known}.") from None

        user, created, joined = make_editor(username, agency, email)
        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} editor '{username}' for {agency.name}."))
        if not joined:
            self.stdout.write("They were already an editor of this agency.")

        if no_invite or (user.has_usable_password() and not resend):
            if not user.has_usable_password():
                self.stdout.write("No invitation sent: they have no password yet. Run again without --no-invite.")
            return
        if not user.email:
            self.stdout.write(
                self.style.WARNING(
                    "No invitation sent: the account has no email address. Run again with --email ADDRESS."
                )
            )
            return
        invitation = invitations.create(user, user.email, agency=agency)
        try:
            invitations.send(invitation, settings.SITE_URL)
        except Exception as error:  # any mail failure: say so, keep the account
            raise CommandError(
                f"The account is saved, but the invitation email could not be sent ({error.__class__.__name__}: "
                f"{error}). Check EMAIL_URL, then run this command again to send a fresh link."
            ) from error
        self.stdout.write(
            f"Invitation emailed to {user.email}: a one-time link to choose a password, valid for "
            f"{settings.INVITATION_DAYS} days"
            + (", then they set up their second factor at first sign-in." if settings.OTP_REQUIRED else ".")
        )
