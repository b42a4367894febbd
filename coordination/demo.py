"""Deterministic demo timelines for Region Hovedstaden (pure, no Django).

`demo_timelines(count, seed, now)` returns citizens' courses in the `load_timelines` shape of
shared/domain/REPLAY.md ("Persisting timelines"): ``profile``, ``citizen``, ``events`` and ``where``.
`seed_demo` records them through the same services as `load_timelines`.

The set shows every stage of the flow on the board: just admitted (MILR open, some overdue), reports
received, PFP with an expected and with a certain date, further coordination, discharge agreed by phone,
færdigbehandlet and waiting, a relapse, USR sent, recently discharged, and rehabilitation after discharge.
Every timeline obeys RULES.md: nothing the engine would refuse (R-FLOW, R-FB-REG, R-FB-RESUME, R-FB-TERMINAL).

How times are made: all arithmetic is on UTC instants (elapsed time is right across daylight saving), and
local clock times are built in Europe/Copenhagen. Each event is drawn in a window that starts after the
previous event and ends before `now` (or before a deadline the stage wants kept), preferring daytime, so
every timeline is in strict time order and nothing lies after `now`, whatever time of day `now` is.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from coordination.cpr import fictitious_cpr
from coordination.demo_content import with_content
from coordination.reference_data import (
    FIRST_NAMES_FEMALE,
    FIRST_NAMES_MALE,
    HOSPITAL_CATCHMENT,
    HOSPITALS,
    SURNAMES,
)
from coordination.rules.calendar import COPENHAGEN

CPH = COPENHAGEN  # the one definition of the product's time zone
PROFILE = "hovedstaden"
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)

# Messages the hospital receives (read by the hospital); every other read is the municipality's.
_RECEIVED_BY_HOSPITAL = ("ILR", "MILR")
# Messages that follow from events (REPLAY.md); the municipality reads them like any other.
_EVENT_MESSAGES = {
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


class _NoRoom(RuntimeError):
    """A stage's window for an event is empty: a bug in the stage builder, never expected at run time."""


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """The instant of a Copenhagen wall-clock time, in UTC. (Hour 2 is avoided: it may not exist.)"""
    return datetime.combine(day, time(hour, minute), CPH).astimezone(UTC)


def _local(moment: datetime) -> datetime:
    return moment.astimezone(CPH)


def _iso(moment: datetime) -> str:
    """ISO 8601 with the Copenhagen offset of that instant, as REPLAY.md wants."""
    return _local(moment).isoformat(timespec="seconds")


def _floor_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def _is_daytime(moment: datetime) -> bool:
    local = _local(moment)
    return time(7, 30) <= local.time() < time(21, 30)


def _in_hour_two(moment: datetime) -> bool:
    """Local 02:00–02:59 is missing on the spring DST day and happens twice in October; wall-clock
    comparisons there are easy to get wrong, so demo events stay out of it."""
    return _local(moment).hour == 2


def _pick(rng: random.Random, after: datetime, until: datetime, *, daytime: bool = True) -> datetime:
    """A whole minute strictly after `after` and at or before `until`, by preference in the daytime.

    Staff mostly act in the day, so a few draws look for a daytime minute before settling for any.
    """
    first = _floor_minute(after) + MINUTE
    last = _floor_minute(until)
    if last < first:
        raise _NoRoom(f"no minute between {after} and {until}")
    span = int((last - first) / MINUTE)
    draws = [first + rng.randint(0, span) * MINUTE for _ in range(30)]
    preferred = (d for d in draws if (_is_daytime(d) or not daytime) and not _in_hour_two(d))
    return next(preferred, draws[0])


def _planned_time(rng: random.Random, day: date, earliest_hour: int, latest_hour: int) -> datetime:
    """A planned clock time on the quarter hour, as wards plan discharges."""
    slots = (latest_hour - earliest_hour) * 4
    start = _at(day, earliest_hour)
    return start + timedelta(minutes=15 * rng.randint(0, slots))


