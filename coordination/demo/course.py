"""A demo course under construction: the timeline's events, drawn in time order, and the steps most
courses share (admission, reports, PFP, agreed discharge)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from coordination.rules.calendar import COPENHAGEN

CPH = COPENHAGEN  # the one definition of the product's time zone
PROFILE = "hovedstaden"
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)

# Messages the hospital receives (read by the hospital); every other read is the municipality's.
RECEIVED_BY_HOSPITAL = ("ILR", "MILR")
# Messages that follow from events (REPLAY.md); the municipality reads them like any other.
EVENT_MESSAGES = {
    "faerdigbehandlet": "MOF",
    "treatment_resumed": "MOF-GENOPTAGET",
    "discharge_registered": "ADVIS-UD",
}

COORDINATION_REASONS = (
    "Særlige plejebehov: ny stomi, borgeren kan ikke selv skifte",
    "Behov for hjælpemidler: plejeseng og loftlift skal være på plads",
    "Barrierer i hjemmet: bor på 3. sal uden elevator",
    "Usikkert om borgeren kan komme hjem: tiltagende kognitiv svækkelse",
    "Ændret funktionsniveau: har brug for hjælp til personlig pleje",
)
MUNICIPAL_KM_SUBJECTS = (
    "Udvidet koordinering",
    "Vedr. plejeforløbsplan: hjælpemidler bestilt",
    "Spørgsmål til plejeforløbsplan",
)
WAITING_REASONS = ("plejebolig", "midlertidig_plads", "hjaelpemidler", "hjemmepleje", "boligaendring")
WAITING_PLAN_SUBJECTS = (
    "Plads på midlertidigt ophold fra mandag",
    "Plejebolig forventes ledig i næste uge",
    "Hjælpemidler leveres i morgen",
    "Hjemmeplejen kan starte op fra i morgen",
)


class NoRoom(RuntimeError):
    """A stage's window for an event is empty: a bug in the stage builder, never expected at run time."""


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """The instant of a Copenhagen wall-clock time, in UTC. (Hour 2 is avoided: it may not exist.)"""
    return datetime.combine(day, time(hour, minute), CPH).astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(CPH)


def iso(moment: datetime) -> str:
    """ISO 8601 with the Copenhagen offset of that instant, as REPLAY.md wants."""
    return to_local(moment).isoformat(timespec="seconds")


def floor_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def is_daytime(moment: datetime) -> bool:
    local = to_local(moment)
    return time(7, 30) <= local.time() < time(21, 30)


def in_hour_two(moment: datetime) -> bool:
    """Local 02:00–02:59 is missing on the spring DST day and happens twice in October; wall-clock
    comparisons there are easy to get wrong, so demo events stay out of it."""
    return to_local(moment).hour == 2


def pick(rng: random.Random, after: datetime, until: datetime, *, daytime: bool = True) -> datetime:
    """A whole minute strictly after `after` and at or before `until`, by preference in the daytime.

    Staff mostly act in the day, so a few draws look for a daytime minute before settling for any.
    """
    first = floor_minute(after) + MINUTE
    last = floor_minute(until)
    if last < first:
        raise NoRoom(f"no minute between {after} and {until}")
    span = int((last - first) / MINUTE)
    draws = [first + rng.randint(0, span) * MINUTE for _ in range(30)]
    preferred = (d for d in draws if (is_daytime(d) or not daytime) and not in_hour_two(d))
    return next(preferred, draws[0])


def planned_time(rng: random.Random, day: date, earliest_hour: int, latest_hour: int) -> datetime:
    """A planned clock time on the quarter hour, as wards plan discharges."""
    slots = (latest_hour - earliest_hour) * 4
    start = at(day, earliest_hour)
    return start + timedelta(minutes=15 * rng.randint(0, slots))


