import time
from urllib.parse import quote

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpResponse
from django.shortcuts import resolve_url


def is_poll(request) -> bool:
    """A page refreshing itself (the board's and the inbox badge's htmx polls), not a person acting."""
    return bool(request.headers.get("X-Poll"))


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every URL needs a login (CONTRACTS.md); an htmx request is told to redirect the whole page."""

    def handle_no_permission(self, request, view_func):
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            # The path quoted: a raw one may carry CR/LF (`/indbakke/1/%0d%0aX/`), never allowed in a header.
            next_ = quote(request.path, safe="/")
            response["HX-Redirect"] = f"{resolve_url(self.get_login_url(view_func))}?next={next_}"
            return response
        return super().handle_no_permission(request, view_func)


class IdleTimeoutMiddleware:
    """A session ends after a shift without activity (settings.SESSION_IDLE_SECONDS, default 8 hours).

    Polling is not activity: a board left open on a shared ward computer refreshes itself every 30 seconds,
    and must still log out at the end of the shift. Requests that carry the `X-Poll` header (the board's and
    the inbox badge's polls) neither renew the session nor write to it; other requests note the time, at
    most once a minute, so ordinary use costs no extra database write per request."""

    KEY = "last_activity"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.contrib.auth import logout

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(self.KEY)
            if last is not None and now - last > settings.SESSION_IDLE_SECONDS:
                logout(request)
                return LoginRequiredMiddleware(self.get_response).handle_no_permission(request, None)
            if not is_poll(request) and (last is None or now - last >= 60):
                request.session[self.KEY] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing a logged-in person is shown is kept in the browser's cache (issue 11): shared ward computers
    would otherwise keep the board, admissions, the inbox, the waiting list and every fragment on disk."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.cache import add_never_cache_headers, patch_vary_headers

        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
            patch_vary_headers(response, ["Cookie"])
        return response
