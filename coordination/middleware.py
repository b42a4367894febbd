import time
from urllib.parse import quote

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.urls import reverse


def is_poll(request) -> bool:
    """A page refreshing itself (the board's and the inbox badge's htmx polls), not a person acting."""
    return bool(request.headers.get("X-Poll"))


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every URL needs a login (CONTRACTS.md); an htmx request is told to redirect the whole page.

    A post without a login (the session ended mid-form, issue 14) never sends the login page back to the
    POST-only URL (a GET there is a blank 405): it returns to the page the form was on, the admission page
    for anything under /admissions/<pk>/, else the board. What an admission's action form held is kept for
    the person who typed it (coordination.drafts) and shown there again after logging in."""

    def handle_no_permission(self, request, view_func):
        next_path = request.path
        if request.method == "POST":
            next_path = self._page_of_post(request)
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            # The path quoted: a raw one may carry CR/LF (`/indbakke/1/%0d%0aX/`), never allowed in a header.
            next_ = quote(next_path, safe="/")
            response["HX-Redirect"] = f"{resolve_url(self.get_login_url(view_func))}?next={next_}"
            return response
        if request.method == "POST":
            return redirect_to_login(next_path, resolve_url(self.get_login_url(view_func)))
        return super().handle_no_permission(request, view_func)

    @staticmethod
    def _page_of_post(request) -> str:
        from coordination import drafts

        match = getattr(request, "resolver_match", None)
        pk = match.kwargs.get("pk") if match is not None else None
        if not isinstance(pk, int):
            return reverse("board")
        if match.url_name == "admission_action":
            drafts.keep(request, pk, match.kwargs.get("name", ""))
        return reverse("admission", args=[pk])


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
                # Logged out, then answered as anyone without a login: LoginRequiredMiddleware sends a page
                # to the login (a post back to its page, keeping a form's text), and the views that need no
                # login (the language switch, the login page) still work.
                logout(request)
            elif not is_poll(request) and (last is None or now - last >= 60):
                request.session[self.KEY] = now
        return self.get_response(request)


def idle_remaining(request) -> int | None:
    """Seconds until the idle timeout logs this session out (None: not logged in, or never active yet)."""
    from django.conf import settings

    last = request.session.get(IdleTimeoutMiddleware.KEY) if hasattr(request, "session") else None
    if last is None:
        return None
    return max(0, settings.SESSION_IDLE_SECONDS - (int(time.time()) - last))


class BoardPollMiddleware:
    """The board's unchanged poll answered before the rest of the stack (issue 15): every open board asks
    every 30 seconds, and nearly always nothing changed. From the session alone (the logged-in user, the
    board's places, the last activity) and the board-state cache (coordination/board_state.py): 204, no
    body. Anything else (a changed board, an idle or ended session, a first poll) goes on to the board view,
    which checks the login and renders. A 204 shows nothing, so nothing is written to the access log. Any
    other look (a GET) reads the board-state generations it needs once, with the session's board places
    (`board_state.read_once`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and "v" in request.GET and is_poll(request) and self._board(request):
            from django.conf import settings
            from django.utils.cache import add_never_cache_headers, patch_vary_headers

            from coordination import board_state
            from coordination.board import query_string

            last = request.session.get(IdleTimeoutMiddleware.KEY)
            now = time.time()
            active = last is not None and now - last <= settings.SESSION_IDLE_SECONDS
            if active and board_state.poll_unchanged(request, query_string(request.GET), now):
                response = HttpResponse(status=204)
                add_never_cache_headers(response)
                patch_vary_headers(response, ["Cookie"])
                return response
        if request.method in ("GET", "HEAD"):  # a look: the board-state generations read once
            from coordination import board_state

            with board_state.read_once(request.session.get(board_state.SESSION_KEY) or []):
                return self.get_response(request)
        return self.get_response(request)

    @staticmethod
    def _board(request) -> bool:
        return request.path_info == reverse("board") and request.headers.get("HX-Request") == "true"


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
