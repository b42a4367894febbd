"""Reminders, event notifications, e-mail and the weekly overview (issue 7), one module per job.

The database is the truth; Celery only does the work. Everything here is safe to run twice, at the same time
in two processes, or again after a process died half-way:

- `sweep(now)` (reminder_sweep.py) makes each reminder point of each open obligation once: the candidate
  obligations are claimed with `SELECT … FOR UPDATE SKIP LOCKED`; `Reminder`'s unique constraint
  (obligation, due, point) backs it. All of one sweep is one transaction, so a sweep killed half-way
  leaves nothing and the next one does it all.
- An event that a side should hear about leaves an `EventNotice` row in its own transaction (the outbox,
  written by services.core); the task queued by name after commit turns it into inbox items (notices.py),
  and the sweep picks up any notice whose task was lost (Redis down).
- E-mails wait as `email_state = pending` rows, claimed with SKIP LOCKED when sent (email.py).
- R-MON-FB's weekly overview to each municipality (overview.py).

Who is told is `recipients.py`. Imports go one way: tasks -> reminders -> services; nothing here imports
the tasks (they are queued by name, coordination.queueing).
"""

from coordination.reminders.email import (
    MAIL_BATCH,
    MAIL_MAX_ATTEMPTS,
    MailError,
    deliver_emails,
    deliver_overviews,
)
from coordination.reminders.notices import message_params, process_event_notices
from coordination.reminders.overview import (
    make_weekly_overviews,
    overview_send_at,
    waiting_faerdigbehandlede,
)
from coordination.reminders.recipients import Recipient, recipients
from coordination.reminders.reminder_sweep import CATCH_UP, CPH, DEFAULT_OFFSETS, reminder_params, sweep

__all__ = [
    "CATCH_UP",
    "CPH",
    "DEFAULT_OFFSETS",
    "MAIL_BATCH",
    "MAIL_MAX_ATTEMPTS",
    "MailError",
    "Recipient",
    "deliver_emails",
    "deliver_overviews",
    "make_weekly_overviews",
    "message_params",
    "overview_send_at",
    "process_event_notices",
    "recipients",
    "reminder_params",
    "sweep",
    "waiting_faerdigbehandlede",
]
