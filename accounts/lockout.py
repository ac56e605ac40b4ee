"""The page shown when django-axes locks an account-and-address pair."""

import math

from axes.helpers import get_cool_off
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    context = {
        "minutes": minutes,
        "until": timezone.localtime() + cool_off if cool_off else None,
        "page_title": _("Account locked for now"),
        "noindex": True,
    }
    return render(request, "accounts/locked_out.html", context, status=429)
