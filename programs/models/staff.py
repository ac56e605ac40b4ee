"""Who may edit what: staff belong to one or more agencies and edit only their content."""

from django.conf import settings
from django.db import models


class AgencyMembership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_memberships")
    agency = models.ForeignKey("programs.Agency", on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency__name", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="one_membership_per_user_and_agency")]

    def __str__(self):
        return f"{self.user} edits {self.agency}"


def editable_agency_ids(user):
    """The agencies a staff member may edit; None means all of them (superusers)."""
    if user.is_superuser:
        return None
    if not (user.is_active and user.is_staff):
        return set()
    cached = getattr(user, "_editable_agency_ids", None)
    if cached is None:
        cached = set(AgencyMembership.objects.filter(user=user).values_list("agency_id", flat=True))
        user._editable_agency_ids = cached
    return cached
