"""Celery tasks: thin, idempotent wrappers around coordination.reminders. Every task acknowledges late (a
worker that dies mid-task leaves the message to be delivered again), has time limits, and does work that is
safe to do twice: the database, not the broker, remembers what was done."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.db import OperationalError

from coordination import reminders

COMMON = dict(acks_late=True, reject_on_worker_lost=True, soft_time_limit=100, time_limit=120)


@shared_task(
    name="coordination.sweep_reminders",
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    max_retries=3,
    ignore_result=True,
    **COMMON,
)
def sweep_reminders(now: str | None = None) -> int:
    """Beat runs this every minute; two at once, or one overlapping the next, make each reminder once.
    `now` (ISO 8601) judges the deadlines at another moment, as `sweep_reminders --now` does."""
    return reminders.sweep(datetime.fromisoformat(now) if now else None)


@shared_task(name="coordination.notify_event", autoretry_for=(OperationalError,), retry_backoff=5, **COMMON)
def notify_event(event_id: int) -> int:
    """Queued after an event's transaction commits: tell the receiving side (from the outbox row)."""
    return reminders.process_event_notices([event_id])


@shared_task(
    name="coordination.deliver_emails",
    autoretry_for=(reminders.MailError, OperationalError),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=8,
    **COMMON,
)
def deliver_emails() -> int:
    return reminders.deliver_emails()


@shared_task(
    name="coordination.weekly_overview", autoretry_for=(OperationalError,), retry_backoff=30, **COMMON
)
def weekly_overview() -> int:
    """R-MON-FB: beat calls this every 15 minutes; it makes each municipality's overview once a week."""
    return reminders.make_weekly_overviews()
