"""County editors: staff accounts in the 'Agency editors' group, scoped to their agencies."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from programs.models import AgencyMembership

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
    # agreements/: a public record, corrected or renewed (a new one), deleted only by superusers
    "agreement": ["view", "add", "change"],
    "reviewreminder": ["view"],  # the reminders sent, shown on each agreement
    # training/: the course catalogue is shared and kept by superusers
    "course": ["view"],
    "officertraining": ["view", "add", "change", "delete"],
    # officer_feedback: the partner districts' public contacts (not complaints: those are professional standards')
    "schoolmatterscontact": ["view", "add", "change", "delete"],
}
EDITOR_APPS = ["programs", "agreements", "training", "officer_feedback"]


def editors_group():
    """The 'Agency editors' group with exactly the permissions above."""
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    codenames = [f"{action}_{model}" for model, actions in EDITOR_PERMISSIONS.items() for action in actions]
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=EDITOR_APPS, codename__in=codenames))
    return group


def refresh_editors_group(**kwargs):
    """After `migrate` (post_migrate, sent once per app): an existing group gets the permissions of
    models a deploy added, so editors invited before it can work on them too."""
    if Group.objects.filter(name=EDITORS_GROUP).exists():
        editors_group()


@transaction.atomic
def make_editor(username, agency, email=""):
    """Create or update an editor of `agency`; never sets a password (they choose one from an invitation).

    Returns (user, created, joined): whether the account is new, whether the agency is new to them.
    """
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
    return user, created, joined
