"""Invitations to choose a password, and the record of every change to how a person signs in."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    """A one-time link, emailed to a new editor, to choose their password.

    The link carries a signed reference to this row, never a password. It works
    once (accepted_at), until it expires (INVITATION_DAYS), and a newer
    invitation to the same person voids it (voided_at).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    agency = models.ForeignKey("programs.Agency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation to {self.email} ({self.status})"

    @property
    def expires_at(self):
        return self.created_at + timedelta(days=settings.INVITATION_DAYS)

    @property
    def status(self):
        if self.accepted_at:
            return "accepted"
        if self.voided_at:
            return "replaced by a newer invitation"
        if timezone.now() >= self.expires_at:
            return "expired"
        return "waiting"


class AccountEvent(models.Model):
    """Who changed how a person signs in, and when (kept for audits; never holds a secret)."""

    class Kind(models.TextChoices):
        INVITED = "invited", _("Invitation sent")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted and password chosen")
        AUTHENTICATOR_SET_UP = "authenticator_set_up", _("Authenticator app set up")
        SECOND_FACTOR_RESET = "second_factor_reset", _("Second factor reset (set up again at next sign-in)")
        BACKUP_CODES_MADE = "backup_codes_made", _("New backup codes made")
        BACKUP_CODE_USED = "backup_code_used", _("Signed in with a backup code")
        PASSKEY_ADDED = "passkey_added", _("Passkey added")
        PASSKEY_REMOVED = "passkey_removed", _("Passkey removed")
        PASSWORD_RESET = "password_reset", _("Password reset by email")
        DEACTIVATED = "deactivated", _("Account deactivated and its sessions ended")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who made the change; empty when it was done from the command line.",
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user} ({self.at:%Y-%m-%d %H:%M})"

    @property
    def detail_is_english(self):
        """The details the site writes ("to name@example.org", "3 left") are stored in English; a
        passkey's name is the person's own. The account page marks the English ones lang="en"."""
        return self.kind in (self.Kind.INVITED, self.Kind.BACKUP_CODE_USED)


class StaffSession(models.Model):
    """A signed-in session's key and whose it is, so deactivating someone ends them all."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("staff session")
        verbose_name_plural = _("staff sessions")

    def __str__(self):
        return f"Session of {self.user}"


def record(user, kind, actor=None, detail=""):
    return AccountEvent.objects.create(user=user, kind=kind, actor=actor, detail=detail[:200])
