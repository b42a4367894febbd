"""What each row of the board shows (issue 15): the `Row` made from an admission read by the board's query
(coordination/board.py), and its cells, the plain values the row's template reads and the row's kept
fragment is keyed on (coordination/board_fragments.py)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from django.utils import timezone

from coordination import presentation as show
from coordination.models import Admission, BoardVisit, Obligation

OWNER_NAMES = dict(Obligation._meta.get_field("owner").flatchoices)


@dataclass
class Row:
    admission: Admission
    age: int
    masked_cpr: str
    stay: str
    next: Obligation | None
    next_label: str
    countdown: str
    overdue: bool
    due_today: bool
    pfp: show.PfpState
    mof: show.MofState
    usr_sent_at: datetime | None
    usr_due: Obligation | None
    unread: list
    marked_unread: bool
    plejebolig: bool
    coordination: bool
    forloebskoordination: bool
    mark: str  # "" | "new" | "changed"
    # Sundhedsloven § 41: USR sections the citizen declined to share; the relatives may not be contacted.
    sharing_limited: bool = False
    relatives_not_allowed: bool = False
    # Everything the row's template shows, as plain values (`cells`), and the row rendered from them
    # (coordination/board_fragments.py fills `html`).
    cells: dict = field(default_factory=dict)
    html: str = ""


def make_row(a: Admission, side: str, visit: BoardVisit, now, today) -> Row:
    facts = show.citizen_facts(a.citizen, today)
    sharing = a.sharing  # the stored fact on the row: no query
    nxt = a.open_obligations[0] if a.open_obligations else None
    baseline = a.seen_at or visit.shift_since
    reached = a.reached_board_at or a.admitted_at
    if a.seen_at is None and visit.shift_since and reached > visit.shift_since:
        mark = "new"
    elif a.last_other_at and baseline and a.last_other_at > baseline:
        mark = "changed"
    else:
        mark = ""
    row = Row(
        admission=a,
        age=facts["age"],
        masked_cpr=facts["masked_cpr"],
        stay=show.length_of_stay(a.admitted_at, now),
        next=nxt,
        next_label=show.obligation_label(nxt) if nxt else "",
        countdown=show.countdown(nxt.due_at, now) if nxt else "",
        overdue=bool(nxt and nxt.due_at and nxt.due_at < now),
        due_today=bool(nxt and nxt.due_at and nxt.due_at >= now and timezone.localdate(nxt.due_at) == today),
        pfp=show.pfp_state(a, a.open_obligations),
        mof=show.mof_state(a.mof, today),
        usr_sent_at=a.usr_sent_at,
        usr_due=next((o for o in a.open_obligations if o.rule == "R-USR"), None),
        unread=a.unread_codes(side),
        marked_unread=a.marked_unread,
        plejebolig=a.goes_to_plejebolig,
        coordination=a.coordination_requested,
        forloebskoordination=a.granted,
        mark=mark,
        sharing_limited=bool(sharing and sharing.declined),
        relatives_not_allowed=bool(sharing and not sharing.relatives_allowed),
    )
    row.cells = _cells(row, a)
    return row


def _cells(row: Row, a: Admission) -> dict:
    """The row's template's values, all plain (str, int, bool, dates, lists and dataclasses of them, texts
    already in the reader's language): the row's fragment is kept under their fingerprint, so a value shown
    that is not here could be shown stale. The template (`_board_row.html`) reads nothing else (the
    admission's URL it makes from the pk)."""
    nxt = row.next
    citizen = a.citizen_facts
    return {
        "pk": a.pk,
        "name": a.citizen.name,
        "mark": row.mark,
        "overdue": row.overdue,
        "due_today": row.due_today,
        "discharged": bool(a.discharge_registered_at),
        "masked_cpr": row.masked_cpr,
        "age": row.age,
        "municipality": a.municipality.name,
        "hospital": a.ward.hospital.name,
        "ward": a.ward.name,
        "admitted_at": a.admitted_at,
        "stay": str(row.stay),
        "admitted_via_id": a.admitted_via_id,
        "admitted_via": a.admitted_via,
        "admitted_via_sender": a.admitted_via_sender,
        "admitted_by": a.admitted_by,
        "admitted_by_shown": bool(a.admitted_by and a.admitted_by.strip()),
        "admitted_by_unit": a.admitted_by_unit,
        "expected_faerdigbehandlet_on": a.expected_faerdigbehandlet_on,
        "faerdigbehandlet_date_certain": a.faerdigbehandlet_date_certain,
        "faerdigbehandlet_on": a.faerdigbehandlet_on,
        "agreed_discharge_at": a.agreed_discharge_at,
        "left_at": a.left_at,
        "pfp": row.pfp,
        "mof": replace(row.mof, waiting_for=[str(w) for w in row.mof.waiting_for]),
        "usr_sent_at": row.usr_sent_at,
        "usr_due": row.usr_due is not None,
        "usr_due_at": row.usr_due.due_at if row.usr_due else None,
        "next": nxt is not None,
        "next_owner": nxt.owner if nxt else "",
        "next_owner_name": str(OWNER_NAMES.get(nxt.owner, nxt.owner)) if nxt else "",
        "next_label": str(row.next_label),
        "next_rule": nxt.rule if nxt else "",
        "next_due_at": nxt.due_at if nxt else None,
        "countdown": str(row.countdown),
        "plejebolig": row.plejebolig,
        "forloebskoordination": row.forloebskoordination,
        "terminal": bool(citizen and citizen.terminal),
        "coordination": row.coordination,
        "sharing_limited": row.sharing_limited,
        "relatives_not_allowed": row.relatives_not_allowed,
        "unread": [str(code) for code in row.unread],
        "marked_unread": row.marked_unread,
    }
