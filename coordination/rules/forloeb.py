"""Forløbskoordination for særligt svækkede ældre medicinske patienter: R-FK and R-FK-QUALITY (seed 004).

Either side includes the citizen (`fk_included`) with the criteria of seed 004 ticked and a named
coordinator; the coordinator may change (`fk_coordinator_changed`), sets the due of the follow-up home visit
after discharge (`fk_visit_planned`), records the visit (`fk_visit_done`) and ends the course with a note
(`fk_ended`). The six quality parameters per course are judged from the same timeline; the epikrise goes to
the GP, not through the board, so the hospital records it as a fact (`epikrise_sent`).
"""

from __future__ import annotations

from datetime import datetime

from .calendar import end_of_day, instant, local, local_date
from .course import Course, Entry, obligation
from .faerdigbehandling import build_periods
from .messages import ilr_expected, milr, usr
from .pfp import _acknowledges, pfp_date
from .registry import DUTY, FACT, rule
from .types import (
    FK_QUALITY,
    LATE,
    MET,
    OVERDUE,
    Event,
    ForloebFact,
    Obligation,
    Refused,
)
from .why import generic, why

FK_EVENT_TYPES = ("fk_included", "fk_coordinator_changed", "fk_visit_planned", "fk_visit_done", "fk_ended")


def _included(course: Course) -> Entry | None:
    return course.first_of("fk_included")


def _coordinator(course: Course) -> Entry | None:
    """The newest naming of the coordinator: the inclusion or a later change."""
    return course.newest(lambda e: e.type in ("fk_included", "fk_coordinator_changed"))


def _side_of(entry: Entry) -> str:
    return str(entry.get("coordinator_side") or entry.get("by"))


def refuse_forloeb(course: Course, event: Event) -> Refused | None:
    """R-FK's refusals (the rule's one registered unit is `home_visit`). One course of forløbskoordination
    per admission, in its order: an inclusion needs at least one of seed 004's criteria ticked (they support
    the professional judgement) and comes once; a change of coordinator, the home visit and the end need an
    inclusion that has not ended. The follow-up home visit is
    after discharge: its due is not before the departure date (the admission's date before it), and it is
    done once, after the citizen has left. The course ends with a note.
    """
    kind = event.type
    if kind not in FK_EVENT_TYPES:
        return None
    included = _included(course)
    if kind == "fk_included":
        if included is not None:
            return Refused("fk.already_included")
        if not event.data.get("criteria"):
            return Refused("fk.no_criteria")
        return None
    if included is None:
        return Refused("fk.not_included")
    if course.first_of("fk_ended") is not None:
        return Refused("fk.ended")
    done = course.first_of("fk_visit_done")
    if kind == "fk_visit_planned":
        if done is not None:
            return Refused("fk.visit_already_done")
        first_day = local_date(course.left.at if course.left is not None else course.admitted.at)  # type: ignore[union-attr]
        if event.data["due_on"] < first_day:
            key = (
                "fk.visit_due_before_departure"
                if course.left is not None
                else "fk.visit_due_before_admission"
            )
            return Refused(key, {"day": first_day.isoformat()})
    if kind == "fk_visit_done":
        if course.left is None:
            return Refused("fk.visit_before_departure")
        if done is not None:
            return Refused("fk.visit_already_recorded")
    if kind == "fk_ended" and not str(event.data.get("note", "")).strip():
        return Refused("fk.end_note")
    return None


@rule("R-FK", "Opfølgende hjemmebesøg efter udskrivelsen", "004 (Organisering)", DUTY)
def home_visit(course: Course, now: datetime) -> list[Obligation]:
    """The follow-up home visit after discharge is the coordinator's: owned by the side the newest
    coordinator works for, due the end of the date the coordinator set (the newest plan; no due until one is
    set: "hurtigst muligt"), met by the visit. Listed once the citizen is included, unless the course ended
    before the citizen left (no visit after a discharge that did not come).
    """
    included = _included(course)
    if included is None:
        return []
    ended, left = course.first_of("fk_ended"), course.left
    if ended is not None and (left is None or left.pos > ended.pos):
        return []
    plan = course.newest_of("fk_visit_planned")
    due = end_of_day(plan.get("due_on")) if plan is not None else None  # type: ignore[arg-type]
    reason = generic(included, None)
    if plan is not None:
        reason = why("why.fk_visit", plan, due, day=plan.get("due_on"))
    done = course.first_of("fk_visit_done")
    owner = _side_of(_coordinator(course))  # type: ignore[arg-type]
    return [obligation("R-FK", owner, due, done, now, label="Opfølgende hjemmebesøg", why=reason)]


