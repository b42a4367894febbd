"""Queuing Celery tasks by name, after the commit, without breaking the action when the broker is down.

Tasks are named (`coordination.notify_event` …), never imported, so the services and the reminders need not
import `coordination.tasks`, which imports them: no import circle. The database holds the work, so a task
that could not be queued is done by the next sweep."""

from __future__ import annotations

import logging

from celery import current_app
from django.db import transaction

log = logging.getLogger(__name__)

NOTIFY_EVENT = "coordination.notify_event"
NOTIFY_EVENTS = "coordination.notify_events"
DELIVER_EMAILS = "coordination.deliver_emails"


def safe_delay(task_name: str, *args) -> bool:
    """Queue a task by name; when the broker is down, log it and go on (the database still holds the work).

    A signature of a registered task honours CELERY_TASK_ALWAYS_EAGER (runs in this process without Redis),
    which `send_task` would not."""
    try:
        current_app.signature(task_name, args=args).delay()
        return True
    except Exception:  # the broker's errors vary by transport (OperationalError, ConnectionError, …)
        log.warning("could not queue %s; the next sweep does the work", task_name, exc_info=True)
        return False


def enqueue_on_commit(task_name: str, *args) -> None:
    transaction.on_commit(lambda: safe_delay(task_name, *args))


def queue_mail() -> None:
    enqueue_on_commit(DELIVER_EMAILS)
