"""The board's selection: which admissions a user's board shows with its filters, in which order, the
state token its polls compare, and the rows, marks and counts it renders. Queries only; the view
(`coordination/views/board.py`) renders. A constant number of queries whatever the number of rows (see
tests/test_views_board.py): the rows with their citizen, ward, hospital, municipality and where the
admission came from (its stored admitted event and notice) in one query with the per-user marks as
subqueries, then one prefetch of the open obligations (when the USR was sent, the last change by others and
the newest færdigbehandling are the engine's stored facts); the counts over the rows read when no filter
narrows the board, else one aggregate query."""

from __future__ import annotations

import functools
import hashlib
import re
from datetime import UTC, datetime, time, timedelta

from django.db import connections, router
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone

from coordination import board_state
from coordination.board_cells import make_row
from coordination.forms import BoardFilterForm
from coordination.models import (
    Admission,
    AdmissionGroupObjectPermission,
    AdmissionSeen,
    AdmissionUserObjectPermission,
    BoardVisit,
    Municipality,
    Obligation,
    UnreadMark,
    Ward,
)

# A visit after this long a pause starts a new shift: "new since" then counts from the previous visit.
SHIFT_PAUSE = timedelta(hours=4)
# A visit is noted to the minute: a board reloaded within it costs no write.
VISIT_PRECISION = timedelta(minutes=1)


# --- Filters --------------------------------------------------------------------------------------------


def parse_filters(get) -> dict:
    """The URL's filters through BoardFilterForm, read leniently: an unknown value is ignored rather than
    refused (a stale bookmark still opens the board)."""
    return dict(_parse_filters(query_string(get)))


@functools.lru_cache(maxsize=512)
def _parse_filters(query: str) -> dict:
    # Kept by the query string: a board is asked for with the same few filters all day (issue 15).
    values = BoardFilterForm(QueryDict(query), options=None).values()
    return {
        "scope": values.get("scope") or "all",
        "hospital": values.get("hospital"),
        "municipality": values.get("municipality"),
        "ward": values.get("ward"),
        "overdue": bool(values.get("overdue")),
        "owner": values.get("owner") or "",
        "waiting": bool(values.get("waiting")),
        "discharge": values.get("discharge") or "",
        "q": (values.get("q") or "").strip(),
        "sort": values.get("sort") or "due",
    }


def query_string(get) -> str:
    keep = get.copy()
    keep.pop("v", None)
    return keep.urlencode()


def _day_bounds(day_offset: int, now: datetime) -> tuple[datetime, datetime]:
    day = timezone.localtime(now).date() + timedelta(days=day_offset)
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _overdue(now, owner=None):
    obligations = Obligation.objects.filter(admission=OuterRef("pk"), status="open", due_at__lt=now)
    return Exists(obligations.filter(owner=owner) if owner else obligations)


def on_board(admissions, side: str):
    """Every admission not yet discharged, and a discharged one while `side` still has an open obligation
    on it that can be met (issue 14: the engine's store says so, `owed_by_*`; no rule is judged here)."""
    owed = {"hospital": "owed_by_hospital", "municipality": "owed_by_municipality"}[side]
    return admissions.filter(Q(discharge_registered_at__isnull=True) | Q(**{owed: True}))


def board_admissions(user, staff):
    """The admissions the user's board may show: visible to the user and on the board of the user's side."""
    side = staff.side if staff is not None else "hospital"
    return on_board(Admission.objects.visible_to(user), side)


def filtered(admissions, f: dict, staff, now):
    if f["scope"] == "mine":
        admissions = admissions.filter(staff.own_admissions() if staff is not None else Q(pk__in=[]))
    for name, lookup in (
        ("hospital", "ward__hospital_id"),
        ("municipality", "municipality_id"),
        ("ward", "ward_id"),
    ):
        if f[name] is not None:
            admissions = admissions.filter(**{lookup: f[name]})
    if f["overdue"] or f["owner"]:
        admissions = admissions.filter(_overdue(now, f["owner"] or None))
    if f["waiting"]:
        admissions = admissions.filter(faerdigbehandlet_on__isnull=False, left_at__isnull=True)
    if f["discharge"]:
        start, end = _day_bounds(0 if f["discharge"] == "today" else 1, now)
        admissions = admissions.alias(
            discharge_at=Coalesce("agreed_discharge_at", "planned_discharge_at")
        ).filter(discharge_at__gte=start, discharge_at__lt=end, left_at__isnull=True)
    if f["q"]:
        digits = re.sub(r"\D", "", f["q"])
        match = Q(citizen__name__icontains=f["q"])
        if len(digits) >= 6:
            match |= Q(citizen__cpr__startswith=digits)
        admissions = admissions.filter(match)
    return admissions.order_by(*_order(f["sort"]), "pk")


