"""`evaluate`: one admission's events, the citizen and the profile -> obligations, periods and facts.

The events are processed in list order (the caller gives them in time order), as corrected first
(R-CORRECTION, rules/corrections.py: an event entered in error is left out, a corrected one is judged with
its corrected values; a refused correction is recorded in `rejected`). Each event is then offered
to the refusal rules in the order of RULES.md (R-FLOW, R-PSYK, R-FB-TERMINAL, R-FB-REG, R-FB-RESUME, then
R-FB-DISPUTE); a refused event is recorded in `rejected`, changes nothing and raises no warning. The duties
are then judged on the accepted events at `now`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from . import (
    actions,
    corrections,
    discharge,
    faerdigbehandling,
    flow,
    forloeb,
    messages,
    pfp,
    sharing,
    sources,
)
from .calendar import add_hours, instant, local, next_local_midnight
from .course import Course, Entry
from .profiles import as_versions
from .registry import RuleUnit, unit_of
from .types import Citizen, Evaluation, Event, Obligation, Profile, Refused, Rejection, Warning

Refusal = Callable[[Course, Event], Refused | None]
Duty = Callable[[Course, datetime], list[Obligation]]
EventWarning = Callable[[Course, Entry], list[Warning]]

# In the order RULES.md gives: the first that applies refuses the event.
REFUSALS: tuple[tuple[str, Refusal], ...] = (
    ("R-FLOW", flow.refuse_flow),
    ("R-PSYK", flow.refuse_psyk),
    ("R-FB-TERMINAL", faerdigbehandling.refuse_terminal),
    ("R-FB-REG", faerdigbehandling.Registration.refuse),
    ("R-FB-RESUME", faerdigbehandling.refuse_resume),
    ("R-FB-DISPUTE", faerdigbehandling.refuse_dispute),
    ("R-FK", forloeb.refuse_forloeb),
)

# Warnings raised by an accepted event.
EVENT_WARNINGS: tuple[EventWarning, ...] = (
    faerdigbehandling.missing_reason,
    faerdigbehandling.Registration.warn,
    faerdigbehandling.precondition,
)

DUTIES: tuple[Duty, ...] = (
    messages.milr,
    pfp.pfp_coordination,
    pfp.municipality_contact,
    pfp.pfp_date,
    pfp.pfp_always,
    pfp.pfp_acknowledgement,
    pfp.conference,
    pfp.conference_minutes,
    discharge.call_13,
    messages.usr,
    messages.advis_ud,
    messages.read_receipts,
    discharge.gop_send,
    discharge.gop_start,
    discharge.gop_answer,
    discharge.municipality_plan,
    forloeb.home_visit,
)

# Every rule unit for one admission (RULES.md ids); the monitoring rules (R-MON-*) and the R-MIDT-NOTICE
# report figure belong to the reports, not to the engine. R-FK and R-FK-QUALITY are per course (admission);
# the yearly evaluation only counts what they derived.
RULES: tuple[RuleUnit, ...] = tuple(
    unit_of(unit)
    for unit in (
        corrections.apply_corrections,
        flow.refuse_flow,
        flow.refuse_psyk,
        *DUTIES,
        messages.ilr_expected,
        discharge.medicine_until,
        discharge.extended_responsibility_until,
        discharge.plejebolig_late_discharge,
        faerdigbehandling.readiness_checklist,
        faerdigbehandling.Registration,
        faerdigbehandling.missing_reason,
        faerdigbehandling.precondition,
        faerdigbehandling.build_periods,
        faerdigbehandling.refuse_resume,
        faerdigbehandling.refuse_terminal,
        faerdigbehandling.refuse_dispute,
        forloeb.quality,
    )
)


def _refusal(course: Course, event: Event) -> tuple[str, Refused] | None:
    for rule_id, refuse in REFUSALS:
        refused = refuse(course, event)
        if refused is not None:
            return rule_id, refused
    return None


def evaluate(
    events: Sequence[Event], citizen: Citizen, profiles: Profile | Sequence[Profile], now: datetime
) -> Evaluation:
    """Judge one admission's events at `now` (see the module docstring)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    course = Course((), citizen, as_versions(profiles))
    effective = corrections.apply_corrections(events)
    rejected: list[Rejection] = list(effective.refused)
    warnings: list[Warning] = []
    for index, event in effective.events:
        refusal = _refusal(course, event)
        if refusal is not None:
            rule_id, refused = refusal
            rejected.append(Rejection(index, rule_id, refused.key, dict(refused.params)))
            continue
        course = course.with_entry(event, index)
        for warn in EVENT_WARNINGS:
            warnings.extend(warn(course, course.entries[-1]))
    warnings.extend(discharge.plejebolig_late_discharge(course))

    obligations = tuple(flow.judge_possible(course, o) for duty in DUTIES for o in duty(course, now))
    steps, obligations = actions.judge_steps(course, obligations, now, _refusal)
    periods = tuple(faerdigbehandling.build_periods(course, now))
    open_period = faerdigbehandling.open_period(list(periods))
    admitted, left = course.admitted, course.left
    long_stay_hours = course.profile_for(admitted).long_stay_hours
    newest_pfp = course.newest(lambda e: e.is_message("PFP"))
    plan = course.newest_plan
    agreement = course.newest_agreement
    registered = course.first_of("discharge_registered")
    first_usr = course.first(lambda e: e.is_message("USR"))

    return Evaluation(
        obligations=obligations,
        periods=periods,
        days=sum(p.days for p in periods if not p.voided),
        extended_responsibility_until=discharge.extended_responsibility_until(course),
        medicine_until=discharge.medicine_until(course),
        warnings=tuple(warnings),
        rejected=tuple(sorted(rejected, key=lambda r: r.event)),
        admitted_at=local(admitted.at) if admitted else None,
        over_48h=course.over_48h(now, long_stay_hours),
        expected_faerdigbehandlet_on=newest_pfp.get("faerdigbehandlet_date") if newest_pfp else None,  # type: ignore[arg-type]
        faerdigbehandlet_date_certain=bool(newest_pfp.get("date_certain")) if newest_pfp else None,
        planned_discharge_at=local(plan.get("discharge_at")) if plan else None,  # type: ignore[arg-type]
        agreed_discharge_at=local(agreement.get("discharge_at")) if agreement else None,  # type: ignore[arg-type]
        left_at=local(left.at) if left else None,
        discharge_registered_at=local(registered.at) if registered else None,
        faerdigbehandlet_on=open_period.registered if open_period else None,
        reevaluate_at=_reevaluate_at(course, now, long_stay_hours, has_open_period=open_period is not None),
        ilr_expected=messages.ilr_expected(course.citizen),
        unread=messages.unread(course),
        pfp=pfp.newest_pfp(course),
        goes_to_plejebolig=discharge.goes_to_plejebolig(course),
        coordination_requested=pfp.coordination_requested(course),
        coordination_identified=course.first_of("coordination_identified") is not None,
        rehabilitation_start_by=discharge.rehabilitation_start_by(course),
        usr_sent_at=local(first_usr.at) if first_usr else None,
        conference_minutes=pfp.minutes_written(course),
        citizen=course.citizen,
        corrections=effective.corrections,
        forloeb=forloeb.forloeb(course, now),
        sources=sources.fact_sources(course, open_period),
        steps=steps,
        sharing=sharing.in_force(course),
    )


def _reevaluate_at(
    course: Course, now: datetime, long_stay_hours: int, *, has_open_period: bool
) -> datetime | None:
    """The next instant after `now` when the result changes without a new event (overdue aside).

    Besides R-FK-QUALITY's parameters that wait on a due (`forloeb.reevaluate_at`), two things change with
    time alone: the 48-hour mark of a stay not expected to be long (the stay becomes
    "over 48 hours", which may bring R-PFP-DATE), and an open færdigbehandling period, whose days grow at
    each Copenhagen midnight.
    """
    candidates = []
    admitted = course.admitted
    if admitted is not None and course.left is None and admitted.get("expected_stay") != "over_48h":
        mark = add_hours(admitted.at, long_stay_hours)
        if instant(mark) > instant(now):
            candidates.append(mark)
    if has_open_period:
        candidates.append(next_local_midnight(now))
    quality_changes = forloeb.reevaluate_at(course, now)
    if quality_changes is not None:
        candidates.append(quality_changes)
    return min(candidates, key=instant, default=None)
