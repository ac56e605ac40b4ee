"""Create or update a staff account that edits one agency's content.

    python manage.py add_editor USERNAME AGENCY_SLUG [--email EMAIL]

Idempotent. No password is ever taken on the command line or printed: the
operator is told how the editor sets one.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from programs.models import Agency, AgencyMembership

EDITORS_GROUP = "Agency editors"

# What an editor may do, model by model; the admin narrows it to their agencies.
EDITOR_PERMISSIONS = {
    "program": ["view", "add", "change", "delete"],
    "missionrole": ["view", "add", "change", "delete"],
    "goal": ["view", "add", "change", "delete"],
    "outcome": ["view", "add", "change", "delete"],
    "partnership": ["view", "add", "change", "delete"],
    "photo": ["view", "add", "change", "delete"],
    "officer": ["view", "add", "change", "delete"],
    "school": ["view", "add", "change", "delete"],
    "assignment": ["view", "add", "change", "delete"],
    "educationtopic": ["view", "add", "change"],  # a shared catalogue: only superusers delete
    "agency": ["view", "change"],
    "state": ["view"],
    "submission": ["view", "change"],
    "alert": ["view", "add", "change", "delete"],
}


def editors_group():
    """The 'Agency editors' group with exactly the permissions above."""
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    codenames = [f"{action}_{model}" for model, actions in EDITOR_PERMISSIONS.items() for action in actions]
    group.permissions.set(Permission.objects.filter(content_type__app_label="programs", codename__in=codenames))
    return group


class Command(BaseCommand):
    help = "Create or update a staff user who edits one agency's SRO content (never takes or prints a password)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("agency_slug", help="e.g. jefferson-county-sheriffs-office")
        parser.add_argument("--email", default="", help="The editor's work email address.")

    @transaction.atomic
    def handle(self, username, agency_slug, email, **options):
        try:
            agency = Agency.objects.get(slug=agency_slug)
        except Agency.DoesNotExist:
            known = ", ".join(Agency.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No agency with the slug '{agency_slug}'. Known agencies: {known}.") from None

        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.set_unusable_password()  # no default password, ever
        user.is_staff = True
        user.is_active = True
        if email:
            user.email = email
        user.save()
        user.groups.add(editors_group())
        _, joined = AgencyMembership.objects.get_or_create(user=user, agency=agency)

        verb = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} editor '{username}' for {agency.name}."))
        if not joined:
            self.stdout.write("They were already an editor of this agency.")
        if created or not user.has_usable_password():
            self.stdout.write(
                "They have no password yet. Set one with\n"
                f"    python manage.py changepassword {username}\n"
                "(it asks twice and never shows it), and pass it to them in person or by phone."
            )
        self.stdout.write(
            "In production the admin also asks for a code from an authenticator app: a superuser adds a\n"
            "'TOTP device' for this user under Admin > TOTP devices and lets them scan its QR code."
        )
