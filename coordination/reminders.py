"""Reminders, event notifications, e-mail and the weekly overview (issue 7).

The database is the truth; Celery only does the work. Everything here is safe to run twice, at the same time
in two processes, or again after a process died half-way:

- `sweep(now)` makes each reminder point of each open obligation once: the candidate obligations are
  claimed with `SELECT … FOR UPDATE SKIP LOCKED`; `Reminder`'s unique constraint (obligation, due, point)
  backs it.
  All of one sweep is one transaction, so a sweep killed half-way leaves nothing and the next one does it all.
- An event that a side should hear about leaves an `EventNotice` row in its own transaction (the outbox); the
  task queued after commit turns it into inbox items, and the sweep picks up any notice whose task was lost
  (Redis down).
- E-mails wait as `email_state = pending` rows, claimed with SKIP LOCKED when sent.

Times: a reminder point is an instant, `due - minutes` in absolute time (UTC), never a wall-clock
computation, so the daylight-saving changes neither skip nor double one. Texts show Copenhagen time.
"""

from __future__ import annotations

import logging
import time as time_module
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone

from coordination import rules
from coordination.models import (
    TAKE_PART,
    Admission,
    AdmissionGroupObjectPermission,
    AdmissionUserObjectPermission,
    AgreementProfile,
    EmailState,
    Event,
    EventNotice,
    FaerdigbehandlingPeriod,
    Municipality,
    Notification,
    NotificationKind,
    Obligation,
    ObligationStatus,
    Reminder,
    StaffMember,
    WeeklyOverview,
)
from coordination.rules.calendar import COPENHAGEN
from coordination.rules.types import EVENT_MESSAGE_CODES, MESSAGE_SENDER

log = logging.getLogger(__name__)
CPH = COPENHAGEN  # the one definition of the product's time zone
HOSPITAL, MUNICIPALITY = rules.HOSPITAL, rules.MUNICIPALITY

# A reminder point more than this far in the past is not made any more (bounds the sweep's index range; a
# sweep that was down for days still catches up on everything within it).
CATCH_UP = timedelta(days=getattr(settings, "REMINDER_CATCH_UP_DAYS", 3))
DEFAULT_OFFSETS = [120, 0]
MAIL_BATCH = 100
MAIL_MAX_ATTEMPTS = 8


class MailError(Exception):
    """Some e-mails could not be sent now; the task retries with backoff."""


# --- Who is told ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    user_id: int
    wants_email: bool


def _side_of(staff_row) -> str | None:
    if staff_row["municipality_id"]:
        return MUNICIPALITY
    if staff_row["ward_id"] or staff_row["hospital_id"]:
        return HOSPITAL
    return None  # region staff see figures, not citizens


