"""Færdigbehandling and the daily fee: R-FB-DEF, R-FB-REG, R-FB-REASON, R-FB-PRECOND, R-FB-FEE,
R-FB-RESUME, R-FB-TERMINAL and R-FB-DISPUTE.

Sources: seed 000 (Region Hovedstaden: MOF, fee from the day after, behandling genoptaget, disputes),
seed 001 (Region Sjælland: the definition), seed 002 (Region Midtjylland: definition, reasons, terminal).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

from .calendar import local_date
from .course import Course, Entry
from .pfp import pfp_date
from .registry import DATA, FACT, REFUSAL, WARNING, rule
from .types import LATE, OVERDUE, Event, Period, Refused, Warning


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    text: str
    seed: str


FB_CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem(
        "treatment_done",
        "Patienten er efter lægelig vurdering færdigbehandlet: behandlingen er afsluttet, eller indlæggelse "
        "er ikke en forudsætning for den videre behandling",
        "001, 002",
    ),
    ChecklistItem("rehabilitation_plan", "Der er lagt en plan for genoptræning", "002"),
    ChecklistItem(
        "administrative_tasks",
        "Sygehusets administrative opgaver (sygeplejerapport, hjælpemidler, medicin, FMK ajourført) hindrer "
        "ikke kommunen i at hjemtage patienten",
        "001, 002",
    ),
    ChecklistItem("patient_informed", "Patient og pårørende er informeret", "002"),
    ChecklistItem(
        "discharge_agreed", "Udskrivelsestidspunktet er aftalt med kommunen (når den er inde over)", "002"
    ),
)


@rule("R-FB-DEF", "Færdigbehandlet: tjekliste", "001, 002", DATA)
def readiness_checklist() -> tuple[ChecklistItem, ...]:
    """A patient is færdigbehandlet when the doctor judges treatment done (or admission no longer needed for
    further treatment), a plan for rehabilitation is made, the hospital's administrative tasks do not hinder
    the municipality from taking the patient home, the patient is informed, and the discharge time is agreed
    with the municipality when it is involved. The registration does not depend on conditions in the home.
    """
    return FB_CHECKLIST


@rule("R-FB-FEE", "Færdigbehandlingsdage", "000 (national)", FACT)
def build_periods(course: Course, now: datetime) -> list[Period]:
    """The færdigbehandlingstakst is paid per day from and including the day after registration up to and
    including the day the period ends ("Der opkræves betaling fra og med dagen efter registrering").

    days = the calendar-date difference between the registration's date and the Copenhagen date of the event
    that ends the period (departure or resumed treatment); an open period counts up to the Copenhagen date
    of `now`. A voided period (R-FB-RESUME, reason error) counts 0 days. One period per registration, in
    timeline order; `mof_disputed` marks the newest non-voided period (R-FB-DISPUTE).
    """
    periods: list[Period] = []
    open_index: int | None = None
    for entry in course.entries:
        if entry.type == "faerdigbehandlet":
            periods.append(
                Period(
                    registered=entry.get("date"),  # type: ignore[arg-type]
                    ended=None,
                    days=0,
                    voided=False,
                    waiting_for=tuple(entry.get("waiting_for") or ()),  # type: ignore[arg-type]
                    registered_at=entry.at,
                )
            )
            open_index = len(periods) - 1
        elif entry.type in ("treatment_resumed", "left_ward") and open_index is not None:
            voided = entry.type == "treatment_resumed" and entry.get("reason") == "error"
            periods[open_index] = replace(
                periods[open_index],
                ended=local_date(entry.at),
                voided=voided,
                resumed=entry.type == "treatment_resumed",
            )
            open_index = None
        elif entry.type == "mof_disputed":
            newest = _newest_kept(periods)
            if newest is not None:
                periods[newest] = replace(
                    periods[newest], disputed=True, dispute_note=str(entry.get("note", ""))
                )
    today = local_date(now)
    return [replace(p, days=_days(p, today)) for p in periods]


def _days(period: Period, today: date) -> int:
    return days_on(period.registered, period.ended, period.voided, today)


def days_on(registered: date, ended: date | None, voided: bool, today: date) -> int:
    """R-FB-FEE's days of one period on `today`: from the day after registration to its end (an open
    period: to today); a voided period has none."""
    if voided:
        return 0
    end = ended if ended is not None else today
    return max(0, (end - registered).days)


def fee(registered: date, days: int, tariffs: Mapping[int, Decimal]) -> Decimal | None:
    """R-FB-FEE: the fee for `days` days after `registered`, each day at its own year's tariff (kr. per
    day, set per year by an administrator); None when a year has no tariff."""
    total = Decimal(0)
    for n in range(1, days + 1):
        day = registered + timedelta(days=n)
        if day.year not in tariffs:
            return None
        total += tariffs[day.year]
    return total


def fee_days(period: Period) -> list[date]:
    """R-FB-FEE, day by day: the dates the fee is paid for, from and including the day after registration,
    `period.days` of them (an open period up to the `now` it was built at). A report puts each day in the
    month and year of its own date (R-MON-FB), so a stay across new year splits. A voided period has none."""
    if period.voided:
        return []
    return [date.fromordinal(period.registered.toordinal() + n) for n in range(1, period.days + 1)]


def _newest_kept(periods: list[Period]) -> int | None:
    return next((i for i in range(len(periods) - 1, -1, -1) if not periods[i].voided), None)


def open_period(periods: list[Period]) -> Period | None:
    return next((p for p in periods if p.ended is None), None)


@rule("R-FB-TERMINAL", "Terminale patienter registreres ikke færdigbehandlet", "002", REFUSAL)
def refuse_terminal(course: Course, event: Event) -> Refused | None:
    """ "Patienter, der lægeligt vurderes som terminale, skal ikke registreres som færdigbehandlede"."""
    if event.type == "faerdigbehandlet" and course.citizen.terminal:
        return Refused("fb.terminal")
    return None


@rule("R-FB-REG", "Registrering af færdigbehandling", "000, 002", REFUSAL)
class Registration:
    """Registration is needed only when the patient cannot be discharged the day they are færdigbehandlet.

    Refused (all profiles) when dated after the day it is made or before the admission's date, while
    another period is open, or on or before the end date of an earlier period that was not voided (no day is
    paid twice). Warned (hovedstaden) when its date differs from the one given earlier: "Der skal være
    overensstemmelse mellem færdigbehandlingsdatoen - telefonisk afgivet i de korte forløb og i forløb over
    48 timer i PFP - og datoen i MOF".
    """

    @staticmethod
    def refuse(course: Course, event: Event) -> Refused | None:
        if event.type != "faerdigbehandlet":
            return None
        day: date = event.data["date"]
        made = local_date(event.at)
        if day > made:
            return Refused("fb.after_registration_day", {"day": day.isoformat(), "made": made.isoformat()})
        admitted = course.admitted
        if admitted is not None and day < local_date(admitted.at):
            admitted_on = local_date(admitted.at).isoformat()
            return Refused("fb.before_admission", {"day": day.isoformat(), "admitted": admitted_on})
        periods = build_periods(course, event.at)
        current = open_period(periods)
        if current is not None:
            return Refused("fb.already_registered", {"since": current.registered.isoformat()})
        for period in periods:
            if not period.voided and period.ended is not None and day <= period.ended:
                return Refused("fb.paid_twice", {"day": day.isoformat(), "ended": period.ended.isoformat()})
        return None

    @staticmethod
    def warn(course: Course, entry: Entry) -> list[Warning]:
        """The mismatch warning: the newest PFP's date when the stay is over 48 hours at the registration,
        otherwise the newest phone agreement's date; no warning when there is none."""
        profile = course.profile_for(entry)
        if entry.type != "faerdigbehandlet" or not profile.fb_date_mismatch_warning:
            return []
        before = course.before(entry)
        if before.over_48h(entry.at, profile.long_stay_hours):
            source = before.newest(lambda e: e.is_message("PFP"))
            given = source.get("faerdigbehandlet_date") if source is not None else None
            key = "fb.date_mismatch_pfp"
        else:
            source = before.newest_of("phone_agreement")
            given = local_date(source.get("discharge_at")) if source is not None else None  # type: ignore[arg-type]
            key = "fb.date_mismatch_phone"
        registered = entry.get("date")
        if given is None or given == registered:
            return []
        return [
            Warning(
                "R-FB-REG",
                key,
                {"registered": registered.isoformat(), "given": given.isoformat()},  # type: ignore[union-attr]
                entry.index,
            )
        ]