@dataclass
class _Course:
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
            raise _NoRoom(f"{type_} at {at} is not after {self.last}")
        if at > self.now:
            raise _NoRoom(f"{type_} at {at} is after now {self.now}")
        self.main.append((at, {"at": _iso(at), "type": type_, **fields}))
        if type_ in _EVENT_MESSAGES:
            self._read_later(at, _EVENT_MESSAGES[type_])
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
        at = _floor_minute(sent) + delay * MINUTE
        if at <= self.now and not _in_hour_two(at):
            by = "hospital" if code in _RECEIVED_BY_HOSPITAL else "municipality"
            self.reads.append((at, {"at": _iso(at), "type": "message_read", "code": code, "by": by}))

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


def _admit(
    rng: random.Random,
    now: datetime,
    admitted_at: datetime,
    *,
    known_in_eoj: bool = True,
    residence: str = "own_home",
    expected_stay: str = "over_48h",
) -> _Course:
    """Start a course: `admitted`, and a minute later the automatic ADVIS-IND."""
    citizen = {"known_in_eoj": known_in_eoj, "residence": residence, "social_area": False, "terminal": False}
    course = _Course(rng, now, citizen)
    admitted_at = _floor_minute(admitted_at)
    course.add(admitted_at, "admitted", expected_stay=expected_stay, somatic=True)
    course.message(admitted_at + MINUTE, "ADVIS-IND")
    return course


def _admission_reports(course: _Course) -> None:
    """The municipality's answer to the advis: the automatic ILR when the citizen is in its care record (EOJ),
    and a MILR from a visitator when the citizen is known or comes from a plejebolig or midlertidig plads."""
    rng = course.rng
    advis = course.last
    if course.citizen["known_in_eoj"]:
        course.message(advis + rng.randint(2, 4) * MINUTE, "ILR")
    if course.citizen["known_in_eoj"] or course.citizen["residence"] != "own_home":
        course.message(_pick(rng, course.last + 40 * MINUTE, advis + 7 * HOUR), "MILR")


def _pfp(course: _Course, at: datetime, day: date, *, certain: bool, coordination: bool = False) -> datetime:
    return course.message(
        at,
        "PFP",
        coordination_needed=coordination,
        faerdigbehandlet_date=day.isoformat(),
        date_certain=certain,
    )


def _agree_discharge(
    course: _Course, discharge_at: datetime, *, destination: str, rehabilitation: bool
) -> None:
    """The planned discharge and the phone agreement about its time (R-CALL-13), a little apart."""
    rng = course.rng
    course.add(
        course.last + rng.randint(10, 90) * MINUTE,
        "discharge_planned",
        discharge_at=_iso(discharge_at),
        needs_changed=True,
        practical_help_only=False,
        municipal_nursing=True,
        destination=destination,
        rehabilitation_needed=rehabilitation,
    )
    course.add(course.last + rng.randint(5, 45) * MINUTE, "phone_agreement", discharge_at=_iso(discharge_at))


def _plan_to_certain_date(course: _Course, discharge_day: date, certain_by: datetime) -> None:
    """A first PFP with an expected date, then one with the certain date before 13:00 the day before
    (R-PFP-DATE), both after the admission reports."""
    rng = course.rng
    admitted = course.main[0][0]
    first = _pick(rng, max(course.last, admitted + 14 * HOUR), admitted + 30 * HOUR)
    _pfp(course, first, discharge_day + timedelta(days=rng.choice((0, 1))), certain=False)
    deadline = min(_at(discharge_day - timedelta(days=1), 13), certain_by)
    # Wards confirm the date late, on the day before (within the last day before the deadline).
    _pfp(
        course, _pick(rng, max(first + 2 * HOUR, deadline - 28 * HOUR), deadline), discharge_day, certain=True
    )


# --- Stage builders. Each gets a per-timeline rng, `now` (UTC) and the variant number (how many times the
# --- stage came round before), and returns a finished course.


