"""Sessions that end, and pages that are not kept.

A case worker who walks away from a signed-in screen, or a shared computer whose browser keeps
pages in its cache, would show a vulnerable adult's record to whoever comes next.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import add_never_cache_headers

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
# Writing the session on every request costs a database write; a minute's precision is plenty.
LAST_SEEN_GRANULARITY = 60


def start_session_clock(sender, request, user, **kwargs) -> None:
    """On sign-in (user_logged_in): both limits count from now."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now


class SessionLimitsMiddleware:
    """Sign the user out after SESSION_IDLE_SECONDS without a request, and after
    SESSION_MAX_SECONDS in all, however active they are. Decided on the server, not by the cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)
            last_seen = session.get(LAST_SEEN, now)
            reason = None
            if now - last_seen > settings.SESSION_IDLE_SECONDS:
                reason = f"You were signed out after {settings.SESSION_IDLE_SECONDS // 60} minutes without activity."
            elif now - signed_in_at > settings.SESSION_MAX_SECONDS:
                reason = f"You were signed out after {settings.SESSION_MAX_SECONDS // 3600} hours. Sign in again."
            if reason:
                logout(request)
                messages.info(request, reason)
                return redirect_to_login(request.get_full_path())
            if now - last_seen >= LAST_SEEN_GRANULARITY or LAST_SEEN not in session:
                session[LAST_SEEN] = now
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Nothing shown to a signed-in user is stored by the browser or any cache on the way
    (Cache-Control: no-store): every such page may hold personal data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
