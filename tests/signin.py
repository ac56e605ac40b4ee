"""Helpers for the sign-in tests: a confirmed authenticator, and its codes as the app shows them."""

import base64
import time

import pyotp
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "a-long-test-passphrase"  # tests/factories.py UserFactory


def authenticator_for(user):
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


STEP_SECONDS = 30
TYPING_SECONDS = 5  # how long a code must stay current: typed, sent and checked


def code_for_key(key, step=0):
    """The code the app shows now, or `step` 30-second steps later (codes are single-use).

    Close to the end of a step it first waits for the next one. A code typed in the step after
    the one it was made for is still accepted (one step's tolerance), but django-otp then
    records a drift of -1 and refuses the next step's code that a later sign-in types: that was
    an occasional failure of the browser sign-in test on a loaded machine."""
    left = STEP_SECONDS - time.time() % STEP_SECONDS
    if left < TYPING_SECONDS:
        time.sleep(left + 0.05)
    return pyotp.TOTP(key).at(time.time() + STEP_SECONDS * step)


def code_for(device, step=0):
    return code_for_key(base64.b32encode(device.bin_key).decode(), step)


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
