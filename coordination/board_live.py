"""The live part of a user's board (the counts, the handover line and the rows), kept while nothing on it
changed, and refreshed row by row when something did (issue 15: a board is reloaded and polled all day,
and nearly always shows what it showed; a hospital's board has 2,000 rows, and one changed).

What a row shows is worked out by `coordination/board.py` and rendered through
`coordination/board_fragments.py`. This module keeps, in the `board-live` cache (the process's memory: it
holds citizens' names):
- the board as shown, under the user, the filters, the board's state digest (`coordination/board_state.py`),
  the shift's baseline and the language, until the clock next changes a row: shown again without a query
  of its rows;
- the last board shown for the same user, filters, baseline and language, whatever its state, with each
  row's stamp (what changes it apart from the clock) and the moment the clock next changes that row. After
  a change, only the rows whose stamp moved, the new rows and the rows the clock turned are read again;
  the others are shown as they were. Everything is read again when the names or the user's own state
  changed (their `all` and `user` generations), and at least every `FULL_EVERY`.
Each showing is written to the access log like the first."""

from __future__ import annotations

import hashlib
from datetime import datetime, time, timedelta

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from coordination import board as selection
from coordination import board_fragments, board_state
from coordination.access import record_citizens_shown
from coordination.forms import BoardFilterForm, NewAdmissionForm
from coordination.middleware import is_poll

CACHE = "board-live"
# However little changed, a board is read whole at least this often: a row changed by a path that does
# not save its admission is shown at the latest then.
FULL_EVERY = timedelta(minutes=15)
_DAY = 24 * 3600


def live(request, staff, filters: dict, query: str, now) -> dict:
    """The values `coordination/board.html` shows of the board: the live part, the poll token, and the
    filter form's fields."""
    user = request.user
    visit = selection.visit(user, now, record=not is_poll(request))
    kept_places = request.session.get(board_state.SESSION_KEY)
    places = kept_places or board_state.board_places(user, staff, [])
    # Read before the rows: a change from here on is newer than the token, so the next poll shows it.
    state = board_state.digest(user.pk, places, query)
    store = caches[CACHE]
    kept = store.get(_key(user, query, state, visit)) if state else None
    if kept is not None and kept["at"] <= now.timestamp() < kept["turns"]:
        record_citizens_shown(request, kept["shown"])
        return {**kept, "visit": visit}

    own = board_state.generations(["all", f"user:{user.pk}"])
    on_board = selection.board_admissions(user, staff)
    everything = selection.unfiltered(filters)
    shown = selection.filtered(on_board, filters, staff, now)
    last = store.get(_key(user, query, None, visit))
    if (
        last is None
        or own is None
        or last["own"] != own
        or not last["full_at"] <= now.timestamp() < (last["full_at"] + FULL_EVERY.total_seconds())
    ):
        rows = _read(request, shown, staff, now, visit)
        full_at = now.timestamp()
    else:
        rows = _refresh(request, shown, staff, now, visit, last["rows"], filters, query)
        full_at = last["full_at"]
    record_citizens_shown(request, [(r["citizen_id"], r["pk"]) for r in rows])

    now_places = board_state.board_places(user, staff, [_Place(r) for r in rows])
    if now_places != kept_places:
        request.session[board_state.SESSION_KEY] = now_places
    if now_places != places:
        state = board_state.digest(user.pk, now_places, query)
    options = _places(rows) if everything else selection.places(on_board)
    turns = board_state.turns_at(now.timestamp(), [m for r in rows for m in r["moments"]])
    filter_fields = _filter_fields(request, options, last)
    result = {
        "rows_html": mark_safe("\n".join(r["html"] for r in rows)),  # noqa: S308 - our rendered rows
        "shown_count": len(rows),
        "counts": _counts(rows, now) if everything else selection.counts(on_board, now),
        "new_since": sum(1 for r in rows if r["mark"] == "new"),
        "changed_since": sum(1 for r in rows if r["mark"] == "changed"),
        "filter_fields": filter_fields,
        "shown": [(r["citizen_id"], r["pk"]) for r in rows],
        "token": board_state.token(turns, state),
        # The kept page's key (coordination/board_page.py); None: nothing is kept, the page is rendered.
        "page_key": _key(user, query, state, visit) if state else None,
        # The page around the live part, kept across the board's changes: the user with their names and
        # organisation (their generations), the filters with their places, the language.
        "page_around": hashlib.sha256(
            f"{user.pk}|{query}|{own}|{board_fragments.rows_prefix()}|{filter_fields}".encode()
        ).hexdigest(),
        "turns": turns,
        "at": now.timestamp(),
    }
    if state:
        store.set(_key(user, query, state, visit), result, timeout=max(1, int(turns - now.timestamp())))
    if own is not None:
        last = {
            "rows": rows,
            "own": own,
            "full_at": full_at,
            "options": options,
            "filter_fields": filter_fields,
        }
        store.set(_key(user, query, None, visit), last, timeout=int(FULL_EVERY.total_seconds()))
    return {**result, "visit": visit}


