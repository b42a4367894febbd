"""Planning the discharge and the departure: coordination, plans, phone agreements, conferences, leaving."""

from __future__ import annotations

from datetime import datetime

from coordination.models import Admission, Event
from coordination.services.core import Actor, ServiceError, _append, recorder


def identify_coordination(
    admission: Admission,
    *,
    at: datetime,
    reason: str,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """The hospital records a need for further coordination, with its reason (R-PFP-COORD)."""
    if not reason.strip():
        raise ServiceError("service.coordination_reason", field="reason")
    return _append(
        admission, "coordination_identified", at, {"reason": reason.strip()}, actor, now, expected_version
    )


def plan_discharge(
    admission: Admission,
    *,
    at: datetime,
    discharge_at: datetime,
    needs_changed: bool,
    practical_help_only: bool,
    municipal_nursing: bool,
    destination: str,
    rehabilitation_needed: bool = False,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """The hospital plans the discharge; a later plan replaces it (R-CALL-13, R-USR, R-GOP-SEND, R-72H)."""
    data = dict(
        discharge_at=discharge_at,
        needs_changed=needs_changed,
        practical_help_only=practical_help_only,
        municipal_nursing=municipal_nursing,
        destination=destination,
        rehabilitation_needed=rehabilitation_needed,
    )
    return _append(admission, "discharge_planned", at, data, actor, now, expected_version)


record_phone_agreement = recorder(
    "phone_agreement",
    "Hospital and municipality agreed the discharge time by phone (R-CALL-13).",
    "discharge_at",
)


record_municipality_contact = recorder(
    "municipality_contacted", "The municipality contacted the hospital by phone (R-MUN-24H, R-MUN-PLAN)."
)


plan_conference = recorder(
    "conference_planned", "A planning conference is called (R-CONFERENCE).", "conference_at"
)


def hold_conference(
    admission: Admission,
    *,
    at: datetime,
    discharge_at: datetime | None = None,
    minutes: str = "",
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """The planning conference took place, with its minutes, and may fix the discharge time
    (R-CONFERENCE-MINUTES: the decisions go into an updated PFP)."""
    data = {"discharge_at": discharge_at, "minutes": minutes.strip() or None}
    return _append(admission, "conference_held", at, data, actor, now, expected_version)


record_departure = recorder(
    "left_ward", "The citizen left the ward (R-USR due, R-ADVIS-UD starts, R-72H window)."
)


register_discharge = recorder(
    "discharge_registered", "The discharge is registered; the udskrivningsadvis follows (R-ADVIS-UD)."
)


start_rehabilitation = recorder(
    "rehabilitation_started", "The municipality started rehabilitation (R-GOP-START)."
)


def record_leave(
    admission: Admission,
    *,
    started: bool,
    at: datetime,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """Leave at home begins or ends (MedCom STOR/SLOR). Shown on the timeline; no duty depends on it."""
    kind = "leave_started" if started else "leave_ended"
    return _append(admission, kind, at, {}, actor, now, expected_version)
