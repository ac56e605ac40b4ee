"""The second factors a person can hold: an authenticator app (TOTP), backup
codes and passkeys, all django-otp devices. Protocol code stays in the
libraries (django-otp, django-otp-webauthn); this module only decides which
device a person has, makes new ones and removes them."""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from programs.models.staff import second_factor_passed  # noqa: F401 (the rule is the domain's; used here too)

from .models import AccountEvent, record

BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"


def is_required():
    return settings.OTP_REQUIRED


def has_second_factor(user):
    return user_has_device(user, confirmed=True)


def authenticator(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def passkeys(user):
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")


def backup_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_authenticator(user):
    """The authenticator being set up: the same secret on every reload until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def setup_key(device):
    """The secret as people type it into an app: base32 in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_data_uri(device):
    """The otpauth:// address as an SVG QR code, for an <img> (no inline SVG, no script)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@transaction.atomic
def confirm_authenticator(device, actor):
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    record(device.user, AccountEvent.Kind.AUTHENTICATOR_SET_UP, actor=actor)


@transaction.atomic
def new_backup_codes(user, actor):
    """Ten fresh single-use codes; any earlier ones stop working. Returned once, to show once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_CODES_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    record(user, AccountEvent.Kind.BACKUP_CODES_MADE, actor=actor)
    return codes


@transaction.atomic
def reset(user, actor):
    """Remove every second factor (app, backup codes, passkeys): set-up starts again at next sign-in."""
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
    record(user, AccountEvent.Kind.SECOND_FACTOR_RESET, actor=actor)


def normalise_code(value):
    """Codes as people type them: spaces, dashes and capitals ignored."""
    return "".join(value.split()).replace("-", "").lower()