def recipients(admissions: list[Admission]) -> dict[tuple[int, str], list[Recipient]]:
    """For each admission and side, the people to tell: the ward's nurses and the hospital's discharge
    coordinators (hospital side), the municipality's visitators (municipality side), and anyone explicitly
    granted the course (`take_part`), on the side they work for. Three queries, whatever the number."""
    if not admissions:
        return {}
    fields = ("user_id", "ward_id", "hospital_id", "municipality_id", "email_notifications", "user__email")
    wards = {a.ward_id for a in admissions}
    hospitals = {a.ward.hospital_id for a in admissions}
    munis = {a.municipality_id for a in admissions}
    staff = list(
        StaffMember.objects.filter(user__is_active=True)
        .filter(Q(ward_id__in=wards) | Q(hospital_id__in=hospitals) | Q(municipality_id__in=munis))
        .values(*fields)
    )
    by_ward, by_hospital, by_muni = defaultdict(list), defaultdict(list), defaultdict(list)
    for row in staff:
        rec = Recipient(row["user_id"], bool(row["email_notifications"] and row["user__email"]))
        if row["ward_id"]:
            by_ward[row["ward_id"]].append(rec)
        elif row["hospital_id"]:
            by_hospital[row["hospital_id"]].append(rec)
        else:
            by_muni[row["municipality_id"]].append(rec)

    ids = [a.pk for a in admissions]
    granted = defaultdict(list)
    for model, user_path in (
        (AdmissionUserObjectPermission, "user"),
        (AdmissionGroupObjectPermission, "group__user"),
    ):
        rows = model.objects.filter(
            content_object_id__in=ids,
            permission__codename=TAKE_PART,
            **{f"{user_path}__is_active": True, f"{user_path}__staff__isnull": False},
        ).values_list(
            "content_object_id",
            f"{user_path}__id",
            *(f"{user_path}__staff__{f}" for f in ("ward_id", "hospital_id", "municipality_id")),
            f"{user_path}__staff__email_notifications",
            f"{user_path}__email",
        )
        for adm_id, user_id, ward_id, hospital_id, muni_id, wants, email in rows:
            side = _side_of({"ward_id": ward_id, "hospital_id": hospital_id, "municipality_id": muni_id})
            if side:
                granted[(adm_id, side)].append(Recipient(user_id, bool(wants and email)))

    result = {}
    for a in admissions:
        for side, found in (
            (HOSPITAL, by_ward[a.ward_id] + by_hospital[a.ward.hospital_id]),
            (MUNICIPALITY, by_muni[a.municipality_id]),
        ):
            unique = {r.user_id: r for r in found + granted[(a.pk, side)]}
            result[(a.pk, side)] = list(unique.values())
    return result


def _notifications(admission, recipients_, *, kind, text, now, reminder=None, event=None):
    return [
        Notification(
            user_id=r.user_id,
            kind=kind,
            admission=admission,
            reminder=reminder,
            event=event,
            text=text[:400],
            created_at=now,
            email_state=EmailState.PENDING if r.wants_email else EmailState.NONE,
        )
        for r in recipients_
    ]


# --- Texts (stored in Danish, as the agreements and the engine's labels are) ----------------------------


def _when(instant: datetime, now: datetime) -> str:
    local, today = instant.astimezone(CPH), now.astimezone(CPH).date()
    day = local.date()
    if day == today:
        word = "i dag"
    elif day == today + timedelta(days=1):
        word = "i morgen"
    elif day == today - timedelta(days=1):
        word = "i går"
    else:
        word = f"{day.day}.{day.month}.{day.year}"
    return f"kl. {local:%H:%M} {word}"


def reminder_text(ob: Obligation, now: datetime) -> str:
    citizen = ob.admission.citizen.name
    task = ob.label or ob.rule
    if ob.due_at <= now:
        return f"Overskredet: {task} for {citizen}, frist {_when(ob.due_at, now)} ({ob.rule})"
    return f"{task} for {citizen} skal ske senest {_when(ob.due_at, now)} ({ob.rule})"


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
    from coordination import services  # services imports this module's hook; keep the import lazy

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
            rows += _notifications(
                ob.admission,
                who.get((ob.admission_id, ob.owner), []),
                kind=NotificationKind.REMINDER,
                text=reminder_text(ob, now),
                now=now,
                reminder=reminder,
            )
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        if any(row.email_state == EmailState.PENDING for row in rows):
            _queue_mail()
        pause = getattr(settings, "REMINDER_SWEEP_PAUSE", 0)  # the fault tests' way to be mid-sweep
        if pause:
            log.info("sweep paused before commit with %d reminder points", len(new_reminders))
            time_module.sleep(pause)
    log.info(
        "reminder sweep at %s: %d points, %d inbox items", now.isoformat(), len(new_reminders), len(rows)
    )
    return len(new_reminders)


# --- Event notifications (the outbox) -------------------------------------------------------------------

_OTHER = {HOSPITAL: MUNICIPALITY, MUNICIPALITY: HOSPITAL}


