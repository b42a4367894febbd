"""Refusals of events that break the course: R-FLOW and R-PSYK.

A refusal unit takes the course so far (accepted events only) and the new event, and returns why the event
is refused (`Refused`: a text key and its parameters, made into a sentence by coordination.texts), else None.
"""

from __future__ import annotations

from dataclasses import replace

from .calendar import local_date
from .course import Course
from .registry import REFUSAL, rule
from .types import Event, Obligation, Refused

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


# The step that meets each duty, as R-FLOW judges it (issue 14): a message by its code, or an event type.
# Duties met by a step R-FLOW always allows (a KM, USR, GOP, a read, the discharge registration …) are not
# listed: they stay possible.
FULFILLED_BY = {
    "R-PFP-COORD": ("message", "PFP"),
    "R-PFP-DATE": ("message", "PFP"),
    "R-PFP-ALWAYS": ("message", "PFP"),
    "R-CONFERENCE": ("message", "PFP"),
    "R-CONFERENCE-MINUTES": ("message", "PFP"),
    "R-MILR": ("message", "MILR"),
    "R-CALL-13": ("phone_agreement", None),
}


def judge_possible(course: Course, obligation: Obligation) -> Obligation:
    """R-FLOW: an open obligation whose meeting step R-FLOW would now refuse can no longer be met; it is
    marked so (`possible`, with the refusal's key), for the sweep to skip and the screens to show missed."""
    step = FULFILLED_BY.get(obligation.rule)
    if step is None or obligation.met_at is not None or course.left is None:
        return obligation
    kind, code = step
    probe = Event(type=kind, at=course.left.at, data={"code": code} if code else {})
    refused = refuse_flow(course, probe)
    if refused is None:
        return obligation
    return replace(obligation, possible=False, impossible_reason=refused.key)
