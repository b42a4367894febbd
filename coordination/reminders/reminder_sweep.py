"""The reminder sweep: each reminder point of each open obligation, once.

Times: a reminder point is an instant, `due - minutes` in absolute time (UTC), never a wall-clock
computation, so the daylight-saving changes neither skip nor double one. Texts show Copenhagen time.
"""

from __future__ import annotations

import logging
import time as time_module
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from coordination import services
from coordination.models import (
    AgreementProfile,
    EmailState,
    Notification,
    NotificationKind,
    Obligation,
    ObligationStatus,
    Reminder,
)
from coordination.queueing import queue_mail
from coordination.reminders.notices import process_event_notices
from coordination.reminders.recipients import notifications, recipients
from coordination.rules.calendar import COPENHAGEN

log = logging.getLogger(__name__)
CPH = COPENHAGEN  # the one definition of the product's time zone

# A reminder point more than this far in the past is not made any more (bounds the sweep's index range; a
# sweep that was down for days still catches up on everything within it).
CATCH_UP = timedelta(days=getattr(settings, "REMINDER_CATCH_UP_DAYS", 3))
DEFAULT_OFFSETS = [120, 0]


# --- What an inbox item says: parameters, the text is made when shown (coordination.texts) -------------


def reminder_params(ob: Obligation, now: datetime) -> dict:
    return {
        "rule": ob.rule,
        "message_code": ob.message_code or None,
        "due_at": ob.due_at.isoformat(),
        "overdue": ob.due_at <= now,
    }


# --- The sweep ------------------------------------------------------------------------------------------


def _offsets_by_region(today: date) -> dict[int, list[int]]:
    """The reminder points of the profile in force today, per region (one small query)."""
    result: dict[int, list[int]] = {}
    for profile in AgreementProfile.objects.filter(valid_from__lte=today).order_by("valid_from"):
        result[profile.region_id] = profile.reminder_offsets() or [0]
    return result


def sweep(now: datetime | None = None) -> int:
    """Make the reminders that have come due at `now`, once each. Returns how many reminder points were
    made. Refreshes the clock-driven admissions first, and picks up event notices whose task was lost."""
    now = now or timezone.now()
    services.refresh_due_admissions(now=now)
    for attempt in (1, 2):
        try:
            created = _sweep_once(now)
            break
        except IntegrityError:  # a concurrent sweep made the same point first: do it again, it finds none
            if attempt == 2:
                raise
            log.info("reminder sweep raced another sweep; trying again")
    process_event_notices(now=now)
    return created


def _sweep_once(now: datetime) -> int:
    offsets = _offsets_by_region(now.astimezone(CPH).date())
    all_offsets = [m for values in offsets.values() for m in values] or DEFAULT_OFFSETS
    horizon = now + timedelta(minutes=max(all_offsets))
    done = Exists(
        Reminder.objects.filter(obligation=OuterRef("pk"), due_at=OuterRef("due_at"), last_point=True)
    )
    with transaction.atomic():
        # Coming due (its first point may have passed) or overdue and not yet reminded at its last point.
        candidates = list(
            Obligation.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=ObligationStatus.OPEN, due_at__gt=now - CATCH_UP, due_at__lte=horizon)
            .filter(possible=True)  # R-FLOW: no reminder of a duty that can no longer be met (issue 14)
            .filter(Q(due_at__gt=now) | ~done)
            .select_related("admission__citizen", "admission__ward__hospital")
            .order_by("pk")
        )
        if not candidates:
            return 0
        existing = set(
            Reminder.objects.filter(obligation_id__in=[o.pk for o in candidates]).values_list(
                "obligation_id", "due_at", "minutes_before"
            )
        )
        new_reminders, to_notify = [], []
        for ob in candidates:
            points = offsets.get(ob.admission.ward.hospital.region_id) or DEFAULT_OFFSETS
            last = min(points)
            missing = [
                m
                for m in points
                if ob.due_at - timedelta(minutes=m) <= now and (ob.pk, ob.due_at, m) not in existing
            ]
            for m in missing:
                reminder = Reminder(
                    obligation=ob,
                    admission_id=ob.admission_id,
                    rule=ob.rule,
                    owner=ob.owner,
                    label=ob.label,
                    due_at=ob.due_at,
                    minutes_before=m,
                    remind_at=ob.due_at - timedelta(minutes=m),
                    last_point=m == last,
                    created_at=now,
                )
                new_reminders.append(reminder)
                # A sweep that comes late makes the passed points it missed, but tells people only once:
                # at the latest point (the earlier ones are kept so they are never made again).
                if m == min(missing):
                    to_notify.append((ob, reminder))
        Reminder.objects.bulk_create(new_reminders)
        who = recipients([ob.admission for ob, _ in to_notify])
        rows = []
        for ob, reminder in to_notify:
            rows += notifications(
                ob.admission,
                who.get((ob.admission_id, ob.owner), []),
                kind=NotificationKind.REMINDER,
                params=reminder_params(ob, now),
                now=now,
                reminder=reminder,
            )
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        if any(row.email_state == EmailState.PENDING for row in rows):
            queue_mail()
        pause = getattr(settings, "REMINDER_SWEEP_PAUSE", 0)  # the fault tests' way to be mid-sweep
        if pause:
            log.info("sweep paused before commit with %d reminder points", len(new_reminders))
            time_module.sleep(pause)
    log.info(
        "reminder sweep at %s: %d points, %d inbox items", now.isoformat(), len(new_reminders), len(rows)
    )
    return len(new_reminders)