def _filter_fields(request, options: list[dict], last: dict | None) -> str:
    """The filter form's fields with their places (their choices): as the last board showed them while
    the places are the same (the filters and the language are in its key), else rendered."""
    if last is not None and last.get("options") == options:
        return last["filter_fields"]
    form = BoardFilterForm(request.GET or None, options=options)
    return render_to_string("coordination/_board_filter_fields.html", {"filter_form": form})


def _read(request, shown, staff, now, visit, *, stamped=None) -> list[dict]:
    """The rows of these admissions read and rendered (from the row cache where a row is unchanged)."""
    admissions = selection.read_admissions(shown, request.user, now, stamped=stamped)
    rows = selection.make_rows(admissions, staff, visit, now)
    board_fragments.render_rows(rows)
    return [_record(row, (stamped or {}).get(row.admission.pk) or _stamp(row.admission), now) for row in rows]


def _stamp(a) -> tuple:
    """`board.stamps`' stamp of an admission read whole (the same annotations)."""
    return (a.pk, a.changed_at, a.seen_at, a.marked_unread, a.granted)


def _refresh(request, shown, staff, now, visit, last_rows: list[dict], filters, query) -> list[dict]:
    """The board in its order now, reading again only the rows that changed or that the clock turned."""
    stamps = selection.stamps(shown, request.user, filters, query)
    known = {r["pk"]: r for r in last_rows}
    now_ts = now.timestamp()
    stale = [
        s[0]
        for s in stamps
        if s[0] not in known or known[s[0]]["stamp"] != s or known[s[0]]["turns"] <= now_ts
    ]
    fresh = {}
    if stale:
        stamped = {s[0]: s for s in stamps}
        fresh = {
            r["pk"]: r for r in _read(request, shown.filter(pk__in=stale), staff, now, visit, stamped=stamped)
        }
    # A row read again may have left the board in between (then it is not in `fresh`): it is left out.
    return [fresh[s[0]] if s[0] in fresh else known[s[0]] for s in stamps if s[0] in fresh or s[0] in known]


def _record(row, stamp, now) -> dict:
    """What the board keeps of a row: its HTML, its stamp, what the counts and the places need, and when
    the clock next changes it."""
    a = row.admission
    return {
        "pk": a.pk,
        "citizen_id": a.citizen_id,
        "ward_id": a.ward_id,
        "municipality_id": a.municipality_id,
        "place": (a.ward_id, a.ward.name, a.ward.hospital_id, a.ward.hospital.name, a.municipality_id),
        "municipality_name": a.municipality.name,
        "stamp": stamp,
        "html": row.html,
        "mark": row.mark,
        "overdue_hospital": a.overdue_hospital,
        "overdue_municipality": a.overdue_municipality,
        "waiting": a.faerdigbehandlet_on is not None and a.left_at is None,
        "discharge_at": None if a.left_at else (a.agreed_discharge_at or a.planned_discharge_at),
        "moments": _moments(a),
        "turns": _row_turns(row, a, now),
    }