@dataclass
class Course:
    """One citizen's timeline under construction: main events in strict order, reads drawn alongside."""

    rng: random.Random
    now: datetime
    citizen: dict[str, Any]
    main: list[tuple[datetime, dict[str, Any]]] = field(default_factory=list)
    reads: list[tuple[datetime, dict[str, Any]]] = field(default_factory=list)

    @property
    def last(self) -> datetime:
        return self.main[-1][0]

    def add(self, at: datetime, type_: str, **fields: Any) -> datetime:
        """Append a main event; it must come strictly after the previous one and not after `now`."""
        if self.main and at <= self.last:
            raise NoRoom(f"{type_} at {at} is not after {self.last}")
        if at > self.now:
            raise NoRoom(f"{type_} at {at} is after now {self.now}")
        self.main.append((at, {"at": iso(at), "type": type_, **fields}))
        if type_ in EVENT_MESSAGES:
            self._read_later(at, EVENT_MESSAGES[type_])
        return at

    def message(self, at: datetime, code: str, **fields: Any) -> datetime:
        """A MedCom message; the receiving side reads it later (KM has its own agreement and no read duty)."""
        self.add(at, "message", code=code, **fields)
        if code != "KM":
            self._read_later(at, code)
        return at

    def _read_later(self, sent: datetime, code: str) -> None:
        """Most messages are read within a shift, some late, some not yet; reads after `now` are left out."""
        roll = self.rng.random()
        if roll < 0.06:
            return
        delay = self.rng.randint(8 * 60 + 30, 16 * 60) if roll < 0.15 else self.rng.randint(10, 5 * 60)
        at = floor_minute(sent) + delay * MINUTE
        if at <= self.now and not in_hour_two(at):
            by = "hospital" if code in RECEIVED_BY_HOSPITAL else "municipality"
            self.reads.append((at, {"at": iso(at), "type": "message_read", "code": code, "by": by}))

    def events(self) -> list[dict[str, Any]]:
        """Main events and reads merged in time order; a read that would share a minute with another event is
        dropped, so that the order is strict."""
        taken = {at for at, _ in self.main}
        merged = list(self.main)
        for at, event in self.reads:
            if at not in taken:
                taken.add(at)
                merged.append((at, event))
        merged.sort(key=lambda pair: pair[0])
        return [event for _, event in merged]


def admit(
    rng: random.Random,
    now: datetime,
    admitted_at: datetime,
    *,
    known_in_eoj: bool = True,
    residence: str = "own_home",
    expected_stay: str = "over_48h",
) -> Course:
    """Start a course: `admitted`, and a minute later the automatic ADVIS-IND."""
    citizen = {"known_in_eoj": known_in_eoj, "residence": residence, "social_area": False, "terminal": False}
    course = Course(rng, now, citizen)
    admitted_at = floor_minute(admitted_at)
    course.add(admitted_at, "admitted", expected_stay=expected_stay, somatic=True)
    course.message(admitted_at + MINUTE, "ADVIS-IND")
    return course


def admission_reports(course: Course) -> None:
    """The municipality's answer to the advis: the automatic ILR when the citizen is in its care record (EOJ),
    and a MILR from a visitator when the citizen is known or comes from a plejebolig or midlertidig plads."""
    rng = course.rng
    advis = course.last
    if course.citizen["known_in_eoj"]:
        course.message(advis + rng.randint(2, 4) * MINUTE, "ILR")
    if course.citizen["known_in_eoj"] or course.citizen["residence"] != "own_home":
        course.message(pick(rng, course.last + 40 * MINUTE, advis + 7 * HOUR), "MILR")


def pfp(course: Course, at: datetime, day: date, *, certain: bool, coordination: bool = False) -> datetime:
    return course.message(
        at,
        "PFP",
        coordination_needed=coordination,
        faerdigbehandlet_date=day.isoformat(),
        date_certain=certain,
    )


def agree_discharge(
    course: Course, discharge_at: datetime, *, destination: str, rehabilitation: bool
) -> None:
    """The planned discharge and the phone agreement about its time (R-CALL-13), a little apart."""
    rng = course.rng
    course.add(
        course.last + rng.randint(10, 90) * MINUTE,
        "discharge_planned",
        discharge_at=iso(discharge_at),
        needs_changed=True,
        practical_help_only=False,
        municipal_nursing=True,
        destination=destination,
        rehabilitation_needed=rehabilitation,
    )
    course.add(course.last + rng.randint(5, 45) * MINUTE, "phone_agreement", discharge_at=iso(discharge_at))


def plan_to_certain_date(course: Course, discharge_day: date, certain_by: datetime) -> None:
    """A first PFP with an expected date, then one with the certain date before 13:00 the day before
    (R-PFP-DATE), both after the admission reports."""
    rng = course.rng
    admitted = course.main[0][0]
    first = pick(rng, max(course.last, admitted + 14 * HOUR), admitted + 30 * HOUR)
    pfp(course, first, discharge_day + timedelta(days=rng.choice((0, 1))), certain=False)
    deadline = min(at(discharge_day - timedelta(days=1), 13), certain_by)
    # Wards confirm the date late, on the day before (within the last day before the deadline).
    pfp(course, pick(rng, max(first + 2 * HOUR, deadline - 28 * HOUR), deadline), discharge_day, certain=True)


# --- Stage builders. Each gets a per-timeline rng, `now` (UTC) and the variant number (how many times the
# --- stage came round before), and returns a finished course.
