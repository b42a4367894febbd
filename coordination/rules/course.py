"""One admission's accepted events in timeline order, with the facts the rules ask about.

"After X" means later in the timeline (RULES.md): an entry's `pos` is its place among the accepted events,
so two events at the same time keep their list order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from .calendar import elapsed, instant, local, local_date
from .profiles import profile_at
from .types import CITIZEN_FACTS, LATE, MET, OPEN, OVERDUE, Citizen, Event, Obligation, Profile, Why


@dataclass(frozen=True)
class Entry:
    """An accepted event: `index` in the input list, `pos` among the accepted ones, `ref` for keys."""

    index: int
    pos: int
    ref: str
    event: Event

    @property
    def type(self) -> str:
        return self.event.type

    @property
    def at(self) -> datetime:
        return self.event.at

    def get(self, name: str, default: object = None) -> object:
        return self.event.data.get(name, default)

    def is_message(self, *codes: str) -> bool:
        return self.event.type == "message" and self.event.data.get("code") in codes

    def is_km_from(self, party: str) -> bool:
        return self.is_message("KM") and self.event.data.get("from") == party


Predicate = Callable[[Entry], bool]


class Course:
    """The accepted events of one admission, the citizen's facts as recorded with the admission
    (`admitted_citizen`) and the profile versions."""

    def __init__(
        self, entries: Sequence[Entry], citizen: Citizen, versions: Sequence[Profile], *, _known=None
    ):
        self.entries = tuple(entries)
        self.admitted_citizen = citizen
        self.versions = tuple(versions)
        # The first and the newest entry of each type, and the citizen's facts in force: kept up as the
        # engine adds entry after entry (`with_entry`), so neither is a scan of the whole course (issue 15:
        # judging each event of a long timeline against the course before it was quadratic).
        if _known is None:
            first: dict[str, Entry] = {}
            newest: dict[str, Entry] = {}
            for entry in self.entries:
                first.setdefault(entry.type, entry)
                newest[entry.type] = entry
            _known = (first, newest, _citizen_in_force(citizen, self.entries))
        self._first, self._newest, self.citizen = _known

    def with_entry(self, event: Event, index: int) -> Course:
        ref = str(event.id if event.id is not None else index)
        entry = Entry(index=index, pos=len(self.entries), ref=ref, event=event)
        first = self._first if entry.type in self._first else {**self._first, entry.type: entry}
        known = (first, {**self._newest, entry.type: entry}, _citizen_in_force(self.citizen, (entry,)))
        return Course((*self.entries, entry), self.admitted_citizen, self.versions, _known=known)

    def before(self, entry: Entry) -> Course:
        """The course as it stood just before `entry` (for R-FB-PRECOND's replay)."""
        return Course(self.entries[: entry.pos], self.admitted_citizen, self.versions)

    # --- finding events -------------------------------------------------------------------------------

    def all(self, predicate: Predicate) -> list[Entry]:
        return [e for e in self.entries if predicate(e)]

    def first(self, predicate: Predicate, after: Entry | None = None) -> Entry | None:
        """The first entry matching, later in the timeline than `after` when given."""
        start = after.pos + 1 if after is not None else 0
        return next((e for e in self.entries[start:] if predicate(e)), None)

    def newest(self, predicate: Predicate) -> Entry | None:
        return next((e for e in reversed(self.entries) if predicate(e)), None)

    def first_of(self, event_type: str) -> Entry | None:
        return self._first.get(event_type)

    def newest_of(self, event_type: str) -> Entry | None:
        return self._newest.get(event_type)

    # --- profile ----------------------------------------------------------------------------------------

    def profile_on(self, day: date) -> Profile:
        return profile_at(self.versions, day)

    def profile_for(self, entry: Entry | None) -> Profile:
        """The version in force on the Copenhagen date of the trigger event (the earliest without one)."""
        if entry is None:
            return self.versions[0]
        return profile_at(self.versions, local_date(entry.at))

    # --- facts ------------------------------------------------------------------------------------------

    @property
    def admitted(self) -> Entry | None:
        return self.first_of("admitted")

    @property
    def left(self) -> Entry | None:
        return self.first_of("left_ward")

    @property
    def newest_plan(self) -> Entry | None:
        return self.newest_of("discharge_planned")

    @property
    def newest_agreement(self) -> Entry | None:
        """The newest agreed discharge time: a phone agreement, or a conference that fixed a time."""
        return self.newest(
            lambda e: (
                e.type == "phone_agreement"
                or (e.type == "conference_held" and e.get("discharge_at") is not None)
            )
        )

    def discharge_date(self) -> date | None:
        """The Copenhagen date of the departure; before it, of the newest planned discharge."""
        if self.left is not None:
            return local_date(self.left.at)
        plan = self.newest_plan
        return local_date(plan.get("discharge_at")) if plan is not None else None  # type: ignore[arg-type]

    def over_hours(self, hours: int, now: datetime) -> bool:
        """48 elapsed hours or more from admission to the departure, or to `now` before it."""
        admitted = self.admitted
        if admitted is None:
            return False
        end = self.left.at if self.left is not None else now
        return elapsed(admitted.at, end) >= timedelta(hours=hours)

    def over_48h(self, now: datetime, long_stay_hours: int = 48) -> bool:
        """RULES.md: over 48 hours when said so at admission, or once 48 elapsed hours have passed."""
        admitted = self.admitted
        if admitted is None:
            return False
        return admitted.get("expected_stay") == "over_48h" or self.over_hours(long_stay_hours, now)

    def psyk_applies(self, profile: Profile) -> bool:
        """R-PSYK's condition: a citizen of the social area, not in municipal elderly care (midtjylland)."""
        return profile.psyk_refusals and self.citizen.social_area and not self.citizen.known_in_eoj


def _citizen_in_force(citizen: Citizen, entries: Sequence[Entry]) -> Citizen:
    """The facts the rules read about the citizen (known in EOJ, residence, social area, terminal): those
    recorded with the admission, changed by each `citizen_changed` event in timeline order. A rule judging
    an event reads the facts as they stood then (a refusal by R-FB-TERMINAL, R-PSYK); the duties read them
    as they stand now."""
    for entry in entries:
        if entry.type == "citizen_changed":
            changes = {name: entry.get(name) for name in CITIZEN_FACTS if entry.get(name) is not None}
            citizen = replace(citizen, **changes)
    return citizen


def judge(due: datetime | None, met_at: datetime | None, now: datetime) -> str:
    """RULES.md "How an obligation is judged": met / late / overdue / open (due None: never late)."""
    if met_at is not None:
        return MET if due is None or instant(met_at) <= instant(due) else LATE
    if due is not None and instant(now) > instant(due):
        return OVERDUE
    return OPEN


def obligation(
    rule: str,
    owner: str,
    due: datetime | None,
    met_by: Entry | None,
    now: datetime,
    *,
    key: str | None = None,
    label: str,
    message: str | None = None,
    why: Why | None = None,
) -> Obligation:
    # Times leave the engine in Copenhagen time, whatever offset the input carried.
    met_at = local(met_by.at) if met_by is not None else None
    due = local(due) if due is not None else None
    return Obligation(
        rule=rule,
        owner=owner,
        due=due,
        status=judge(due, met_at, now),
        met_at=met_at,
        key=key or rule,
        message=message,
        label=label,
        why=why,
    )
