"""Event notifications: the outbox rows (written with the event by services.core) turned into inbox items."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from coordination import rules
from coordination.models import EmailState, Event, EventNotice, Notification, NotificationKind
from coordination.queueing import queue_mail
from coordination.reminders.recipients import notifications, recipients
from coordination.rules.calendar import COPENHAGEN as CPH


def message_params(event: Event, code: str) -> dict:
    """What the inbox says of a new message, as parameters (coordination.texts makes the text when shown)."""
    return {
        "code": code,
        "sender": event.recorded_by_organisation or "",
        "at": event.occurred_at.astimezone(CPH).isoformat(),
        "subject": event.data.get("subject") or "",
    }


def process_event_notices(event_ids: list[int] | None = None, *, now: datetime | None = None) -> int:
    """Turn outbox rows into inbox items, once each (claimed with SKIP LOCKED, unique per user and event)."""
    now = now or timezone.now()
    made = 0
    with transaction.atomic():
        notices = EventNotice.objects.select_for_update(skip_locked=True).order_by("pk")
        if event_ids is not None:
            notices = notices.filter(event_id__in=event_ids)
        notices = list(notices[:500])
        if not notices:
            return 0
        events = list(
            Event.objects.filter(pk__in=[n.event_id for n in notices]).select_related(
                "admission__citizen", "admission__ward__hospital"
            )
        )
        who = recipients([e.admission for e in events])
        rows = []
        for event in events:
            code, side = rules.messages.receiver(event.type, event.data)
            rows += notifications(
                event.admission,
                [r for r in who.get((event.admission_id, side), []) if r.user_id != event.recorded_by_id],
                kind=NotificationKind.MESSAGE,
                params=message_params(event, code),
                now=now,
                event=event,
            )
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        EventNotice.objects.filter(pk__in=[n.pk for n in notices]).delete()
        made = len(rows)
        if any(row.email_state == EmailState.PENDING for row in rows):
            queue_mail()
    return made