def _stage_just_admitted(rng: random.Random, now: datetime, variant: int) -> _Course:
    """Admitted in the last three hours: only the ADVIS-IND so far; the MILR is due but not overdue (the
    night-shift deadline, 10:00, is at least three hours after an advis in the night)."""
    residence = "plejebolig" if variant % 2 else "own_home"
    admitted = _pick(rng, now - 3 * HOUR, now - 20 * MINUTE, daytime=False)
    return _admit(
        rng, now, admitted, residence=residence, expected_stay=rng.choice(("over_48h", "under_48h"))
    )


def _stage_milr_overdue(rng: random.Random, now: datetime, variant: int) -> _Course:
    """Admitted 12–30 hours ago and still no MILR: overdue whatever the shift."""
    admitted = _pick(rng, now - 30 * HOUR, now - 12 * HOUR, daytime=False)
    return _admit(rng, now, admitted)


def _stage_reports(rng: random.Random, now: datetime, variant: int) -> _Course:
    """ILR and MILR received, no plan yet."""
    residence = "midlertidig_plads" if variant % 3 == 1 else "own_home"
    course = _admit(
        rng, now, _pick(rng, now - 40 * HOUR, now - 14 * HOUR, daytime=False), residence=residence
    )
    _admission_reports(course)
    return course


def _stage_pfp_expected(rng: random.Random, now: datetime, variant: int) -> _Course:
    """A PFP with an expected færdigbehandlingsdato a few days ahead; some citizens unknown in EOJ."""
    today = _local(now).date()
    course = _admit(
        rng, now, _pick(rng, now - 60 * HOUR, now - 30 * HOUR, daytime=False), known_in_eoj=variant % 2 == 0
    )
    _admission_reports(course)
    admitted = course.main[0][0]
    at = _pick(rng, max(course.last, admitted + 16 * HOUR), now - 30 * MINUTE)
    _pfp(course, at, today + timedelta(days=rng.randint(2, 4)), certain=False)
    return course


def _stage_pfp_certain(rng: random.Random, now: datetime, variant: int) -> _Course:
    """A PFP with a certain date tomorrow or the day after, sent in time."""
    today = _local(now).date()
    course = _admit(rng, now, _pick(rng, now - 80 * HOUR, now - 50 * HOUR, daytime=False))
    _admission_reports(course)
    _plan_to_certain_date(course, today + timedelta(days=rng.randint(1, 2)), now - 30 * MINUTE)
    return course


def _stage_coordination(rng: random.Random, now: datetime, variant: int) -> _Course:
    """Further coordination needed: the record, a PFP saying so, and the municipality's answer within 24
    hours by KM (or phone); in every third variant the answer has not come."""
    today = _local(now).date()
    course = _admit(rng, now, _pick(rng, now - 90 * HOUR, now - 40 * HOUR, daytime=False))
    _admission_reports(course)
    admitted = course.main[0][0]
    identified = _pick(rng, max(course.last, admitted + 4 * HOUR), admitted + 30 * HOUR)
    course.add(identified, "coordination_identified", reason=rng.choice(COORDINATION_REASONS))
    pfp_at = identified + rng.randint(10, 90) * MINUTE
    _pfp(course, pfp_at, today + timedelta(days=rng.randint(2, 4)), certain=False, coordination=True)
    answer = _pick(rng, pfp_at + HOUR, min(pfp_at + 23 * HOUR, now - 10 * MINUTE))
    if variant % 3 == 0:
        course.message(answer, "KM", **{"from": "municipality", "subject": rng.choice(MUNICIPAL_KM_SUBJECTS)})
    elif variant % 3 == 1:
        course.add(answer, "municipality_contacted")
    return course


def _stage_discharge_agreed(rng: random.Random, now: datetime, variant: int) -> _Course:
    """Discharge planned and agreed by phone for today (when it is still morning) or tomorrow."""
    local_now = _local(now)
    if local_now.hour < 11:
        discharge_at = _planned_time(rng, local_now.date(), 13, 15)
    else:
        discharge_at = _planned_time(rng, local_now.date() + timedelta(days=1), 10, 14)
    residence = "plejebolig" if variant % 2 else "own_home"
    course = _admit(
        rng, now, _pick(rng, now - 110 * HOUR, now - 60 * HOUR, daytime=False), residence=residence
    )
    _admission_reports(course)
    _plan_to_certain_date(course, _local(discharge_at).date(), now - 3 * HOUR)
    _agree_discharge(course, discharge_at, destination=residence, rehabilitation=False)
    return course


