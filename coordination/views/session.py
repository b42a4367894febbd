"""The session's idle timeout, seen from the page (issue 14): "Bliv logget ind" extends it.

The page is told how long the session has left (`session_timeout`, a context processor) and static/js/app.js
warns `SESSION_WARNING_SECONDS` before the end in a banner whose button posts here (CSRF-protected, like
every post). A poll never counts as activity (coordination.middleware); this post does, on purpose."""

import time

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from coordination.middleware import IdleTimeoutMiddleware, idle_remaining


@require_POST
def keep_alive(request):
    request.session[IdleTimeoutMiddleware.KEY] = int(time.time())
    return JsonResponse({"remaining": settings.SESSION_IDLE_SECONDS})


def session_timeout(request):
    """For the page header: the seconds left before the idle timeout, and when to warn (logged in only)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    remaining = idle_remaining(request)
    return {
        "session_remaining": settings.SESSION_IDLE_SECONDS if remaining is None else remaining,
        "session_warning": settings.SESSION_WARNING_SECONDS,
        "session_idle": settings.SESSION_IDLE_SECONDS,
    }
