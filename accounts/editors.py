"""County editors: staff accounts in the 'Agency editors' group, scoped to their agencies."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connections, transaction
from django.db.models import Q

from programs.models import AgencyMembership

EDITORS_GROUP = "Agency editors"

# What an editor may do, model by model; the admin narrows it to their agencies.
# A model of another app than `programs` is named with its app: "app_label.model".
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
    "inbox.submission": ["view", "change"],
    "alert": ["view", "add", "change", "delete"],
    # agreements/: a public record, corrected or renewed (a new one), deleted only by superusers
    "agreements.agreement": ["view", "add", "change"],
    "agreements.reviewreminder": ["view"],  # the reminders sent, shown on each agreement
    # training/: the course catalogue is shared and kept by superusers
    "training.course": ["view"],
    "training.officertraining": ["view", "add", "change", "delete"],
    "program_data.figureset": ["view", "add", "change", "delete"],
    # officer_feedback: the partner districts' public contacts (not complaints: those are professional standards')
    "officer_feedback.schoolmatterscontact": ["view", "add", "change", "delete"],
    # updates/: news and events (subscribers have no admin: staff see their number only)
    "updates.update": ["view", "add", "change", "delete"],
}


def editors_group():
    """The 'Agency editors' group with exactly the permissions above."""
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    wanted = Q(pk__in=[])
    for model, actions in EDITOR_PERMISSIONS.items():
        app_label, _, model_name = model.rpartition(".")
        codenames = [f"{action}_{model_name}" for action in actions]
        wanted |= Q(content_type__app_label=app_label or "programs", codename__in=codenames)
    group.permissions.set(Permission.objects.filter(wanted))
    return group


def groups_table_exists(using="default"):
    """False after `migrate auth zero` (a rollback), whose post_migrate still reaches the handlers."""
    return Group._meta.db_table in connections[using].introspection.table_names()


def refresh_editors_group(using="default", **kwargs):
    """After `migrate` (post_migrate, sent once per app): an existing group gets the permissions of
    models a deploy added, so editors invited before it can work on them too."""
    if groups_table_exists(using) and Group.objects.using(using).filter(name=EDITORS_GROUP).exists():
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