def event_receiver(event_type: str, data: dict) -> tuple[str, str] | None:
    """(message code, receiving side) when an event sends a message the other side should hear about."""
    if event_type == "message":
        code = data.get("code")
        sender = data.get("from") if code == "KM" else MESSAGE_SENDER.get(code)
        return (code, _OTHER[sender]) if sender in _OTHER else None
    code = EVENT_MESSAGE_CODES.get(event_type)
    return (code, _OTHER[MESSAGE_SENDER[code]]) if code else None


def queue_event_notice(event: Event) -> None:
    """Called inside the event's transaction (services._append): write the outbox row and queue the task
    after commit. A broker that cannot be reached is logged; the sweep delivers the notice later."""
    if event_receiver(event.type, event.data) is None:
        return
    EventNotice.objects.create(event=event, created_at=event.recorded_at)
    from coordination import tasks

    enqueue_on_commit(tasks.notify_event, event.pk)


def message_text(event: Event, code: str) -> str:
    citizen = event.admission.citizen.name
    subject = event.data.get("subject")
    at = event.occurred_at.astimezone(CPH)
    text = f"Ny {code} for {citizen} fra {event.recorded_by_organisation or 'den anden part'} kl. {at:%H:%M}"
    return f"{text}: {subject}" if subject else text


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
            code, side = event_receiver(event.type, event.data)
            rows += _notifications(
                event.admission,
                [r for r in who.get((event.admission_id, side), []) if r.user_id != event.recorded_by_id],
                kind=NotificationKind.MESSAGE,
                text=message_text(event, code),
                now=now,
                event=event,
            )
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        EventNotice.objects.filter(pk__in=[n.pk for n in notices]).delete()
        made = len(rows)
        if any(row.email_state == EmailState.PENDING for row in rows):
            _queue_mail()
    return made


# --- Queuing without breaking the action ----------------------------------------------------------------


def safe_delay(task, *args) -> bool:
    """Queue a task; when the broker is down, log it and go on (the database still holds the work)."""
    try:
        task.delay(*args)
        return True
    except Exception:  # the broker's errors vary by transport (OperationalError, ConnectionError, …)
        log.warning("could not queue %s; the next sweep does the work", task.name, exc_info=True)
        return False


def enqueue_on_commit(task, *args) -> None:
    transaction.on_commit(lambda: safe_delay(task, *args))


def _queue_mail() -> None:
    from coordination import tasks

    enqueue_on_commit(tasks.deliver_emails)


# --- E-mail ---------------------------------------------------------------------------------------------


def deliver_emails(batch: int = MAIL_BATCH) -> int:
    """Send the pending e-mails, each claimed with SKIP LOCKED and marked sent in the same transaction.
    A mail error counts an attempt and raises MailError (the task retries with backoff); after
    MAIL_MAX_ATTEMPTS the row is marked failed (the inbox item stays)."""
    sent, failed = 0, 0
    while True:
        with transaction.atomic():
            rows = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(email_state=EmailState.PENDING)
                .select_related("user")
                .order_by("pk")[:batch]
            )
            for row in rows:
                try:
                    send_mail(
                        subject=f"Sektorovergang: {row.text[:120]}",
                        message=f"{row.text}\n\nSe din indbakke i Sektorovergang.",
                        from_email=None,
                        recipient_list=[row.user.email],
                    )
                except Exception:
                    log.warning("e-mail to user %s failed", row.user_id, exc_info=True)
                    row.email_attempts += 1
                    if row.email_attempts >= MAIL_MAX_ATTEMPTS:
                        row.email_state = EmailState.FAILED
                    row.save(update_fields=["email_attempts", "email_state"])
                    failed += 1
                    continue
                row.email_state, row.emailed_at = EmailState.SENT, timezone.now()
                row.save(update_fields=["email_state", "emailed_at"])
                sent += 1
        if failed or len(rows) < batch:
            break
    overview_sent, overview_failed = deliver_overviews()
    sent += overview_sent
    failed += overview_failed
    if failed:
        raise MailError(f"{failed} e-mails could not be sent")
    return sent


# --- R-MON-FB: the weekly overview to each municipality's visitation ------------------------------------


