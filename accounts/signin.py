"""What every way of signing in shares: where to go next, what to do once the
person is fully signed in, and how a wrong second-step code counts against them."""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from axes.utils import reset as reset_failed_attempts
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from .sessions import remember_session


def safe_next(request, candidate):
    """`next` from the request when it stays on this site, else the admin's index."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url("admin:index")


def finish_sign_in(request):
    """Both steps passed: a new session id, and the failed attempts forgotten.

    Failures are only forgotten here, not after the password alone: otherwise
    someone holding a stolen password could sign in again and again to reset
    the count and keep guessing codes.
    """
    request.session.cycle_key()
    remember_session(request)
    reset_failed_attempts(username=request.user.get_username())


def credentials(user):
    return {"username": user.get_username()}


def is_locked(request, user):
    return AxesProxyHandler.is_locked(request, credentials(user))


def count_failure(request, user):
    """A wrong code counts like a wrong password (django-axes), and locks the same way."""
    user_login_failed.send(sender=__name__, credentials=credentials(user), request=request)
    return getattr(request, "axes_locked_out", False) or is_locked(request, user)


def locked_out(request, user):
    """Sign the half-signed-in person out and say how long the lock lasts."""
    creds = credentials(user)
    logout(request)
    request.axes_locked_out = False  # answered here; the axes middleware need not answer again
    return get_lockout_response(request, None, creds)