# The sortable columns (issue 14): the URL's `sort` is a key, "-key" for descending. Ties by admission time.
SORTS = {
    "due": (F("next_due_at"),),
    "name": (F("citizen__name"),),
    "municipality": (F("municipality__name"), F("ward__name")),
    "admitted": (F("admitted_at"),),
    "fb": (Coalesce("faerdigbehandlet_on", "expected_faerdigbehandlet_on"),),
}


def _order(sort: str) -> list:
    descending = sort.startswith("-")
    keys = SORTS.get(sort.lstrip("-"), SORTS["due"])
    order = [k.desc(nulls_last=True) if descending else k.asc(nulls_last=True) for k in keys]
    return [*order, "admitted_at"]


def sort_headers(get, sort: str) -> dict:
    """Each sortable column's link (the same filters, this column's key; a second click reverses it) and
    its aria-sort value."""
    headers = {}
    for key in SORTS:
        keep = get.copy()
        keep.pop("v", None)
        active = sort.lstrip("-") == key
        keep["sort"] = f"-{key}" if sort == key else key
        headers[key] = {
            "url": "?" + keep.urlencode(),
            "aria": ("descending" if sort.startswith("-") else "ascending") if active else "none",
        }
    return headers


def places(admissions) -> list[dict]:
    """The places the admissions lie at, for the filter's choices (BoardFilterForm's `options`)."""
    return list(admissions.order_by().values(*_PLACE_FIELDS).distinct())


_PLACE_FIELDS = (
    "ward_id",
    "ward__name",
    "ward__hospital_id",
    "ward__hospital__name",
    "municipality_id",
    "municipality__name",
)


# --- Rows -----------------------------------------------------------------------------------------------


def reads_clock(f: dict) -> bool:
    """The filters `filtered` turns into a query with the request's time in it (overdue by now, today's
    or tomorrow's discharges): their SQL differs at every request."""
    return bool(f["overdue"] or f["owner"] or f["discharge"])


def unfiltered(f: dict) -> bool:
    """No filter narrows the board: it shows every admission `board_admissions` gives (in any order)."""
    return f["scope"] != "mine" and not any(f[name] for name in f if name not in ("scope", "sort"))


def make_rows(admissions, staff, visit, now) -> list:
    side = staff.side if staff is not None else "hospital"
    today = timezone.localdate(now)
    return [make_row(a, side, visit, now, today) for a in admissions]


def read_admissions(shown, user, now, *, stamped: dict | None = None) -> list[Admission]:
    """The shown admissions with everything their rows show: one query, and a prefetch of the open
    obligations. `stamped`: their stamps (`stamps`) already read by this request, whose
    per-user values are then not read again."""
    admissions = _read(shown, user, per_user=stamped is None)
    for a in admissions:
        if stamped is not None:
            a.seen_at, a.marked_unread, a.granted = stamped[a.pk][2:]
        _came_from(a)
        a.last_other_at = a.last_change_by_others(user.pk)
        # The duties still possible are the row's; the counts (board_live) take every open one overdue, as
        # `counts` asks it. Worked out here from the prefetch: as subqueries of the rows' query, PostgreSQL
        # hashed every open obligation of the region (issue 15: 0.7 s at 100,000 historic admissions).
        a.open_obligations = [o for o in a.all_open if o.possible]
        overdue = {o.owner for o in a.all_open if o.due_at is not None and o.due_at < now}
        a.overdue_hospital, a.overdue_municipality = "hospital" in overdue, "municipality" in overdue
    return admissions


def _came_from(a: Admission) -> None:
    """What the row says of where the admission came from, from its stored admitted event and notice."""
    event, notice = a.admitted_event, a.admitted_notice
    # When it reached the board: its "admitted" event's record time (issue 14).
    a.reached_board_at = event.recorded_at if event is not None else None
    typed_by = event.recorded_by if event is not None else None
    a.admitted_by = f"{typed_by.first_name} {typed_by.last_name}" if typed_by is not None else ""
    a.admitted_by_unit = event.recorded_by_organisation if event is not None else None
    a.admitted_via = notice.event if notice is not None else None
    a.admitted_via_id = notice.message_id if notice is not None else None
    a.admitted_via_sender = notice.sender_name if notice is not None else None


def _read(shown, user, *, per_user: bool) -> list[Admission]:
    admissions = list(
        # Where the admission came from (issue 12): its admitted event, who typed it, the MedCom notice.
        shown.select_related("citizen", "admitted_event__recorded_by", "admitted_notice")
        # The board shows none of them (the notice's body is the whole MedCom message).
        .defer(*_NOT_SHOWN)
        .annotate(**(_per_user(user) if per_user else {}))
        .prefetch_related(
            Prefetch(
                "obligations",
                queryset=Obligation.objects.filter(status="open").order_by(F("due_at").asc(nulls_last=True)),
                to_attr="all_open",
            ),
        )
    )
    wards, municipalities = place_names(
        {a.ward_id for a in admissions}, {a.municipality_id for a in admissions}
    )
    for a in admissions:
        a.ward, a.municipality = wards[a.ward_id], municipalities[a.municipality_id]
    return admissions


