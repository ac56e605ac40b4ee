"""Ending a person's sessions at once when their account is deactivated.

Django's sessions table does not say whose session a row is, so each
signed-in session is remembered here (a key and a user id, nothing else)."""

from importlib import import_module

from django.conf import settings


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def remember_session(request, user=None):
    user = user or request.user
    from .models import StaffSession

    if request.session.session_key is None:
        request.session.save()
    store = _store()
    # Rows of sessions that are gone (signed out, expired, cycled) are dropped on the way.
    for key in StaffSession.objects.filter(user=user).values_list("session_key", flat=True):
        if not store().exists(key):
            StaffSession.objects.filter(session_key=key).delete()
    StaffSession.objects.get_or_create(session_key=request.session.session_key, defaults={"user": user})


def end_sessions(user):
    from .models import StaffSession

    store = _store()
    keys = list(StaffSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    StaffSession.objects.filter(user=user).delete()
    return len(keys)
