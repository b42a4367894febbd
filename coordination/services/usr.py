"""The udskrivningsrapport written on the ward: a shared draft while it is written, then sent as one USR
message. A sent USR is never edited; a correction is a new USR that replaces it on the citizen's copy, and
every version stays on the timeline (and printable)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from coordination.models import Admission, Event, UsrDraft
from coordination.printouts.content import usr_content_errors
from coordination.services.core import Actor, ServiceError
from coordination.services.messages import send_message


def save_usr_draft(
    admission: Admission, *, content: dict, actor: Actor, now: datetime | None = None
) -> UsrDraft:
    """The ward saves the USR it is writing (anyone on the ward may go on with it). Nothing is sent."""
    if actor.side != "hospital":
        raise ServiceError("service.usr_by_hospital")
    with transaction.atomic():
        draft, _created = UsrDraft.objects.update_or_create(
            admission=admission,
            defaults={"content": content, "saved_at": now or timezone.now(), "saved_by": actor.user},
        )
    return draft


def send_usr(
    admission: Admission,
    *,
    content: dict,
    at: datetime,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """The hospital sends the USR (R-USR) with its content; the ward's draft is gone with it. Sent again, it
    is a new version that replaces the one before on the citizen's copy."""
    if errors := usr_content_errors(content):
        field, message = errors[0]
        raise ServiceError(message, field=field)
    with transaction.atomic():
        event = send_message(
            admission, "USR", at=at, actor=actor, now=now, expected_version=expected_version, content=content
        )
        UsrDraft.objects.filter(admission=admission).delete()
    return event


def usr_versions(admission: Admission) -> list[Event]:
    """The USRs sent, oldest first: version 1, 2, …; the newest is the one in force."""
    return [
        e
        for e in admission.events.filter(type="message").order_by("occurred_at", "sequence")
        if e.data.get("code") == "USR"
    ]