@rule("R-FB-REASON", "Begrundelse for fortsat indlæggelse", "002", WARNING)
def missing_reason(course: Course, entry: Entry) -> list[Warning]:
    """ "Den fortsatte indlæggelse skal være begrundet i, at der ventes på en midlertidig plads/genoptrænings-
    plads eller plejehjemsplads, foranstaltninger i hjemmet eller lignende": warn on a registration without
    a reason (all profiles)."""
    if entry.type != "faerdigbehandlet" or entry.get("waiting_for"):
        return []
    return [Warning("R-FB-REASON", "fb.no_reason", {}, entry.index)]


@rule("R-FB-PRECOND", "MOF forudsætter at aftalen er fulgt", "000", WARNING)
def precondition(course: Course, entry: Entry) -> list[Warning]:
    """Seed 000: "Afsendelse af MOF forudsætter at kommunikationsaftalens regler er fulgt".

    Warn when færdigbehandlet is registered while R-PFP-DATE, judged at that moment (the events before the
    registration, with now = its time), is late or overdue: the fee may be disputed.
    """
    if entry.type != "faerdigbehandlet" or not course.profile_for(entry).fb_precond_warning:
        return []
    judged = pfp_date(course.before(entry), entry.at)
    if not any(o.status in (LATE, OVERDUE) for o in judged):
        return []
    return [Warning("R-FB-PRECOND", "fb.precondition", {}, entry.index)]


@rule("R-FB-RESUME", "Behandling genoptaget", "000, 002", REFUSAL)
def refuse_resume(course: Course, event: Event) -> Refused | None:
    """Relapse or new illness -> "behandling genoptaget" the same day; the fee stops and a later
    færdigbehandling starts a new period. A registration made by mistake is voided (reason `error`, 0 days).
    A resumption with no open period is refused.
    """
    if event.type != "treatment_resumed":
        return None
    if open_period(build_periods(course, event.at)) is None:
        return Refused("fb.resume_without_period")
    return None


@rule("R-FB-DISPUTE", "Indsigelse mod MOF", "000 (Tvivl og uklarheder)", REFUSAL)
def refuse_dispute(course: Course, event: Event) -> Refused | None:
    """ "Ved uenigheder om Melding om Færdigmelding sker henvendelsen til samordningskonsulenterne": a MOF can
    be marked disputed, with a note, without changing its days. Refused when there is no MOF period that is
    not voided.
    """
    if event.type != "mof_disputed":
        return None
    if _newest_kept(build_periods(course, event.at)) is None:
        return Refused("fb.dispute_without_mof")
    return None
