"""The board's whole page, kept while its board is kept (issue 15: a board reloaded or opened again shows
what it showed; rendering the page around its rows took more time than everything else of the request).

The page is rendered once with a placeholder where each request shows something of its own: the CSRF
token, the seconds left of the session, the inbox badge (its unread count read at every request) and the
time shown ("opdateret 09:12", "Udskrevet …"). It is kept in the `board-live` cache (process memory: it
holds citizens' names) under the kept board's key (coordination/board_live.py: the user, the filters, the
board's state, the shift, the language), the path, the permissions' generation and, for a hospital's
"Ny indlæggelse" form, the minute; it expires when the kept board does. Every request fills in its own
values, so nothing of one request is shown to another. The access log is written by `board_live` at every
showing, kept or not.

When the board changed, only its live part (counts, handover line, rows) is rendered: the page around it
(header, filter form, "Ny indlæggelse") is kept across the board's changes, under the user with their
generations, the filters with their places and the language (`page_around`), with a placeholder where the
live part goes."""

from __future__ import annotations

import hashlib
import re
import secrets

from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.html import conditional_escape

from coordination import board_state
from coordination.board_live import CACHE
from coordination.views.session import session_timeout

# Letters and digits only: the placeholders pass HTML escaping (and `{% csrf_token %}`) unchanged, and a
# fresh random part per process means no citizen's name can contain one.
_NONCE = secrets.token_hex(8)
HOLES = ("csrf_token", "session_remaining", "inbox_badge", "printed_at", "updated_at")
# Where the page kept around a board's rows takes its live part (filled once, when the page is kept).
_PLACEHOLDER = {name: f"hole{_NONCE}{name.replace('_', '')}" for name in (*HOLES, "live_hole")}
_HOLE = re.compile("(" + "|".join(_PLACEHOLDER.values()) + ")")
# The page around a board's live part, kept across the board's changes: the header, the filter form,
# "Ny indlæggelse" (its key names them: coordination/board_live.py's `page_around`).
AROUND_SECONDS = 15 * 60


def render_board(request, template: str, context: dict):
    """The board page: from the kept page with this request's values filled in, or rendered and kept.
    After a change of the board only its live part is rendered, into the page kept around it."""
    now = context["now"]
    local = timezone.localtime(now)
    times = {
        "printed_at": formats.date_format(local, "DATETIME_FORMAT"),
        "updated_at": formats.time_format(local, "TIME_FORMAT"),
    }
    live_key = context.get("page_key")
    if request.htmx or live_key is None:  # a fragment: no header, nothing around the rows
        return render(request, template, {**context, **times})
    permissions = board_state.generations(["permissions"])  # the header's links follow them
    if permissions is None:
        return render(request, template, {**context, **times})
    minute = timezone.localtime(now).strftime("%H:%M") if context.get("new_form") else ""
    where = f"{request.get_full_path()}|{permissions[0]}|{minute}"
    store = caches[CACHE]

    def whole() -> list[bytes]:  # the page around the rows, kept across changes, with this live part
        around = _kept(
            store,
            f"board-page-around:{context['page_around']}|{where}",
            now,
            now.timestamp() + AROUND_SECONDS,
            lambda: _cut(render_to_string(template, {**context, **_PLACEHOLDER}, request)),
        )
        live = _cut(render_to_string(f"{template}#live", {**context, **_PLACEHOLDER}, request))
        return _spliced(around, live)

    parts = _kept(store, f"board-page:{live_key}|{where}", now, context["turns"], whole)
    return HttpResponse(_filled(parts, {**_own_values(request), **times}))


def _cut(html: str) -> list[bytes]:
    """Cut at the placeholders once: each look joins the parts with its own values in one pass. As sent:
    not encoded again at every look."""
    return [part.encode() for part in _HOLE.split(html)]


def _spliced(around: list[bytes], live: list[bytes]) -> list[bytes]:
    """The parts of the page around the rows with the live part's parts in its hole (text and
    placeholders still alternate)."""
    hole = around.index(_PLACEHOLDER["live_hole"].encode())
    before, after = around[hole - 1], around[hole + 1]
    if len(live) == 1:  # no placeholder in it
        middle = [before + live[0] + after]
    else:
        middle = [before + live[0], *live[1:-1], live[-1] + after]
    return [*around[: hole - 1], *middle, *around[hole + 2 :]]


def _kept(store, name: str, now, turns: float, parts) -> list[bytes]:
    """Page parts cut at the placeholders (`parts()`), kept until `turns`."""
    key = "board-page:" + hashlib.sha256(name.encode()).hexdigest()
    kept = store.get(key)
    if kept is None or not kept["at"] <= now.timestamp() < kept["turns"]:
        kept = {"parts": parts(), "at": now.timestamp(), "turns": turns}
        store.set(key, kept, timeout=max(1, int(turns - now.timestamp())))
    return kept["parts"]


def _filled(parts: list[bytes], values: dict) -> bytes:
    """The page from its parts: the text between the placeholders, and each placeholder's name (odd
    places, as `re.split` gives them) filled with this request's value."""
    shown = {_PLACEHOLDER[name].encode(): str(conditional_escape(values[name])).encode() for name in HOLES}
    return b"".join(shown[part] if i % 2 else part for i, part in enumerate(parts))


def _own_values(request) -> dict:
    """What this request shows of its own in the header, as the context processors give it."""
    from coordination.context_processors import inbox

    unread = inbox(request)["inbox_unread"]()
    return {
        "csrf_token": get_token(request),
        "session_remaining": session_timeout(request)["session_remaining"],
        "inbox_badge": render_to_string("coordination/inbox_badge.html", {"unread_count": unread}),
    }