_NOT_SHOWN = (
    "warnings",
    "judged_steps",
    "admitted_event__data",
    "admitted_notice__body",
    "admitted_notice__acknowledgement",
    "admitted_notice__episode_of_care",
)
_names: dict = {}


def place_names(ward_ids, municipality_ids) -> tuple[dict, dict]:
    """Every ward (with its hospital) and municipality by id, read once in this process while the `all`
    generation stays (a place renamed or added moves it), rather than joined into the rows' query: planning
    those joins took PostgreSQL longer than running the query (issue 15)."""
    generation = board_state.generations(["all"])
    kept = (
        _names.get("places") if generation is not None and _names.get("generation") == generation[0] else None
    )
    if kept is None or not (set(ward_ids) <= kept[0].keys() and set(municipality_ids) <= kept[1].keys()):
        kept = (
            {w.pk: w for w in Ward.objects.select_related("hospital")},
            {m.pk: m for m in Municipality.objects.all()},
        )
        if generation is not None:
            _names.update(generation=generation[0], places=kept)
    return kept


def _per_user(user) -> dict:
    """What a row shows of this user and of grants, beside the admission's own stored state."""
    return {
        "seen_at": Subquery(
            AdmissionSeen.objects.filter(user=user, admission=OuterRef("pk")).values("seen_at")[:1]
        ),
        "marked_unread": Exists(UnreadMark.objects.filter(user=user, admission=OuterRef("pk"))),
        "granted": Exists(AdmissionUserObjectPermission.objects.filter(content_object=OuterRef("pk")))
        | Exists(AdmissionGroupObjectPermission.objects.filter(content_object=OuterRef("pk"))),
    }


def stamps(shown, user, f: dict, query: str) -> list[tuple]:
    """Each shown admission, in the board's order, with what changes its row apart from the clock: the
    admission's stored state (`changed_at`, set by every save: the engine's store) and the user's marks and
    the grants (coordination/board_live.py re-reads only the rows whose stamp moved). Its SQL is compiled
    once while the user's generations stay, when the filters read no clock (building it cost more than
    running it, at every change of a board: issue 15)."""
    using = router.db_for_read(Admission)

    def compiled() -> tuple[str, tuple]:
        values = shown.annotate(**_per_user(user)).values_list("pk", "changed_at", *_per_user(user))
        sql, params = values.query.get_compiler(using=using).as_sql()
        return sql, tuple(params)

    if reads_clock(f):
        sql, params = compiled()
    else:
        name = "stamps-sql:" + hashlib.sha256(query.encode()).hexdigest()[:16]
        sql, params = board_state.kept_for_user(name, user, compiled)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (pk, _moment(changed), _moment(seen), bool(marked), bool(granted))
            for pk, changed, seen, marked, granted in cursor.fetchall()
        ]


def _moment(value):
    """A time read by a raw cursor as the ORM gives it: aware, in UTC (SQLite's driver gives it naive)."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)  # not utcoffset(): slow


def visit(user, now, *, record: bool = True) -> BoardVisit:
    """The user's visit (read with the user, coordination.auth); `record` notes this look, at most once a
    minute. A poll is the page refreshing itself, not the person looking, so it must not move "new since
    your last visit" forward for a board left open overnight."""
    try:
        seen = user.board_visit
    except BoardVisit.DoesNotExist:
        seen = None
    if not record:
        return seen or BoardVisit(user=user, seen_at=now, shift_since=now)
    if seen is None:
        seen = BoardVisit.objects.create(user=user, seen_at=now, shift_since=now)
        user.board_visit = seen
        return seen
    if now - seen.seen_at < VISIT_PRECISION:
        return seen
    if now - seen.seen_at >= SHIFT_PAUSE:
        seen.shift_since = seen.seen_at
    seen.seen_at = now
    BoardVisit.objects.filter(user=user).update(seen_at=now, shift_since=seen.shift_since)
    return seen


def counts(visible, now) -> dict:
    start, end = _day_bounds(0, now)
    return visible.order_by().aggregate(
        active=Count("pk"),
        overdue_hospital=Count("pk", filter=Q(_overdue(now, "hospital"))),
        overdue_municipality=Count("pk", filter=Q(_overdue(now, "municipality"))),
        waiting=Count("pk", filter=Q(faerdigbehandlet_on__isnull=False, left_at__isnull=True)),
        discharges_today=Count(
            "pk",
            filter=Q(left_at__isnull=True)
            & (
                Q(agreed_discharge_at__gte=start, agreed_discharge_at__lt=end)
                | Q(
                    agreed_discharge_at__isnull=True,
                    planned_discharge_at__gte=start,
                    planned_discharge_at__lt=end,
                )
            ),
        ),
    )
