"""Corrections on the timeline (issue 12): an event marked entered in error, or some of its values corrected.

Nothing is edited or deleted: each correction is a new event naming the corrected one by its sequence, with
the reason; the engine then judges the timeline without it, or with the corrected values (R-CORRECTION,
`rules/corrections.py`), and obligations, periods and the board follow in the same transaction. Only the
side that recorded an event corrects it (an event the system recorded, e.g. from MedCom: the side whose
event type it is, or either side for a type both record)."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError
from django.utils import timezone

from coordination import rules
from coordination.models import Admission, Event, Side
from coordination.rules.corrections import RULE as CORRECTION_RULE
from coordination.services.core import (
    Actor,
    ServiceError,
    _append,
    _required_side,
)
from coordination.services.derived import to_json as _to_json


def mark_entered_in_error(
    admission: Admission,
    *,
    actor: Actor,
    event: int | Event,
    reason: str,
    expected_version: int | None = None,
    at: datetime | None = None,
    now: datetime | None = None,
) -> Event:
    """Mark an earlier event as entered in error: the rules judge the timeline without it from now on."""
    target, reason = _target(admission, actor, event, reason)
    data = {"event": target.sequence, "reason": reason}
    return _record(admission, "entered_in_error", data, actor, at, now, expected_version)


def correct_event(
    admission: Admission,
    *,
    actor: Actor,
    event: int | Event,
    values: dict,
    reason: str,
    expected_version: int | None = None,
    at: datetime | None = None,
    now: datetime | None = None,
) -> Event:
    """Give some of an earlier event's values anew (a phone agreement's agreed time, a PFP's date …): the
    rules judge the event with them, in its own place. Its time, type and message code stay."""
    target, reason = _target(admission, actor, event, reason)
    if not isinstance(values, dict) or not values:
        raise ServiceError("correction.value_missing", field="values")
    raw = {name: _to_json(value) for name, value in values.items()}
    try:
        rules.parse_values(target.as_rules_event(), raw, "rettelsen")
    except rules.TimelineError as error:
        field = next(iter(raw)) if len(raw) == 1 else None
        if error.key:
            raise ServiceError(error.key, error.params, field=field, rule=CORRECTION_RULE) from error
        detail = str(error).removeprefix("rettelsen: ")
        raise ServiceError(
            "correction.invalid", {"detail": detail}, field=field, rule=CORRECTION_RULE
        ) from error
    data = {"event": target.sequence, "reason": reason, "values": raw}
    return _record(admission, "corrected", data, actor, at, now, expected_version)


def corrector_side(event: Event) -> str | None:
    """Who may correct an event: the side that recorded it; for the system's, the side of its type (None:
    either side)."""
    if event.recorded_by_side != Side.SYSTEM:
        return event.recorded_by_side
    return _required_side(event.type, event.data)


def _target(admission: Admission, actor: Actor, event: int | Event, reason: str) -> tuple[Event, str]:
    sequence = event.sequence if isinstance(event, Event) else event
    target = admission.events.filter(sequence=sequence).first() if isinstance(sequence, int) else None
    if target is None:
        raise ServiceError("correction.not_on_admission", field="event")
    side = corrector_side(target)
    if actor.side != Side.SYSTEM and side is not None and actor.side != side:
        raise ServiceError("correction.wrong_side", {"side": side})
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("correction.reason", field="reason")
    return target, reason


def _record(admission, event_type, data, actor, at, now, expected_version) -> Event:
    now = now or timezone.now()
    try:
        return _append(admission, event_type, at or now, data, actor, now, expected_version)
    except IntegrityError as error:
        # The corrected course would break what the database keeps true across admissions: a departure in
        # error while the citizen has been admitted again (one live admission per citizen).
        raise ServiceError("correction.readmitted") from error
    except ServiceError as error:
        if error.rule in (None, CORRECTION_RULE):
            raise
        # The correction itself is fine, but a later event would then be refused (a discharge registration
        # whose departure is marked in error): the correction is refused, naming why.
        because = {"key": error.key, "params": error.params}
        raise ServiceError("correction.would_refuse", {"because": because}, rule=error.rule) from error