def _stage_waiting(rng: random.Random, now: datetime, variant: int) -> _Course:
    """Færdigbehandlet on a day before today and still in hospital, waiting (MOF sent); in every third variant
    the municipality has told its plan (R-MUN-PLAN)."""
    today = _local(now).date()
    registered_day = today - timedelta(days=(1, 3, 5, 2)[variant % 4])
    admitted = _at(registered_day - timedelta(days=rng.randint(3, 5)), rng.randint(7, 22), rng.randint(0, 59))
    course = _admit(rng, now, admitted)
    _admission_reports(course)
    _plan_to_certain_date(course, registered_day, _at(registered_day, 0))
    reasons = sorted(rng.sample(WAITING_REASONS, rng.choice((1, 1, 2))))
    registered = _pick(rng, _at(registered_day, 8), _at(registered_day, 15))
    course.add(registered, "faerdigbehandlet", date=registered_day.isoformat(), waiting_for=reasons)
    if variant % 3 == 1:
        answer = _pick(rng, registered + HOUR, min(registered + 30 * HOUR, now - 10 * MINUTE))
        course.message(answer, "KM", **{"from": "municipality", "subject": rng.choice(WAITING_PLAN_SUBJECTS)})
    return course


def _stage_relapse(rng: random.Random, now: datetime, variant: int) -> _Course:
    """Færdigbehandlet, then a relapse: behandling genoptaget (MOF-GENOPTAGET) and a new expected date."""
    today = _local(now).date()
    registered_day = today - timedelta(days=rng.randint(3, 4))
    admitted = _at(registered_day - timedelta(days=rng.randint(3, 4)), rng.randint(7, 22), rng.randint(0, 59))
    course = _admit(rng, now, admitted)
    _admission_reports(course)
    _plan_to_certain_date(course, registered_day, _at(registered_day, 0))
    registered = _pick(rng, _at(registered_day, 8), _at(registered_day, 14))
    course.add(registered, "faerdigbehandlet", date=registered_day.isoformat(), waiting_for=["hjemmepleje"])
    resume_day = registered_day + timedelta(days=rng.randint(1, 2))
    resumed = _pick(rng, _at(resume_day, 7), _at(resume_day, 16))
    course.add(resumed, "treatment_resumed", reason="relapse")
    new_plan = _pick(rng, resumed + HOUR, resumed + 5 * HOUR)
    _pfp(course, new_plan, today + timedelta(days=rng.randint(2, 4)), certain=False)
    return course


def _stage_usr_sent(rng: random.Random, now: datetime, variant: int) -> _Course:
    """Discharge agreed and the USR sent; the citizen has not left yet."""
    local_now = _local(now)
    today = local_now.date()
    if local_now.hour < 11:  # discharge this afternoon, USR written yesterday afternoon
        discharge_at = _planned_time(rng, today, 13, 15)
        usr_window = (_at(today - timedelta(days=1), 12), _at(today - timedelta(days=1), 16))
    elif local_now.hour < 14:  # discharge this afternoon, USR this morning
        discharge_at = _planned_time(rng, today, 14, 15)
        usr_window = (_at(today, 8), _at(today, 10, 45))
    else:  # discharge tomorrow morning, USR today
        discharge_at = _planned_time(rng, today + timedelta(days=1), 10, 12)
        usr_window = (_at(today, 8), _at(today, 13))
    residence = "plejebolig" if variant % 2 else "own_home"
    course = _admit(
        rng, now, _pick(rng, now - 120 * HOUR, now - 70 * HOUR, daytime=False), residence=residence
    )
    _admission_reports(course)
    _plan_to_certain_date(course, _local(discharge_at).date(), usr_window[0] - 3 * HOUR)
    _agree_discharge(course, discharge_at, destination=residence, rehabilitation=False)
    course.message(_pick(rng, max(course.last, usr_window[0]), usr_window[1]), "USR")
    return course


