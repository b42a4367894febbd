"""Duties and facts at discharge: R-CALL-13, R-GOP-SEND, R-GOP-START, R-GOP-ANSWER, R-MEDICIN, R-72H,
R-PLEJEBOLIG and R-MUN-PLAN.

Sources: seed 000 (Region Hovedstaden), seed 001 (Region Sjælland, genoptræning), seed 002 (Region
Midtjylland, the 72-hour responsibility).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .calendar import add_hours, elapsed, end_of_day, first_weekday_after, in_daily_window, local, local_date
from .course import Course, obligation
from .faerdigbehandling import build_periods
from .registry import DUTY, FACT, WARNING, rule
from .types import HOSPITAL, MUNICIPALITY, Obligation, Warning
from .why import generic, why


@rule("R-CALL-13", "Ring til kommunen om udskrivningstidspunktet", "000", DUTY)
def call_13(course: Course, now: datetime) -> list[Obligation]:
    """The hospital phones the municipality to agree the discharge time when the planned discharge is at or
    after 13:00, or needs have changed, or the citizen cannot go straight home ("Der skal ringes til
    kommunen for at aftale udskrivningstidspunkt når borger udskrives efter kl. 13 eller ...").

    A citizen unknown in EOJ counts as having changed needs. When the citizen needs only practical help no
    call is due whatever else holds. Judged on the newest planned discharge: due at its time; met by the
    first phone agreement (at any time).
    """
    plan = course.newest_plan
    if plan is None:
        return []
    profile = course.profile_for(plan)
    if not profile.call_13 or plan.get("practical_help_only"):
        return []
    discharge_at: datetime = plan.get("discharge_at")  # type: ignore[assignment]
    citizen = course.citizen
    afternoon = local(discharge_at).time().replace(tzinfo=None) >= profile.call_13_time
    needs_changed = bool(plan.get("needs_changed")) or not citizen.known_in_eoj
    not_straight_home = plan.get("destination") != citizen.residence
    if not (afternoon or needs_changed or not_straight_home):
        return []
    reasons = [
        name
        for name, holds in (
            ("afternoon", afternoon),
            ("needs_changed", needs_changed),
            ("not_straight_home", not_straight_home),
        )
        if holds
    ]
    reason = why("why.call_13", plan, discharge_at, reasons=reasons, call_time=profile.call_13_time)
    met = course.first(lambda e: e.type == "phone_agreement")
    return [obligation("R-CALL-13", HOSPITAL, discharge_at, met, now, label="Ring til kommunen", why=reason)]


@rule("R-GOP-SEND", "Genoptræningsplan sendes på udskrivningsdagen", "001 (national)", DUTY)
def gop_send(course: Course, now: datetime) -> list[Obligation]:
    """When rehabilitation is needed, the hospital sends the genoptræningsplan electronically on the
    discharge day and hands it to the citizen.

    Listed when the newest planned discharge says rehabilitation is needed; due the end of the discharge
    day (the departure's date, before it the planned date); met by the first GOP at any time. Not where
    R-PSYK applies.
    """
    plan = course.newest_plan
    if plan is None or not plan.get("rehabilitation_needed"):
        return []
    if course.psyk_applies(course.profile_for(course.left or plan)):
        return []
    discharge_day = course.discharge_date()
    assert discharge_day is not None
    met = course.first(lambda e: e.is_message("GOP"))
    due = end_of_day(discharge_day)
    reason = why("why.gop_send", course.left or plan, due, day=discharge_day)
    return [obligation("R-GOP-SEND", HOSPITAL, due, met, now, label="Genoptræningsplan sendes", why=reason)]


@rule("R-GOP-START", "Genoptræning påbegyndes inden 7 dage", "001 (national)", DUTY)
def gop_start(course: Course, now: datetime) -> list[Obligation]:
    """The municipality starts rehabilitation within 7 calendar days from the discharge date unless agreed
    otherwise ("Påbegynder genoptræning inden 7 kalenderdage fra udskrivelsesdato").

    Listed once a GOP was sent and the citizen has left; due the end of the departure date + 7; met by the
    first `rehabilitation_started` after the departure.
    """
    left = course.left
    if left is None or course.first(lambda e: e.is_message("GOP")) is None:
        return []
    days = course.profile_for(left).gop_start_days
    last_day = local_date(left.at) + timedelta(days=days)
    due = end_of_day(last_day)
    reason = why("why.gop_start", left, due, days=days, day=last_day)
    met = course.first(lambda e: e.type == "rehabilitation_started", after=left)
    return [
        obligation("R-GOP-START", MUNICIPALITY, due, met, now, label="Genoptræning påbegyndes", why=reason)
    ]


@rule("R-GOP-ANSWER", "Spørgsmål om genoptræningsplan besvares næste hverdag", "001", DUTY)
def gop_answer(course: Course, now: datetime) -> list[Obligation]:
    """The hospital answers the municipality's questions about a genoptræningsplan "senest efterfølgende
    hverdag". A question is a municipal KM whose subject starts with "Genoptræningsplan" (without case or
    surrounding space); one obligation per question, due the end of the first weekday after the day it
    came; met by the first hospital KM after it (any subject).
    """
    result = []
    for question in course.all(lambda e: e.is_km_from(MUNICIPALITY)):
        profile = course.profile_for(question)
        prefix = profile.gop_question_prefix.strip().casefold()
        if not profile.gop_answer or not str(question.get("subject", "")).strip().casefold().startswith(
            prefix
        ):
            continue
        answer_day = first_weekday_after(local_date(question.at))
        due = end_of_day(answer_day)
        met = course.first(lambda e: e.is_km_from(HOSPITAL), after=question)
        result.append(
            obligation(
                "R-GOP-ANSWER",
                HOSPITAL,
                due,
                met,
                now,
                key=f"R-GOP-ANSWER:{question.ref}",
                label="Spørgsmål om genoptræningsplan besvares",
                why=why("why.gop_answer", question, due, day=answer_day),
            )
        )
    return result


@rule("R-MEDICIN", "Medicin med til førstkommende hverdag", "001", FACT)
def medicine_until(course: Course) -> date | None:
    """Medicine ordered during the stay is given along "til førstkommende hverdag": until the first weekday
    after the discharge date (the departure's date; before it the planned date; no date without either).
    """
    trigger = course.left or course.newest_plan
    if trigger is None or not course.profile_for(trigger).medicine_until_weekday:
        return None
    discharge_day = course.discharge_date()
    return first_weekday_after(discharge_day) if discharge_day is not None else None


@rule("R-72H", "72 timers udvidet lægefagligt behandlingsansvar", "002", FACT)
def extended_responsibility_until(course: Course) -> datetime | None:
    """A citizen who stayed over 24 hours on a somatic ward and is discharged to municipal nursing is
    covered by the discharging ward's extended medical responsibility for 72 hours after leaving; not
    psychiatry, not stays up to 24 hours.

    "Discharged to municipal nursing" is the newest planned discharge's `municipal_nursing`; without a
    planned discharge there is no window. The end of the window, once the citizen has left, else None.
    """
    left, admitted, plan = course.left, course.admitted, course.newest_plan
    if left is None or admitted is None or plan is None:
        return None
    profile = course.profile_for(left)
    hours = profile.extended_responsibility_hours
    if hours is None or not admitted.get("somatic") or not plan.get("municipal_nursing"):
        return None
    # Strictly more than 24 elapsed hours from admission to departure.
    if elapsed(admitted.at, left.at) <= timedelta(hours=profile.extended_responsibility_min_stay_hours):
        return None
    return add_hours(left.at, hours)


@rule("R-PLEJEBOLIG", "Ingen sene aften- og natudskrivninger til plejebolig", "000 (Udskrivelse)", WARNING)
def plejebolig_late_discharge(course: Course) -> list[Warning]:
    """Citizens living in or going to a plejebolig need not wait for the next day when færdigmeldt after
    13:00, but such discharges "ikke medfører sene aften- og natudskrivninger".

    Warn when the citizen lives in or goes to (newest plan) a plejebolig and the newest planned discharge
    (also after the departure) or the departure falls in the late evening or night (20:00 up to 07:00).
    """
    plan, left = course.newest_plan, course.left
    if not goes_to_plejebolig(course):
        return []
    # The departure is the stronger fact: name it when it was late, else the plan.
    candidates = [(left, left.at)] if left is not None else []
    if plan is not None:
        candidates.append((plan, plan.get("discharge_at")))  # type: ignore[arg-type]
    for entry, moment in candidates:
        profile = course.profile_for(entry)
        if not profile.plejebolig_warning:
            continue
        if in_daily_window(moment, profile.late_evening_start, profile.late_evening_end):  # type: ignore[arg-type]
            params = {
                "at": local(moment).isoformat(),  # type: ignore[arg-type]
                "start": f"{profile.late_evening_start:%H:%M}",
                "end": f"{profile.late_evening_end:%H:%M}",
            }
            key = "plejebolig.late_departure" if entry is left else "plejebolig.late_plan"
            return [Warning("R-PLEJEBOLIG", key, params, entry.index)]
    return []


def goes_to_plejebolig(course: Course) -> bool:
    """R-PLEJEBOLIG's condition: the citizen lives in a plejebolig or the newest plan sends them to one."""
    plan = course.newest_plan
    destination = plan.get("destination") if plan is not None else None
    return course.citizen.residence == "plejebolig" or destination == "plejebolig"


def rehabilitation_start_by(course: Course) -> date | None:
    """R-GOP-START for the paper handed over at discharge: the last date rehabilitation may start, the
    profile's days from the discharge date (the departure's; before it the agreed, else the planned time).
    Known once rehabilitation is (a GOP was sent, or the newest plan needs it) and a discharge date is."""
    plan = course.newest_plan
    gop_sent = course.first(lambda e: e.is_message("GOP")) is not None
    if not (gop_sent or (plan is not None and plan.get("rehabilitation_needed"))):
        return None
    if course.left is not None:
        day = local_date(course.left.at)
    else:
        fixed = course.newest_agreement or plan
        if fixed is None:
            return None
        day = local_date(fixed.get("discharge_at"))  # type: ignore[arg-type]
    return day + timedelta(days=course.profile_on(day).gop_start_days)


@rule("R-MUN-PLAN", "Kommunen meddeler plan for hjemtagning", "000", DUTY)
def municipality_plan(course: Course, now: datetime) -> list[Obligation]:
    """Once the citizen is registered færdigbehandlet, the municipality "kontakter hospitalet hurtigst
    muligt" and tells "hvornår og hvortil borgeren kan udskrives".

    Judged on the newest registration that is not voided; no due; met by the first later KM from the
    municipality, `municipality_contacted` or phone agreement. Not listed when that period ended by
    resumed treatment before it was met.
    """
    registrations = course.all(lambda e: e.type == "faerdigbehandlet")
    periods = build_periods(course, now)
    # build_periods makes one period per accepted registration, in the same order.
    kept = [
        (entry, period) for entry, period in zip(registrations, periods, strict=True) if not period.voided
    ]
    if not kept:
        return []
    registration, _ = kept[-1]
    met = course.first(
        lambda e: e.is_km_from(MUNICIPALITY) or e.type in ("municipality_contacted", "phone_agreement"),
        after=registration,
    )
    resumed = course.first(lambda e: e.type == "treatment_resumed", after=registration)
    if resumed is not None and (met is None or met.pos > resumed.pos):
        return []
    return [
        obligation(
            "R-MUN-PLAN",
            MUNICIPALITY,
            None,
            met,
            now,
            label="Kommunen meddeler plan for hjemtagning",
            why=generic(registration, None),
        )
    ]
