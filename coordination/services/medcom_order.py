"""Encounter-time order, not arrival order (STANDARDS § 3.4), where one notice cannot stand alone.

A STIN that revises an earlier STAA/STIN of its stay (flow E: acute ambulant, then admitted, no SLHJ in
between) says the stay began with that earlier notice, whose time it does not carry. When the earlier
notice has not come, the STIN is held, waiting for it; when it comes and is recorded, the waiting notice
is recorded after it. Either order then gives the same board."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from coordination.medcom import MedcomError, read_message
from coordination.medcom.messages import Message
from coordination.models import MedcomMessage, MedcomStatus
from coordination.services.core import ServiceError

REASON_EARLIER_NOTICE = "earlier_notice"


def earlier_notice_missing(message: Message) -> str:
    """The id of the earlier admission notice of this stay that this STIN/STAA revises and that has not
    come ("" when there is none, or it came)."""
    if message.event not in ("STIN", "STAA") or message.current is None:
        return ""
    for role, message_id in message.current.previous:
        if role == "revision" and not MedcomMessage.objects.filter(message_id=message_id).exists():
            return message_id
    return ""


def release_waiting(message_id: str, now: datetime) -> None:
    """Record the notices held waiting for this one (now recorded), in the order of their encounter time."""
    from coordination.services.medcom import _record_hospital_notification

    waiting = MedcomMessage.objects.filter(
        status=MedcomStatus.HELD, reason=REASON_EARLIER_NOTICE, reason_detail=message_id[:200]
    ).order_by("encounter_at", "pk")
    for row in waiting:
        try:
            with transaction.atomic():
                _record_hospital_notification(read_message(row.body), row, row.citizen, now)
        except (ServiceError, MedcomError):
            continue  # it stays held, for an administrator; the notice it waited for is recorded all the same