def _before_departure(course: Course, predicate) -> bool | None:
    """True when an event matching came before the departure (so far, before it); False once the citizen
    left without one; None while the citizen is still admitted and none came yet."""
    left = course.left
    found = course.first(predicate)
    if found is not None and (left is None or found.pos < left.pos):
        return True
    return False if left is not None else None


def _judged(status: str, left: bool) -> bool | None:
    if status == MET:
        return True
    if status in (LATE, OVERDUE):
        return False
    return False if left else None


@rule("R-FK-QUALITY", "Kvalitetsparametre for forløbskoordination", "004 (Evaluering)", FACT)
def quality(course: Course, now: datetime) -> dict[str, bool | None]:
    """Seed 004's six parameters of one course, each True, False or None (does not apply / not decided):

    - `ilr`: relevant and timely information at admission: R-MILR met on time where it applies, else the
      automatic ILR where one is expected (R-ILR); not applicable for a citizen unknown in EOJ;
    - `discharge_plan`: a joint plan for the discharge before the departure: a phone agreement, a planning
      conference held, or a PFP the municipality acknowledged (the profile's subject, R-PFP-ACK);
    - `pfp`: a PFP made before the discharge (not where R-PSYK rules PFPs out);
    - `mof`: the MOF within the agreed deadlines: no kept færdigbehandlet registration made while R-PFP-DATE,
      judged at that moment, was late or overdue (R-FB-PRECOND's test); does not apply without a MOF;
    - `usr`: R-USR met on time;
    - `epikrise`: the epikrise went to the GP on time, as the hospital recorded it; not met when the course
      ended without a record.
    """
    left = course.left is not None
    result: dict[str, bool | None] = dict.fromkeys(FK_QUALITY)

    milr_duty = milr(course, now)
    if milr_duty:
        result["ilr"] = _judged(milr_duty[0].status, left)
    elif ilr_expected(course.citizen):
        result["ilr"] = _before_departure(course, lambda e: e.is_message("ILR", "MILR"))

    def joint_plan(entry: Entry) -> bool:
        if entry.type in ("phone_agreement", "conference_held"):
            return True
        if not entry.is_message("PFP"):
            return False
        answered = course.first(_acknowledges(course.profile_for(entry).pfp_ack_subject), after=entry)
        return answered is not None and (course.left is None or answered.pos < course.left.pos)

    result["discharge_plan"] = _before_departure(course, joint_plan)
    if not course.psyk_applies(course.profile_for(course.admitted)):
        result["pfp"] = _before_departure(course, lambda e: e.is_message("PFP"))

    kept = {p.registered_at for p in build_periods(course, now) if not p.voided}
    registrations = [e for e in course.all(lambda e: e.type == "faerdigbehandlet") if e.at in kept]
    if registrations:
        result["mof"] = not any(
            o.status in (LATE, OVERDUE) for e in registrations for o in pfp_date(course.before(e), e.at)
        )

    usr_duty = usr(course, now)
    if usr_duty:
        result["usr"] = _judged(usr_duty[0].status, left)

    epikrise = course.first_of("epikrise_sent")
    if epikrise is not None:
        result["epikrise"] = bool(epikrise.get("on_time"))
    elif course.first_of("fk_ended") is not None:
        result["epikrise"] = False
    return result


def reevaluate_at(course: Course, now: datetime) -> datetime | None:
    """When R-FK-QUALITY changes with time alone: an open R-MILR or R-USR of an included course turns a
    parameter from undecided to not met at its due."""
    if _included(course) is None:
        return None
    dues = [
        o.due for o in (*milr(course, now), *usr(course, now)) if o.status == "open" and o.due is not None
    ]
    return min(dues, key=instant, default=None)


def forloeb(course: Course, now: datetime) -> ForloebFact | None:
    """The course of forløbskoordination as the screens and the yearly report read it, or None."""
    included = _included(course)
    if included is None:
        return None
    coordinator = _coordinator(course)
    plan = course.newest_of("fk_visit_planned")
    done = course.first_of("fk_visit_done")
    ended = course.first_of("fk_ended")
    return ForloebFact(
        included_at=local(included.at),
        included_by=str(included.get("by")),
        criteria=tuple(included.get("criteria") or ()),  # type: ignore[arg-type]
        coordinator=str(coordinator.get("coordinator")),  # type: ignore[union-attr]
        coordinator_side=_side_of(coordinator),  # type: ignore[arg-type]
        visit_due_on=plan.get("due_on") if plan is not None else None,  # type: ignore[arg-type]
        visit_done_at=local(done.at) if done is not None else None,
        ended_at=local(ended.at) if ended is not None else None,
        quality=quality(course, now),
    )
