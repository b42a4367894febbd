"""Recording a parsed timeline event (replay, load_timelines) through the service of its type: one table, so a
replayed event goes through exactly the checks a person's action does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from coordination import rules
from coordination.models import Admission, Event
from coordination.services import (
    admissions,
    corrections,
    discharge,
    faerdigbehandling,
    forloeb,
    messages,
    sharing,
)
from coordination.services.core import Actor, ServiceError

# event type -> how to call its service: (admission, the event's data, at/actor/now) -> the recorded event.
Recorder = Callable[[Admission, dict, dict], Event]

RECORDERS: dict[str, Recorder] = {
    "message": lambda a, d, kw: messages.send_message(a, d.pop("code"), **d, **kw),
    "message_read": lambda a, d, kw: messages.mark_read(a, d["code"], by=d["by"], **kw),
    "coordination_identified": lambda a, d, kw: discharge.identify_coordination(a, reason=d["reason"], **kw),
    "discharge_planned": lambda a, d, kw: discharge.plan_discharge(a, **d, **kw),
    "phone_agreement": lambda a, d, kw: discharge.record_phone_agreement(
        a, discharge_at=d["discharge_at"], **kw
    ),
    "municipality_contacted": lambda a, d, kw: discharge.record_municipality_contact(a, **kw),
    "conference_planned": lambda a, d, kw: discharge.plan_conference(
        a, conference_at=d["conference_at"], **kw
    ),
    "conference_held": lambda a, d, kw: discharge.hold_conference(
        a, discharge_at=d.get("discharge_at"), minutes=d.get("minutes") or "", **kw
    ),
    "faerdigbehandlet": lambda a, d, kw: faerdigbehandling.register_faerdigbehandlet(
        a, faerdigbehandlet_on=d["date"], waiting_for=d.get("waiting_for", ()), **kw
    ),
    "treatment_resumed": lambda a, d, kw: faerdigbehandling.resume_treatment(a, reason=d["reason"], **kw),
    "mof_disputed": lambda a, d, kw: faerdigbehandling.dispute_mof(a, note=d["note"], **kw),
    "left_ward": lambda a, d, kw: discharge.record_departure(a, **kw),
    "discharge_registered": lambda a, d, kw: discharge.register_discharge(a, **kw),
    "rehabilitation_started": lambda a, d, kw: discharge.start_rehabilitation(a, **kw),
    # A move names its places by name and code (docs/replay.md), never by this database's ids (issue 11).
    "transferred": lambda a, d, kw: admissions.record_transfer(a, d, **kw),
    "leave_started": lambda a, d, kw: discharge.record_leave(a, started=True, **kw),
    "leave_ended": lambda a, d, kw: discharge.record_leave(a, started=False, **kw),
    "citizen_changed": lambda a, d, kw: admissions.change_citizen_facts(a, **d, **kw),
    # `event` is the corrected event's sequence here (record_timeline maps the input's index to it).
    "entered_in_error": lambda a, d, kw: corrections.mark_entered_in_error(
        a, event=d["event"], reason=d["reason"], **kw
    ),
    "corrected": lambda a, d, kw: corrections.correct_event(
        a, event=d["event"], values=d["values"], reason=d["reason"], **kw
    ),
    # R-FK: the coordinator by user name (docs/replay.md); the side they work for comes from the user.
    "fk_included": lambda a, d, kw: forloeb.include(
        a,
        criteria=d["criteria"],
        coordinator=forloeb.coordinator_named(d["coordinator"]),
        judgement=d.get("judgement") or "",
        by=d["by"],
        **kw,
    ),
    "fk_coordinator_changed": lambda a, d, kw: forloeb.change_coordinator(
        a, coordinator=forloeb.coordinator_named(d["coordinator"]), **kw
    ),
    "fk_visit_planned": lambda a, d, kw: forloeb.plan_home_visit(a, due_on=d["due_on"], **kw),
    "fk_visit_done": lambda a, d, kw: forloeb.record_home_visit(a, note=d.get("note") or "", **kw),
    "fk_ended": lambda a, d, kw: forloeb.end_course(a, note=d["note"], **kw),
    "epikrise_sent": lambda a, d, kw: forloeb.record_epikrise(a, on_time=d["on_time"], **kw),
    "sharing_wishes": lambda a, d, kw: sharing.record_sharing_wishes(a, **d, **kw),
}


def record_event(
    admission: Admission, event: rules.Event, *, actor: Actor, now: datetime | None = None
) -> Event:
    """Record a parsed timeline event (replay, load_timelines) through the service of its type."""
    recorder = RECORDERS.get(event.type)
    if recorder is None:
        raise ServiceError("service.unknown_event", {"event_type": event.type})
    return recorder(admission, dict(event.data), {"at": event.at, "actor": actor, "now": now})