def _discharged_course(
    rng: random.Random, now: datetime, left: datetime, *, residence: str, rehabilitation: bool
) -> _Course:
    """A whole course up to a departure at `left`: plan, agreement, USR (and GOP) before leaving, and the
    discharge registered within two hours (R-ADVIS-UD)."""
    day = _local(left).date()
    course = _admit(rng, now, left - rng.randint(66, 140) * HOUR, residence=residence)
    _admission_reports(course)
    _plan_to_certain_date(course, day, left)
    planned = _floor_minute(left) - rng.choice((0, 5, 15, 30)) * MINUTE
    _agree_discharge(course, planned, destination=residence, rehabilitation=rehabilitation)
    course.message(_pick(rng, max(course.last, _at(day, 7, 30)), left - 40 * MINUTE), "USR")
    if rehabilitation:
        course.message(_pick(rng, course.last, left - 10 * MINUTE), "GOP")
    course.add(left, "left_ward")
    course.add(left + rng.randint(10, 55) * MINUTE, "discharge_registered")
    return course


def _stage_discharged(rng: random.Random, now: datetime, variant: int) -> _Course:
    """Left the ward within the last day and the discharge registered."""
    local_now = _local(now)
    day = (
        local_now.date()
        if local_now.hour * 60 + local_now.minute >= 12 * 60 + 30
        else local_now.date() - timedelta(days=1)
    )
    left = _pick(rng, _at(day, 9), _at(day, 11, 30) if day == local_now.date() else _at(day, 16))
    residence = "plejebolig" if variant % 3 == 2 else "own_home"
    return _discharged_course(rng, now, left, residence=residence, rehabilitation=variant % 2 == 1)


def _stage_rehabilitation(rng: random.Random, now: datetime, variant: int) -> _Course:
    """Discharged 2–6 days ago with a genoptræningsplan; rehabilitation started unless its day is to come."""
    today = _local(now).date()
    day = today - timedelta(days=rng.randint(2, 6))
    left = _pick(rng, _at(day, 9), _at(day, 15))
    course = _discharged_course(rng, now, left, residence="own_home", rehabilitation=True)
    start_day = day + timedelta(days=rng.randint(1, 6))
    if start_day < today:
        course.add(_pick(rng, _at(start_day, 8), _at(start_day, 15)), "rehabilitation_started")
    return course


