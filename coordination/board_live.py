"""The live part of a user's board (the counts, the handover line and the rows), kept while nothing on it
changed (issue 15: a board is reloaded and polled all day, and nearly always shows what it showed).

What it shows is worked out by `coordination/board.py` and rendered row by row through
`coordination/board_fragments.py`; this module keeps the result in the `board-live` cache (the process's
memory: it holds citizens' names) under the user, the filters, the board's state digest
(`coordination/board_state.py`: nothing on it changed), the shift's baseline, the language and the time
zone, until the clock next changes a row. A kept board is shown again without reading its rows, and each
showing is written to the access log like the first."""

from __future__ import annotations

import hashlib

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from coordination import board as selection
from coordination import board_fragments, board_state
from coordination.access import record_citizens_shown
from coordination.forms import BoardFilterForm
from coordination.middleware import is_poll

CACHE = "board-live"


def live(request, staff, filters: dict, query: str, now) -> dict:
    """The values `coordination/board.html` shows of the board: the live part, the poll token, and the
    filter form's fields."""
    user = request.user
    visit = selection.visit(user, now, record=not is_poll(request))
    kept_places = request.session.get(board_state.SESSION_KEY)
    places = kept_places or board_state.board_places(user, staff, [])
    # Read before the rows: a change from here on is newer than the token, so the next poll shows it.
    state = board_state.digest(user.pk, places, query)
    kept = caches[CACHE].get(_key(user, query, state, visit)) if state else None
    if kept is not None and kept["at"] <= now.timestamp() < kept["turns"]:
        record_citizens_shown(request, kept["shown"])
        return {**kept, "visit": visit}

    on_board = selection.board_admissions(user, staff)
    everything = selection.unfiltered(filters)
    rows = selection.board_rows(
        request, selection.filtered(on_board, filters, staff, now), staff, now, visit, everything=everything
    )
    board_fragments.render_rows(rows["rows"])
    admissions = [row.admission for row in rows["rows"]]
    now_places = board_state.board_places(user, staff, admissions)
    if now_places != kept_places:
        request.session[board_state.SESSION_KEY] = now_places
    if now_places != places:
        state = board_state.digest(user.pk, now_places, query)
    options = selection.places_of(rows["rows"]) if everything else selection.places(on_board)
    turns = board_state.turns_at(now.timestamp(), _clock_moments(admissions))
    result = {
        "rows_html": mark_safe("\n".join(row.html for row in rows["rows"])),  # noqa: S308 - rendered rows
        "shown_count": len(admissions),
        "counts": rows["counts"],
        "new_since": rows["new_since"],
        "changed_since": rows["changed_since"],
        # The filter form's fields with their places (their choices), rendered once with the rows.
        "filter_fields": render_to_string(
            "coordination/_board_filter_fields.html",
            {"filter_form": BoardFilterForm(request.GET or None, options=options)},
        ),
        "shown": [(a.citizen_id, a.pk) for a in admissions],
        "token": board_state.token(turns, state),
        "turns": turns,
        "at": now.timestamp(),
    }
    if state:
        timeout = max(1, int(turns - now.timestamp()))
        caches[CACHE].set(_key(user, query, state, visit), result, timeout=timeout)
    return {**result, "visit": visit, "rows": rows["rows"]}


def _clock_moments(admissions) -> list[float]:
    """When the clock alone changes a row: each open obligation falling due, each re-evaluation."""
    moments = [o.due_at.timestamp() for a in admissions for o in a.open_obligations if o.due_at]
    return moments + [a.reevaluate_at.timestamp() for a in admissions if a.reevaluate_at]


def _key(user, query: str, state: str | None, visit) -> str:
    shift = visit.shift_since.isoformat() if visit.shift_since else ""
    where = board_fragments.rows_prefix()  # the language, the time zone, the templates, the URLs
    raw = f"{user.pk}|{query}|{state}|{shift}|{where}"
    return "board-live:" + hashlib.sha256(raw.encode()).hexdigest()
