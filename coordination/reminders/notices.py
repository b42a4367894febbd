"""Event notifications: the outbox rows (written with the event by services.core) turned into inbox items."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from coordination import rules
from coordination.models import Admission, EmailState, Event, EventNotice, Notification, NotificationKind
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


def message_of(event: Event, code: str) -> str:
    """The message an event is news of (Notification.message): a KM is a message of its own; any other code
    is one message in versions (a PFP, USR or GOP sent again replaces the one before; a MOF after a
    MOF-GENOPTAGET is the same news again)."""
    return f"KM-{event.sequence}" if code == "KM" else code


def process_event_notices(event_ids: list[int] | None = None, *, now: datetime | None = None) -> int:
    """Turn outbox rows into inbox items: one item per message and recipient (issue 14).

    A new version of a message the recipient already has an item of brings that item back (unread, at the
    top, naming the newest version) instead of a second "Ny PFP". Idempotent: the outbox rows are claimed
    with SKIP LOCKED and removed in the same transaction; the admissions are locked (as recording on them
    does), so two workers never build the same admission's items at once; an item that already names this
    or a later version is left as it is (a retried or late task); and the database keeps one item per
    user, admission and message (`notification_once_per_message`) and per user and event."""
    now = now or timezone.now()
    with transaction.atomic():
        notices = EventNotice.objects.select_for_update(skip_locked=True).order_by("pk")
        if event_ids is not None:
            notices = notices.filter(event_id__in=event_ids)
        notices = list(notices[:500])
        if not notices:
            return 0
        events = list(
            Event.objects.filter(pk__in=[n.event_id for n in notices])
            .select_related("admission__citizen", "admission__ward__hospital")
            # The admission's derived JSON is not read here (a loading run tells 500 events at a time).
            .defer("admission__facts", "admission__judged_steps", "admission__warnings")
            .order_by("admission_id", "sequence")
        )
        admission_ids = sorted({e.admission_id for e in events})
        list(Admission.objects.select_for_update().filter(pk__in=admission_ids).order_by("pk").values("pk"))
        who = recipients([e.admission for e in events])
        items = {
            (n.user_id, n.admission_id, n.message): n
            for n in Notification.objects.select_for_update(of=("self",))
            .filter(admission_id__in=admission_ids, message__isnull=False)
            .select_related("event")
        }
        new, renewed = [], {}
        for event in events:
            code, side = rules.messages.receiver(event.type, event.data)
            message = message_of(event, code)
            told = [r for r in who.get((event.admission_id, side), []) if r.user_id != event.recorded_by_id]
            for row in notifications(
                event.admission,
                told,
                kind=NotificationKind.MESSAGE,
                params=message_params(event, code),
                now=now,
                event=event,
            ):
                row.message = message
                key = (row.user_id, row.admission_id, message)
                item = items.get(key)
                if item is None:
                    items[key] = row
                    new.append(row)
                elif item.event.sequence < event.sequence:
                    item.event, item.created_at, item.read_at = event, now, None
                    item.params = {**row.params, "renewed": True}
                    if row.email_state == EmailState.PENDING:
                        item.email_state, item.email_attempts = EmailState.PENDING, 0
                    if item.pk is not None:
                        renewed[item.pk] = item
                # else: this version (or a later one) is already in the item
        Notification.objects.bulk_create(new, ignore_conflicts=True)
        Notification.objects.bulk_update(
            renewed.values(), ["event", "params", "created_at", "read_at", "email_state", "email_attempts"]
        )
        EventNotice.objects.filter(pk__in=[n.pk for n in notices]).delete()
        rows = new + list(renewed.values())
        if any(row.email_state == EmailState.PENDING for row in rows):
            queue_mail()
    return len(rows)
