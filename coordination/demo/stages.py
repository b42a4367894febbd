"""Each stage of the flow the demo shows, as a course that ends there (see `STAGES`)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from coordination.demo.course import (
    COORDINATION_REASONS,
    HOUR,
    MINUTE,
    MUNICIPAL_KM_SUBJECTS,
    WAITING_PLAN_SUBJECTS,
    WAITING_REASONS,
    Course,
    admission_reports,
    admit,
    agree_discharge,
    at,
    floor_minute,
    iso,
    pfp,
    pick,
    plan_to_certain_date,
    planned_time,
    to_local,
)


def _stage_just_admitted(rng: random.Random, now: datetime, variant: int) -> Course:
    """Admitted in the last three hours: only the ADVIS-IND so far; the MILR is due but not overdue (the
    night-shift deadline, 10:00, is at least three hours after an advis in the night)."""
    residence = "plejebolig" if variant % 2 else "own_home"
    admitted = pick(rng, now - 3 * HOUR, now - 20 * MINUTE, daytime=False)
    return admit(rng, now, admitted, residence=residence, expected_stay=rng.choice(("over_48h", "under_48h")))


def _stage_milr_overdue(rng: random.Random, now: datetime, variant: int) -> Course:
    """Admitted 12–30 hours ago and still no MILR: overdue whatever the shift."""
    admitted = pick(rng, now - 30 * HOUR, now - 12 * HOUR, daytime=False)
    return admit(rng, now, admitted)


def _stage_reports(rng: random.Random, now: datetime, variant: int) -> Course:
    """ILR and MILR received, no plan yet."""
    residence = "midlertidig_plads" if variant % 3 == 1 else "own_home"
    course = admit(rng, now, pick(rng, now - 40 * HOUR, now - 14 * HOUR, daytime=False), residence=residence)
    admission_reports(course)
    return course


def _stage_pfp_expected(rng: random.Random, now: datetime, variant: int) -> Course:
    """A PFP with an expected færdigbehandlingsdato a few days ahead; some citizens unknown in EOJ."""
    today = to_local(now).date()
    course = admit(
        rng, now, pick(rng, now - 60 * HOUR, now - 30 * HOUR, daytime=False), known_in_eoj=variant % 2 == 0
    )
    admission_reports(course)
    admitted = course.main[0][0]
    at = pick(rng, max(course.last, admitted + 16 * HOUR), now - 30 * MINUTE)
    pfp(course, at, today + timedelta(days=rng.randint(2, 4)), certain=False)
    return course


def _stage_pfp_certain(rng: random.Random, now: datetime, variant: int) -> Course:
    """A PFP with a certain date tomorrow or the day after, sent in time."""
    today = to_local(now).date()
    course = admit(rng, now, pick(rng, now - 80 * HOUR, now - 50 * HOUR, daytime=False))
    admission_reports(course)
    plan_to_certain_date(course, today + timedelta(days=rng.randint(1, 2)), now - 30 * MINUTE)
    return course


def _stage_coordination(rng: random.Random, now: datetime, variant: int) -> Course:
    """Further coordination needed: the record, a PFP saying so, and the municipality's answer within 24
    hours by KM (or phone); in every third variant the answer has not come."""
    today = to_local(now).date()
    course = admit(rng, now, pick(rng, now - 90 * HOUR, now - 40 * HOUR, daytime=False))
    admission_reports(course)
    admitted = course.main[0][0]
    identified = pick(rng, max(course.last, admitted + 4 * HOUR), admitted + 30 * HOUR)
    course.add(identified, "coordination_identified", reason=rng.choice(COORDINATION_REASONS))
    pfp_at = identified + rng.randint(10, 90) * MINUTE
    pfp(course, pfp_at, today + timedelta(days=rng.randint(2, 4)), certain=False, coordination=True)
    answer = pick(rng, pfp_at + HOUR, min(pfp_at + 23 * HOUR, now - 10 * MINUTE))
    if variant % 3 == 0:
        course.message(answer, "KM", **{"from": "municipality", "subject": rng.choice(MUNICIPAL_KM_SUBJECTS)})
    elif variant % 3 == 1:
        course.add(answer, "municipality_contacted")
    return course


def _stage_discharge_agreed(rng: random.Random, now: datetime, variant: int) -> Course:
    """Discharge planned and agreed by phone for today (when it is still morning) or tomorrow."""
    local_now = to_local(now)
    if local_now.hour < 11:
        discharge_at = planned_time(rng, local_now.date(), 13, 15)
    else:
        discharge_at = planned_time(rng, local_now.date() + timedelta(days=1), 10, 14)
    residence = "plejebolig" if variant % 2 else "own_home"
    course = admit(rng, now, pick(rng, now - 110 * HOUR, now - 60 * HOUR, daytime=False), residence=residence)
    admission_reports(course)
    plan_to_certain_date(course, to_local(discharge_at).date(), now - 3 * HOUR)
    agree_discharge(course, discharge_at, destination=residence, rehabilitation=False)
    return course


def _stage_waiting(rng: random.Random, now: datetime, variant: int) -> Course:
    """Færdigbehandlet on a day before today and still in hospital, waiting (MOF sent); in every third variant
    the municipality has told its plan (R-MUN-PLAN)."""
    today = to_local(now).date()
    registered_day = today - timedelta(days=(1, 3, 5, 2)[variant % 4])
    admitted = at(registered_day - timedelta(days=rng.randint(3, 5)), rng.randint(7, 22), rng.randint(0, 59))
    course = admit(rng, now, admitted)
    admission_reports(course)
    plan_to_certain_date(course, registered_day, at(registered_day, 0))
    reasons = sorted(rng.sample(WAITING_REASONS, rng.choice((1, 1, 2))))
    registered = pick(rng, at(registered_day, 8), at(registered_day, 15))
    course.add(registered, "faerdigbehandlet", date=registered_day.isoformat(), waiting_for=reasons)
    if variant % 3 == 1:
        answer = pick(rng, registered + HOUR, min(registered + 30 * HOUR, now - 10 * MINUTE))
        course.message(answer, "KM", **{"from": "municipality", "subject": rng.choice(WAITING_PLAN_SUBJECTS)})
    return course


def _stage_relapse(rng: random.Random, now: datetime, variant: int) -> Course:
    """Færdigbehandlet, then a relapse: behandling genoptaget (MOF-GENOPTAGET) and a new expected date."""
    today = to_local(now).date()
    registered_day = today - timedelta(days=rng.randint(3, 4))
    admitted = at(registered_day - timedelta(days=rng.randint(3, 4)), rng.randint(7, 22), rng.randint(0, 59))
    course = admit(rng, now, admitted)
    admission_reports(course)
    plan_to_certain_date(course, registered_day, at(registered_day, 0))
    registered = pick(rng, at(registered_day, 8), at(registered_day, 14))
    course.add(registered, "faerdigbehandlet", date=registered_day.isoformat(), waiting_for=["hjemmepleje"])
    resume_day = registered_day + timedelta(days=rng.randint(1, 2))
    resumed = pick(rng, at(resume_day, 7), at(resume_day, 16))
    course.add(resumed, "treatment_resumed", reason="relapse")
    new_plan = pick(rng, resumed + HOUR, resumed + 5 * HOUR)
    pfp(course, new_plan, today + timedelta(days=rng.randint(2, 4)), certain=False)
    return course


def _stage_usr_sent(rng: random.Random, now: datetime, variant: int) -> Course:
    """Discharge agreed and the USR sent; the citizen has not left yet."""
    local_now = to_local(now)
    today = local_now.date()
    if local_now.hour < 11:  # discharge this afternoon, USR written yesterday afternoon
        discharge_at = planned_time(rng, today, 13, 15)
        usr_window = (at(today - timedelta(days=1), 12), at(today - timedelta(days=1), 16))
    elif local_now.hour < 14:  # discharge this afternoon, USR this morning
        discharge_at = planned_time(rng, today, 14, 15)
        usr_window = (at(today, 8), at(today, 10, 45))
    else:  # discharge tomorrow morning, USR today
        discharge_at = planned_time(rng, today + timedelta(days=1), 10, 12)
        usr_window = (at(today, 8), at(today, 13))
    residence = "plejebolig" if variant % 2 else "own_home"
    course = admit(rng, now, pick(rng, now - 120 * HOUR, now - 70 * HOUR, daytime=False), residence=residence)
    admission_reports(course)
    plan_to_certain_date(course, to_local(discharge_at).date(), usr_window[0] - 3 * HOUR)
    agree_discharge(course, discharge_at, destination=residence, rehabilitation=False)
    course.message(pick(rng, max(course.last, usr_window[0]), usr_window[1]), "USR")
    return course


def _discharged_course(
    rng: random.Random, now: datetime, left: datetime, *, residence: str, rehabilitation: bool
) -> Course:
    """A whole course up to a departure at `left`: plan, agreement, USR (and GOP) before leaving, and the
    discharge registered within two hours (R-ADVIS-UD)."""
    day = to_local(left).date()
    course = admit(rng, now, left - rng.randint(66, 140) * HOUR, residence=residence)
    admission_reports(course)
    plan_to_certain_date(course, day, left)
    planned = floor_minute(left) - rng.choice((0, 5, 15, 30)) * MINUTE
    agree_discharge(course, planned, destination=residence, rehabilitation=rehabilitation)
    course.message(pick(rng, max(course.last, at(day, 7, 30)), left - 40 * MINUTE), "USR")
    if rehabilitation:
        course.message(pick(rng, course.last, left - 10 * MINUTE), "GOP")
    course.add(left, "left_ward")
    course.add(left + rng.randint(10, 55) * MINUTE, "discharge_registered")
    return course


def _stage_discharged(rng: random.Random, now: datetime, variant: int) -> Course:
    """Left the ward within the last day and the discharge registered."""
    local_now = to_local(now)
    day = (
        local_now.date()
        if local_now.hour * 60 + local_now.minute >= 12 * 60 + 30
        else local_now.date() - timedelta(days=1)
    )
    left = pick(rng, at(day, 9), at(day, 11, 30) if day == local_now.date() else at(day, 16))
    residence = "plejebolig" if variant % 3 == 2 else "own_home"
    return _discharged_course(rng, now, left, residence=residence, rehabilitation=variant % 2 == 1)


def _stage_rehabilitation(rng: random.Random, now: datetime, variant: int) -> Course:
    """Discharged 2–6 days ago with a genoptræningsplan; rehabilitation started unless its day is to come."""
    today = to_local(now).date()
    day = today - timedelta(days=rng.randint(2, 6))
    left = pick(rng, at(day, 9), at(day, 15))
    course = _discharged_course(rng, now, left, residence="own_home", rehabilitation=True)
    start_day = day + timedelta(days=rng.randint(1, 6))
    if start_day < today:
        course.add(pick(rng, at(start_day, 8), at(start_day, 15)), "rehabilitation_started")
    return course


def _stage_short_stay(rng: random.Random, now: datetime, variant: int) -> Course:
    """A short stay (under 48 hours) of a citizen unknown in EOJ: no ILR or MILR expected; the discharge is
    agreed by phone, or the citizen needs only practical help and contacts the municipality themselves."""
    admitted = pick(rng, now - 30 * HOUR, now - 18 * HOUR, daytime=False)
    course = admit(rng, now, admitted, known_in_eoj=False, expected_stay="under_48h")
    # The next planned slot at least an hour ahead, in the day (09:00–17:00), well within the 48 hours.
    soon = to_local(now + HOUR)
    if soon.hour < 9:
        discharge_at = at(soon.date(), 9)
    elif soon.hour >= 17:
        discharge_at = at(soon.date() + timedelta(days=1), 9)
    else:
        discharge_at = at(soon.date(), soon.hour, 0) + timedelta(minutes=15 * (soon.minute // 15 + 1))
    practical = variant % 2 == 1
    course.add(
        pick(rng, admitted + 2 * HOUR, now - 20 * MINUTE),
        "discharge_planned",
        discharge_at=iso(discharge_at),
        needs_changed=not practical,
        practical_help_only=practical,
        municipal_nursing=not practical,
        destination="own_home",
        rehabilitation_needed=False,
    )
    if not practical:
        course.add(
            pick(rng, course.last, now - 5 * MINUTE), "phone_agreement", discharge_at=iso(discharge_at)
        )
    return course


Stage = Callable[[random.Random, datetime, int], Course]

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


def waited_then_home(rng: random.Random, now: datetime, variant: int) -> Course:
    """History only (demo.historic_timelines): færdigbehandlet and waiting for one to five days (the fee
    days the figures count), then the discharge agreed, the USR sent and the citizen home."""
    course = _stage_waiting(rng, now - 8 * 24 * HOUR, variant)
    course.now = now
    left = pick(rng, course.last + 30 * HOUR, course.last + 5 * 24 * HOUR)
    agree_discharge(course, floor_minute(left) - 15 * MINUTE, destination="own_home", rehabilitation=False)
    course.message(pick(rng, course.last, left - 40 * MINUTE), "USR")
    course.add(left, "left_ward")
    course.add(left + rng.randint(10, 55) * MINUTE, "discharge_registered")
    return course