def waiting_faerdigbehandlede(admissions) -> list[dict]:
    """Citizens registered færdigbehandlet and still in hospital: date, days so far and why they wait."""
    today = timezone.now().astimezone(CPH).date()
    periods = (
        FaerdigbehandlingPeriod.objects.filter(
            admission__in=admissions, ended_on__isnull=True, voided=False, admission__left_at__isnull=True
        )
        .select_related("admission__citizen", "admission__ward__hospital", "admission__municipality")
        .order_by("registered_on", "pk")
    )
    labels = dict(WAITING_LABELS)
    return [
        {
            "admission": p.admission,
            "registered_on": p.registered_on,
            "days": p.days_at(today),
            "reasons": [labels.get(r, r) for r in p.waiting_for],
        }
        for p in periods
    ]


WAITING_LABELS = [
    ("midlertidig_plads", "midlertidig plads"),
    ("genoptraeningsplads", "genoptræningsplads"),
    ("plejebolig", "plejebolig"),
    ("hjaelpemidler", "hjælpemidler"),
    ("boligaendring", "boligændring"),
    ("hjemmepleje", "hjemmepleje"),
    ("andet", "andet"),
]


def overview_send_at(now: datetime) -> tuple[date, datetime]:
    """This week's Monday (Copenhagen) and the instant the overview is due: Monday at WEEKLY_OVERVIEW_TIME."""
    today = now.astimezone(CPH).date()
    monday = today - timedelta(days=today.weekday())
    at = getattr(settings, "WEEKLY_OVERVIEW_TIME", time(7, 0))
    return monday, datetime.combine(monday, at, tzinfo=CPH)


def make_weekly_overviews(now: datetime | None = None) -> int:
    """Once a week per municipality with staff: the overview row (unique per week), then its e-mails.
    Beat calls this often; the wall-clock moment is computed here, never as a crontab entry."""
    now = now or timezone.now()
    monday, due = overview_send_at(now)
    if now < due:
        return 0
    with_staff = Exists(StaffMember.objects.filter(municipality=OuterRef("pk")))
    done = Exists(WeeklyOverview.objects.filter(municipality=OuterRef("pk"), week_start=monday))
    munis = Municipality.objects.filter(with_staff).exclude(done)
    made = 0
    for muni in munis:
        waiting = waiting_faerdigbehandlede(Admission.objects.filter(municipality=muni))
        _, created = WeeklyOverview.objects.get_or_create(
            municipality=muni, week_start=monday, defaults={"created_at": now, "citizens": len(waiting)}
        )
        made += created
    if made:
        _queue_mail()
    return made


def deliver_overviews() -> tuple[int, int]:
    sent, failed = 0, 0
    with transaction.atomic():
        for overview in (
            WeeklyOverview.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(email_state=EmailState.PENDING)
            .select_related("municipality")
        ):
            emails = list(
                StaffMember.objects.filter(municipality=overview.municipality, user__is_active=True)
                .exclude(user__email="")
                .values_list("user__email", flat=True)
            )
            waiting = waiting_faerdigbehandlede(Admission.objects.filter(municipality=overview.municipality))
            if emails:
                body = render_to_string(
                    "coordination/email/weekly_overview.txt",
                    {"overview": overview, "rows": waiting, "municipality": overview.municipality},
                )
                try:
                    send_mail(
                        subject=f"Ugentlig oversigt: færdigbehandlede borgere, {overview.municipality}",
                        message=body,
                        from_email=None,
                        recipient_list=emails,
                    )
                except Exception:
                    log.warning("weekly overview to %s failed", overview.municipality, exc_info=True)
                    overview.email_attempts += 1
                    if overview.email_attempts >= MAIL_MAX_ATTEMPTS:
                        overview.email_state = EmailState.FAILED
                    overview.save(update_fields=["email_attempts", "email_state"])
                    failed += 1
                    continue
            overview.email_state = EmailState.SENT if emails else EmailState.NONE
            overview.save(update_fields=["email_state"])
            sent += len(emails)
    return sent, failed
