"""One-time links to choose a password: signed, single-use, expiring, voided by a newer one."""

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AccountEvent, Invitation, record

SALT = "accounts.invitation"


class InvalidInvitation(Exception):
    """The link is unknown, expired, used or replaced; the message says which, for the person."""


def token_for(invitation):
    return signing.dumps(invitation.pk, salt=SALT)


def invitation_url(invitation, base_url):
    return base_url.rstrip("/") + reverse("accounts:accept_invitation", args=[token_for(invitation)])


@transaction.atomic
def create(user, email, agency=None, sent_by=None):
    """A fresh invitation; any earlier one still waiting stops working."""
    now = timezone.now()
    user.invitations.filter(accepted_at__isnull=True, voided_at__isnull=True).update(voided_at=now)
    invitation = Invitation.objects.create(user=user, email=email, agency=agency, sent_by=sent_by, created_at=now)
    record(user, AccountEvent.Kind.INVITED, actor=sent_by, detail=f"to {email}")
    return invitation


def send(invitation, base_url):
    """Email the link. Raises what the mail server raised; the invitation stays valid to resend."""
    context = {
        "invitation": invitation,
        "url": invitation_url(invitation, base_url),
        "days": settings.INVITATION_DAYS,
        "site_name": settings.SITE_NAME,
        "otp_required": settings.OTP_REQUIRED,
    }
    send_mail(
        subject=f"Your staff account on {settings.SITE_NAME}",
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )


def _expired():
    return InvalidInvitation(
        _("This invitation link has expired: links work for %(days)d days.") % {"days": settings.INVITATION_DAYS}
    )


def _already_used():
    return InvalidInvitation(_("This invitation link has already been used. Sign in with the password you chose."))


def check(token):
    """The waiting invitation a link points to, or InvalidInvitation saying why not."""
    try:
        pk = signing.loads(token, salt=SALT, max_age=settings.INVITATION_DAYS * 86400)
    except signing.SignatureExpired:
        raise _expired() from None
    except signing.BadSignature:
        raise InvalidInvitation(_("This invitation link is not valid. Check that the whole link was copied.")) from None
    invitation = Invitation.objects.select_related("user").filter(pk=pk).first()
    if invitation is None or not invitation.user.is_active:
        raise InvalidInvitation(_("This invitation is no longer valid."))
    if invitation.accepted_at:
        raise _already_used()
    if invitation.voided_at:
        raise InvalidInvitation(_("A newer invitation was sent to you: use the link in the most recent email."))
    if timezone.now() >= invitation.expires_at:
        raise _expired()
    return invitation


@transaction.atomic
def accept(invitation, password):
    """Use the invitation once: a second request racing this one finds it taken."""
    taken = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, voided_at__isnull=True).update(
        accepted_at=timezone.now()
    )
    if not taken:
        raise _already_used()
    user = invitation.user
    user.set_password(password)
    user.save(update_fields=["password"])
    record(user, AccountEvent.Kind.INVITATION_ACCEPTED, actor=user)
    return user
