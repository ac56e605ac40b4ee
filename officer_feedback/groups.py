"""The "Professional standards" group: staff who handle one agency's complaints and commendations."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import ProfessionalStandardsMembership

PROFESSIONAL_STANDARDS_GROUP = "Professional standards"

# What a member may do; the admin narrows it to their agencies (officer_feedback/admin.py).
PERMISSIONS = {
    "feedback": ["view", "change"],  # handle: status and notes; what was sent stays as sent
    "professionalstandardscontact": ["view", "add", "change"],  # where complaints go: the unit's to keep
}


def professional_standards_group():
    """The group with exactly the permissions above."""
    group, _ = Group.objects.get_or_create(name=PROFESSIONAL_STANDARDS_GROUP)
    codenames = [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions]
    group.permissions.set(Permission.objects.filter(content_type__app_label="officer_feedback", codename__in=codenames))
    return group


@transaction.atomic
def add_member(user, agency):
    """Make `user` a member of `agency`'s professional-standards group. Returns whether they were not yet."""
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(professional_standards_group())
    _, joined = ProfessionalStandardsMembership.objects.get_or_create(user=user, agency=agency)
    return joined
