"""Refusals of events that break the course: R-FLOW and R-PSYK.

A refusal unit takes the course so far (accepted events only) and the new event, and returns why the event
is refused (`Refused`: a text key and its parameters, made into a sentence by coordination.texts), else None.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from .calendar import local_date
from .course import Course
from .registry import REFUSAL, rule
from .types import Event, Obligation, Refused, Step

# What may still be recorded once the citizen has left the ward (RULES.md R-FLOW). `mof_disputed` is an
# administrative marking of a MOF, not a step of the course: disputes usually come after the departure.
_AFTER_DEPARTURE_MESSAGES = ("KM", "USR", "GOP")
_AFTER_DEPARTURE_TYPES = (
    "message_read",
    "discharge_registered",
    "rehabilitation_started",
    "mof_disputed",
    "citizen_changed",
    # R-FK: the follow-up home visit and the end of the course come after the departure; the coordinator
    # may change then too, and the epikrise goes to the GP at discharge.
    "fk_included",
    "fk_coordinator_changed",
    "fk_visit_planned",
    "fk_visit_done",
    "fk_ended",
    "epikrise_sent",
    # Sundhedsloven § 41: the citizen may change their mind about sharing after leaving too.
    "sharing_wishes",
)

# R-PSYK: the MedCom reports not used for the social area (seed 002, footnotes 4 and 7).
PSYK_UNUSED_CODES = ("ILR", "MILR", "PFP", "GOP", "USR")


@rule("R-FLOW", "Forløbets rækkefølge", "RULES.md (seed 000 Forløbsflow)", REFUSAL)
def refuse_flow(course: Course, event: Event) -> Refused | None:
    """Events that break the course are refused.

    A second admission, departure or discharge registration; a discharge registration before the citizen
    has left; and after the departure anything but a KM, USR or GOP message, a read, the discharge
    registration or the start of rehabilitation.
    """
    kind = event.type
    if kind == "admitted" and course.admitted is not None:
        return Refused("flow.already_admitted")
    if kind == "left_ward" and course.left is not None:
        return Refused("flow.already_left")
    if kind == "discharge_registered":
        if course.first_of("discharge_registered") is not None:
            return Refused("flow.already_discharged")
        if course.left is None:
            return Refused("flow.discharge_before_leaving")
        return None
    if course.left is not None:
        if kind == "message" and event.data.get("code") in _AFTER_DEPARTURE_MESSAGES:
            return None
        if kind in _AFTER_DEPARTURE_TYPES:
            return None
        left = local_date(course.left.at).isoformat()
        if kind == "message":
            return Refused("flow.message_after_leaving", {"code": event.data.get("code"), "left": left})
        return Refused("flow.event_after_leaving", {"event_type": kind, "left": left})
    return None


@rule("R-PSYK", "Socialområdet: KM i stedet for rapporter", "002 (fodnote 4 og 7)", REFUSAL)
def refuse_psyk(course: Course, event: Event) -> Refused | None:
    """For a citizen of the regional or municipal social area who is not also in municipal elderly care
    (not known in EOJ), the midtjylland agreement uses no ILR/MILR, PFP, GOP or USR: recording one is
    refused; communication goes by KM, with phone as needed.
    """
    if event.type != "message" or event.data.get("code") not in PSYK_UNUSED_CODES:
        return None
    profile = course.profile_on(local_date(event.at))
    if not course.psyk_applies(profile):
        return None
    return Refused("psyk.not_used", {"code": event.data.get("code")})


# The steps that meet each duty rule (issue 14), in the order a person would take them: a message by its
# code, or an event type. Every duty rule with a step a person records is listed (R-READ's read is posted when
# the receiving side opens the page). A KM meets a duty only when it comes from the duty's owner (the side
# that sends it).
FULFILLED_BY: dict[str, tuple[Step, ...]] = {
    "R-MILR": (Step("message", "MILR"),),
    "R-PFP-COORD": (Step("message", "PFP"),),
    "R-MUN-24H": (Step("message", "KM"), Step("municipality_contacted")),
    "R-PFP-DATE": (Step("message", "PFP"),),
    "R-PFP-ALWAYS": (Step("message", "PFP"),),
    "R-PFP-ACK": (Step("message", "KM"),),
    "R-CONFERENCE": (Step("message", "PFP"),),
    "R-CONFERENCE-MINUTES": (Step("message", "PFP"),),
    "R-CALL-13": (Step("phone_agreement"),),
    "R-USR": (Step("message", "USR"),),
    "R-ADVIS-UD": (Step("discharge_registered"),),
    "R-READ": (Step("message_read"),),
    "R-GOP-SEND": (Step("message", "GOP"),),
    "R-GOP-START": (Step("rehabilitation_started"),),
    "R-GOP-ANSWER": (Step("message", "KM"),),
    "R-MUN-PLAN": (Step("message", "KM"), Step("municipality_contacted"), Step("phone_agreement")),
    "R-FK": (Step("fk_visit_done"),),
}


def probe(step: Step, at: datetime, **data: object) -> Event:
    """The step as an event at `at`, with the least data the refusal rules read."""
    values = dict(data)
    if step.code is not None:
        values["code"] = step.code
    return Event(type=step.type, at=at, data=values)


def judge_possible(course: Course, obligation: Obligation) -> Obligation:
    """R-FLOW: an open obligation whose meeting steps R-FLOW would all refuse now can no longer be met; it is
    marked so (`possible`, with the refusal's key), for the sweep to skip and the screens to show missed."""
    steps = FULFILLED_BY.get(obligation.rule, ())
    if not steps or obligation.met_at is not None or course.left is None:
        return obligation
    refusals = [refuse_flow(course, probe(step, course.left.at)) for step in steps]
    if any(refused is None for refused in refusals):
        return obligation
    return replace(obligation, possible=False, impossible_reason=refusals[0].key)  # type: ignore[union-attr]
