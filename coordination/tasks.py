"""Celery tasks: thin, idempotent wrappers (reminders, the weekly overview, the downtime boards). Every task
acknowledges late (a worker that dies mid-task leaves the message to be delivered again), has time limits,
and does work that is safe to do twice: the database or the file system, not the broker, remembers what was
done. Without REDIS_URL they run eagerly in the calling process (config/celery.py)."""

from __future__ import annotations

import logging
import os
import re
from datetime import datetime, time, timedelta
from pathlib import Path

from celery import shared_task
from celery.result import EagerResult
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from coordination import reminders
from coordination.models import AccessAction, AccessLog, Admission, Municipality, Ward
from coordination.printouts import nedbrud
from coordination.rules.calendar import COPENHAGEN, instant, local

log = logging.getLogger(__name__)

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


@shared_task(name="coordination.notify_events", autoretry_for=(OperationalError,), retry_backoff=5, **COMMON)
def notify_events(event_ids: list[int]) -> int:
    """A whole timeline's messages at once (services.batch): the same inbox items as one task per event."""
    return reminders.process_event_notices(list(event_ids))


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


# --- Downtime boards (seed 000 "Tekniske nedbrud") ------------------------------------------------------

# Shift changes in Copenhagen wall-clock time (day, evening and night shift). None falls in the hour that
# daylight saving time skips or repeats, so each exists once every day.
SHIFT_CHANGES = (time(7), time(15), time(23))
_FILE = re.compile(r"^nedbrud-(afsnit|kommune)-[0-9A-Za-z]+-(?P<stamp>\d{8}-\d{2})\.pdf$")


def shift_start(now: datetime) -> datetime:
    """The latest shift change at or before `now`, in Copenhagen time."""
    today = local(now).date()
    for day in (today, today - timedelta(days=1)):
        for clock in reversed(SHIFT_CHANGES):
            start = datetime.combine(day, clock, COPENHAGEN)
            if instant(start) <= instant(now):
                return start
    raise AssertionError("unreachable: a shift change happened within the last day")


def _stamp(shift: datetime) -> str:
    return shift.strftime("%Y%m%d-%H")


def _write(path: Path, pdf: bytes) -> None:
    """Write all or nothing: a half-written file never carries the final name."""
    partial = path.with_name(f".{path.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pdf)
    os.replace(partial, path)


def _log_file(path: Path, admissions) -> None:
    """A downtime board holds full CPR numbers: the access log says which citizens went into which file
    (no user: the system wrote it; issue 11)."""
    now = timezone.now()
    AccessLog.objects.bulk_create(
        AccessLog(
            at=now,
            user=None,
            citizen_id=admission.citizen_id,
            admission_id=admission.pk,
            action=AccessAction.FILE,
            path=str(path)[-300:],
            view="coordination.tasks.write_downtime_boards",
            note=f"nødudskrift {path.name}",
        )
        for admission in admissions
    )


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=300, time_limit=330)
def write_downtime_board(kind: str, pk: int, now: str) -> bool:
    """One ward's or municipality's downtime board for the shift of `now`, unless it is already written."""
    moment = datetime.fromisoformat(now)
    active = Admission.objects.active()
    if kind == "ward":
        place = Ward.objects.select_related("hospital").get(pk=pk)
        admissions = active.filter(ward=place)
    else:
        place = Municipality.objects.get(pk=pk)
        admissions = active.filter(municipality=place)
    path = _board_path(Path(settings.DOWNTIME_BOARD_DIR), kind, place.pk, place.code, moment)
    if path.exists():
        return False
    rows = nedbrud.board_rows(admissions)
    _write(path, nedbrud.render(rows, unit=str(place), now=moment))
    _log_file(path, [row["admission"] for row in rows])
    return True


def _board_path(folder: Path, kind: str, pk: int, code: str, moment: datetime) -> Path:
    key = f"afsnit-{pk}" if kind == "ward" else f"kommune-{code}"
    return folder / f"nedbrud-{key}-{_stamp(shift_start(moment))}.pdf"


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=600, time_limit=660)
def write_downtime_boards(now: str | None = None) -> int:
    """The downtime board of every ward and every municipality with active admissions, written once per shift
    into settings.DOWNTIME_BOARD_DIR, so that the paper exists before an outage (seed 000 "Tekniske nedbrud").

    Beat calls this every 15 minutes (its clock is UTC); the shift change is worked out here in Copenhagen
    time. A board already written for the current shift is not written again; boards of shifts before the
    previous one are removed. Each board is a task of its own (`write_downtime_board`). Returns the number of
    boards written (queued, with a broker). `now`: an ISO time, for tests."""
    folder = settings.DOWNTIME_BOARD_DIR
    if not folder:
        log.info("DOWNTIME_BOARD_DIR er ikke sat; ingen nødudskrifter af tavlen skrives.")
        return 0
    moment = datetime.fromisoformat(now) if now else timezone.now()
    shift = shift_start(moment)
    stamp = _stamp(shift)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)

    active = Admission.objects.active()
    wards = Ward.objects.filter(pk__in=active.values("ward")).values_list("pk", "code")
    municipalities = Municipality.objects.filter(pk__in=active.values("municipality"))
    units = [("ward", *w) for w in wards] + [
        ("municipality", *m) for m in municipalities.values_list("pk", "code")
    ]
    written = 0
    for kind, pk, code in units:
        if _board_path(folder, kind, pk, code, moment).exists():
            continue
        # One task a board (issue 15: ~20 ms a row, a region's 20,000 rows at a shift change): the workers
        # share them, and no single task comes near its time limit. Without a broker they run here.
        result = write_downtime_board.delay(kind, pk, moment.isoformat())
        written += bool(result.result) if isinstance(result, EagerResult) else 1  # no result backend
    keep_from = _stamp(shift_start(shift - timedelta(minutes=1)))
    for old in folder.iterdir():
        match = _FILE.match(old.name)
        if match and match["stamp"] < keep_from:
            old.unlink(missing_ok=True)
    log.info("Nødudskrifter for vagtskiftet %s: %d skrevet i %s", stamp, written, folder)
    return written