def _stage_short_stay(rng: random.Random, now: datetime, variant: int) -> _Course:
    """A short stay (under 48 hours) of a citizen unknown in EOJ: no ILR or MILR expected; the discharge is
    agreed by phone, or the citizen needs only practical help and contacts the municipality themselves."""
    admitted = _pick(rng, now - 30 * HOUR, now - 18 * HOUR, daytime=False)
    course = _admit(rng, now, admitted, known_in_eoj=False, expected_stay="under_48h")
    # The next planned slot at least an hour ahead, in the day (09:00–17:00), well within the 48 hours.
    soon = _local(now + HOUR)
    if soon.hour < 9:
        discharge_at = _at(soon.date(), 9)
    elif soon.hour >= 17:
        discharge_at = _at(soon.date() + timedelta(days=1), 9)
    else:
        discharge_at = _at(soon.date(), soon.hour, 0) + timedelta(minutes=15 * (soon.minute // 15 + 1))
    practical = variant % 2 == 1
    course.add(
        _pick(rng, admitted + 2 * HOUR, now - 20 * MINUTE),
        "discharge_planned",
        discharge_at=_iso(discharge_at),
        needs_changed=not practical,
        practical_help_only=practical,
        municipal_nursing=not practical,
        destination="own_home",
        rehabilitation_needed=False,
    )
    if not practical:
        course.add(
            _pick(rng, course.last, now - 5 * MINUTE), "phone_agreement", discharge_at=_iso(discharge_at)
        )
    return course


Stage = Callable[[random.Random, datetime, int], _Course]

# In the order of the flow; `demo_timelines` cycles through them.
STAGES: tuple[tuple[str, Stage], ...] = (
    ("just_admitted", _stage_just_admitted),
    ("milr_overdue", _stage_milr_overdue),
    ("reports", _stage_reports),
    ("pfp_expected", _stage_pfp_expected),
    ("pfp_certain", _stage_pfp_certain),
    ("coordination", _stage_coordination),
    ("discharge_agreed", _stage_discharge_agreed),
    ("waiting", _stage_waiting),
    ("relapse", _stage_relapse),
    ("usr_sent", _stage_usr_sent),
    ("discharged", _stage_discharged),
    ("rehabilitation", _stage_rehabilitation),
    ("short_stay", _stage_short_stay),
)


def _birth_date(rng: random.Random, today: date) -> date:
    """A birth date giving an age of 65–98 today (mostly around 80), never 1 January (see fictitious_cpr)."""
    while True:
        age = min(98, int(rng.triangular(65, 99, 82)))
        try:
            latest = today.replace(year=today.year - age)
        except ValueError:  # today is 29 February
            latest = date(today.year - age, 2, 28)
        born = latest - timedelta(days=rng.randint(0, 364))
        if (born.month, born.day) != (1, 1):
            return born


def _where(rng: random.Random, today: date, used_cprs: set[str]) -> dict[str, str]:
    """Hospital, ward, municipality of residence (in the hospital's catchment), CPR and name."""
    hospitals = HOSPITALS[PROFILE]
    # Bornholm and Rigshospitalet (highly specialised) admit fewer of these citizens.
    weights = [
        1 if h.name == "Bornholms Hospital" else 3 if h.name == "Rigshospitalet" else 5 for h in hospitals
    ]
    hospital = rng.choices(hospitals, weights=weights)[0]
    # Place and name first: they must not shift with today's date, which the birth date below depends on.
    ward = rng.choice(hospital.wards).name
    municipality = rng.choice(HOSPITAL_CATCHMENT[hospital.name])
    female = rng.random() < 0.58  # more women than men among the oldest citizens
    first = rng.choice(FIRST_NAMES_FEMALE if female else FIRST_NAMES_MALE)
    name = f"{first} {rng.choice(SURNAMES)}"
    while True:
        born = _birth_date(rng, today)
        cpr = fictitious_cpr(born, female, rng)
        if cpr not in used_cprs:
            break
    used_cprs.add(cpr)
    return {"hospital": hospital.name, "ward": ward, "municipality": municipality, "cpr": cpr, "name": name}


def demo_timelines(count: int, seed: int, now: datetime) -> list[dict[str, Any]]:
    """`count` demo timelines for Region Hovedstaden, judged at `now` (an aware datetime).

    Deterministic: the same (count, seed, now) gives the same list, and a smaller count gives a prefix of a
    larger one. Timeline i is of stage ``STAGES[i % len(STAGES)]``; later rounds vary the times and details.
    Each is a `load_timelines` object: ``{"profile", "now", "citizen", "events", "where"}``.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if count < 0:
        raise ValueError("count must not be negative")
    now = now.astimezone(UTC)
    today = _local(now).date()
    used_cprs: set[str] = set()
    timelines = []
    for index in range(count):
        # One rng per timeline, seeded from (seed, index): a timeline does not depend on the ones before it.
        rng = random.Random(f"sektorovergang-demo:{seed}:{index}")
        _name, build = STAGES[index % len(STAGES)]
        course = build(rng, now, index // len(STAGES))
        timelines.append(
            {
                "profile": PROFILE,
                # Not needed by load_timelines (it uses the clock), but it makes each object a replay input.
                "now": _iso(now),
                "citizen": course.citizen,
                # The messages' text for the printouts, from an rng of its own (the times stay as they are).
                "events": with_content(course.events(), random.Random(f"sektorovergang-text:{seed}:{index}")),
                # Its own rng too: where a citizen lies (and so which demo users see whom) does not shift with
                # the time of day the demo is made.
                "where": _where(random.Random(f"sektorovergang-where:{seed}:{index}"), today, used_cprs),
            }
        )
    return timelines
