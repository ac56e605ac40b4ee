"""Staff sessions end after SESSION_COOKIE_AGE without activity, not after a fixed time."""

import time

RENEWED_AT = "accounts_renewed_at"
RENEW_EVERY = 60  # seconds: at most one session write a minute per person


class RenewStaffSessionMiddleware:
    """Push a signed-in person's session expiry forward as they work.

    Unlike SESSION_SAVE_EVERY_REQUEST this touches only signed-in sessions
    (a stray or forged cookie on a public page writes nothing), and at most
    once a minute.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only where the view already read the session: a public page or the
        # health check must not start a session lookup of its own.
        if session is not None and session.accessed and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get(RENEWED_AT, 0) >= RENEW_EVERY:
                session[RENEWED_AT] = now  # modified: saved with a fresh expiry
        return response