def _moments(a) -> list[float]:
    """When the clock alone changes the board's state: each open obligation falling due, each
    re-evaluation."""
    moments = [o.due_at.timestamp() for o in a.open_obligations if o.due_at]
    return moments + ([a.reevaluate_at.timestamp()] if a.reevaluate_at else [])


def _row_turns(row, a, now) -> float:
    """The first moment the clock alone changes what this row shows: a due passing, a re-evaluation, the
    next midnight ("i dag", days waiting), the next hour of the stay, and the countdown's next step (its
    minutes by the clock bucket, as the poll shows them; its hours on the hour)."""
    now_ts = now.timestamp()
    midnight = datetime.combine(timezone.localdate(now) + timedelta(days=1), time.min)
    moments = [*_moments(a), timezone.make_aware(midnight).timestamp()]
    stayed = now_ts - a.admitted_at.timestamp()
    moments.append(a.admitted_at.timestamp() + (stayed // 3600 + 1) * 3600)
    if row.next is not None and row.next.due_at is not None:
        due = row.next.due_at.timestamp()
        if abs(due - now_ts) < _DAY:
            moments.append(
                (now_ts // board_state.CLOCK_BUCKET_SECONDS + 1) * board_state.CLOCK_BUCKET_SECONDS
            )
        else:  # "om 2 døgn 3 t": the hours step at the due's own minute
            moments.append(now_ts + (abs(due - now_ts) % 3600 or 3600))
    return min(m for m in moments if m > now_ts)


class _Place:
    """A kept row as `board_state.board_places` reads an admission."""

    def __init__(self, row: dict):
        self.pk, self.ward_id, self.municipality_id = row["pk"], row["ward_id"], row["municipality_id"]


def _places(rows) -> list[dict]:
    """`board.places` of the whole board from its kept rows, without a query."""
    seen = {}
    for r in rows:
        seen.setdefault(r["place"], r["municipality_name"])
    return [dict(zip(selection._PLACE_FIELDS, (*place, name), strict=True)) for place, name in seen.items()]


def _counts(rows, now) -> dict:
    """`board.counts` of the whole board from its kept rows, without a query."""
    start, end = selection._day_bounds(0, now)
    return {
        "active": len(rows),
        "overdue_hospital": sum(1 for r in rows if r["overdue_hospital"]),
        "overdue_municipality": sum(1 for r in rows if r["overdue_municipality"]),
        "waiting": sum(1 for r in rows if r["waiting"]),
        "discharges_today": sum(1 for r in rows if r["discharge_at"] and start <= r["discharge_at"] < end),
    }


def _key(user, query: str, state: str | None, visit) -> str:
    """A kept board's key (`state` None: the last board shown, whatever its state)."""
    shift = visit.shift_since.isoformat() if visit.shift_since else ""
    where = board_fragments.rows_prefix()  # the language, the time zone, the templates, the URLs
    raw = f"{user.pk}|{query}|{state}|{shift}|{where}"
    return "board-live:" + hashlib.sha256(raw.encode()).hexdigest()


def new_admission_fields(staff, now) -> str | None:
    """The board's empty "Ny indlæggelse" form's fields (98 municipalities and the user's wards), rendered
    once a minute per ward or hospital and language (its time says the minute; the `all` generation moves
    when a place is renamed). None: the cache cannot say, render them."""
    names = board_state.generations(["all"])
    if names is None:
        return None
    minute = timezone.localtime(now).strftime("%Y-%m-%d %H:%M")
    raw = f"{staff.ward_id}|{staff.hospital_id}|{minute}|{names[0]}|{board_fragments.rows_prefix()}"
    key = "board-new:" + hashlib.sha256(raw.encode()).hexdigest()
    fields = caches[board_fragments.CACHE].get(key)  # with the rendered rows: fragments of HTML
    if fields is None:
        form = NewAdmissionForm(staff=staff)
        fields = render_to_string("coordination/_new_admission_fields.html", {"new_form": form})
        caches[board_fragments.CACHE].set(key, fields, timeout=60)
    return mark_safe(fields)  # noqa: S308 - our own template's output
