"""Helpers for the sign-in tests: a confirmed authenticator, and its codes as the app shows them."""

import base64
import time

import pyotp
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "a-long-test-passphrase"  # tests/factories.py UserFactory


def authenticator_for(user):
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def code_for(device, step=0):
    """The code the app shows now, or `step` 30-second steps later (codes are single-use)."""
    key = base64.b32encode(device.bin_key).decode()
    return pyotp.TOTP(key).at(time.time() + 30 * step)


def sign_in_with_password(client, user, password=PASSWORD, next_url=None):
    data = {"username": user.get_username(), "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:sign_in"), data)


def sign_in(client, user, device, step=0):
    """Both steps, as a person does them."""
    sign_in_with_password(client, user)
    response = client.post(reverse("accounts:verify"), {"code": code_for(device, step)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response
