"""MedCom corrections (RE_) and cancellations (AN_) of a HospitalNotification (issue 12, STANDARDS § 3.4 rule
6) on the timeline: the facts of the notice they refer to (their own Provenance's entity, role `revision` or
`removal`) are marked entered in error (R-CORRECTION) by the sending side, and for RE_ recorded anew at the
right time. A message received twice is a duplicate (`medcom.receive_message`), so applying is idempotent."""

from __future__ import annotations

from datetime import datetime

from coordination.medcom.messages import Message
from coordination.models import Event, MedcomMessage, MedcomStatus
from coordination.services.core import ServiceError, _append
from coordination.services.medcom import REASON_CANCELLED_STAY, REASON_CORRECTION, _actor, _facts, _store


def _referenced(message: Message, role: str) -> str:
    """The id of the notice a RE_/AN_ refers to: its own Provenance's entity (role revision/removal)."""
    for history in message.history:
        if history.message_id == message.message_id:
            for entity_role, message_id in history.previous:
                if entity_role == role:
                    return message_id
    return ""


def _original(message: Message, row: MedcomMessage, role: str) -> MedcomMessage:
    """The notice a RE_/AN_ refers to, recorded here; one unknown here (or only held or filtered, so not on
    the timeline) is refused, naming it: the sender resends it once the notice is recorded."""
    reference = _referenced(message, role)
    original = MedcomMessage.objects.filter(message_id=reference).first() if reference else None
    if original is None or original.status != MedcomStatus.RECORDED:
        raise ServiceError(
            "service.medcom_unknown_reference", {"event": message.event, "id": reference or "-"}
        )
    row.admission = original.admission
    return original


def _in_error(message: Message, event: Event, now: datetime) -> Event | None:
    """Mark one fact of a cancelled or revised notice entered in error (R-CORRECTION), once."""
    from coordination.services.corrections import mark_entered_in_error

    if event.admission.events.filter(type="entered_in_error", data__event=event.sequence).exists():
        return None
    reason = f"MedCom {message.event} {message.message_id}"
    return mark_entered_in_error(event.admission, actor=_actor(message), event=event, reason=reason, now=now)


def revise(message: Message, row: MedcomMessage, now: datetime) -> tuple[str, str, MedcomMessage]:
    """RE_ (rule 6: wrong department or time): a fact whose time changed is marked entered in error and
    recorded anew at the right time (R-CORRECTION gives no event a new time). The admission itself is never
    in error, so a RE_ that moves the start of the stay it opened is held for an administrator."""
    original = _original(message, row, "revision")
    recorded = list(original.events.order_by("sequence"))
    if any(e.type == "admitted" and e.occurred_at != message.stay.start for e in recorded):
        return _store(row, MedcomStatus.HELD, REASON_CORRECTION, message.event)
    moved = []
    for kind, at, data in _facts(message):
        old = next((e for e in recorded if e.type == kind and e.type != "message"), None)
        if old is not None and old.occurred_at != at:
            moved.append((old, kind, at, data))
    # The later facts first (a discharge registration rests on its departure), then anew in order.
    events = [
        m for old, *_ in sorted(moved, key=lambda m: -m[0].sequence) if (m := _in_error(message, old, now))
    ]
    if events:
        events += [
            _append(original.admission, kind, at, data, _actor(message), now) for _, kind, at, data in moved
        ]
    return _store(row, MedcomStatus.RECORDED, events=events)


def cancel(message: Message, row: MedcomMessage, now: datetime) -> tuple[str, str, MedcomMessage]:
    """AN_ (STANDARDS § 3.4, rule 6): the referenced notice's facts are marked entered in error
    (R-CORRECTION), by the sending side (the import acting for it). A notice unknown here is refused."""
    original = _original(message, row, "removal")
    events, opened = [], False
    for event in original.events.order_by("-sequence"):
        if event.type == "admitted":
            opened = True  # R-CORRECTION: an admission itself is never in error (see below)
            continue
        if marked := _in_error(message, event, now):
            events.append(marked)
    if opened:
        # The cancelled notice opened the stay (wrong CPR or kind of stay): its other facts are in error, the
        # admission itself R-CORRECTION keeps, so an administrator decides about it.
        return _store(row, MedcomStatus.HELD, REASON_CANCELLED_STAY, message.event, events=events)
    return _store(row, MedcomStatus.RECORDED, events=events)
