"""MedCom messages on the timeline: sending them (ADVIS, ILR/MILR, PFP, KM, USR, GOP) and reading them."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from coordination import rules
from coordination.models import Admission, Event, Notification, NotificationKind, UnreadMark
from coordination.printouts.content import usr_content_errors
from coordination.services.core import Actor, ServiceError, _append


def send_message(
    admission: Admission,
    code: str,
    *,
    at: datetime,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
    **fields,
) -> Event:
    """A MedCom message was sent (ADVIS-IND, ILR, MILR, PFP, KM, USR, GOP) with its structured content.

    `content` (optional, a dict) is the message's text for people, e.g. a USR's summary, medicine and
    appointments (`coordination.printouts.content`); it is stored with the event and printed, never judged."""
    if "content" in fields and fields["content"] is not None and not isinstance(fields["content"], dict):
        raise ServiceError("service.content_not_fields", field="content")
    if code == "USR" and (errors := usr_content_errors(fields.get("content"))):
        field, message = errors[0]
        raise ServiceError(message, field=field, rule="R-USR")
    return _append(admission, "message", at, {"code": code, **fields}, actor, now, expected_version)


def send_pfp(
    admission: Admission,
    *,
    at: datetime,
    faerdigbehandlet_date: date,
    date_certain: bool,
    coordination_needed: bool,
    actor: Actor,
    now: datetime | None = None,
    content: dict | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Event:
    """The hospital sends (a new version of) the plejeforløbsplan (R-PFP-DATE, R-PFP-COORD …); `content` is
    the plan's text (see `send_message`). A plan asking for further coordination records why (`reason`,
    R-PFP-COORD's `coordination_identified`) unless that was recorded before: the reason and the plan, or
    neither."""
    reason = reason.strip()
    if coordination_needed and not reason and not admission.coordination_identified:
        raise ServiceError("service.coordination_reason", field="reason")
    with transaction.atomic():
        if coordination_needed and reason:
            _append(
                admission, "coordination_identified", at, {"reason": reason}, actor, now, expected_version
            )
            admission.refresh_from_db(fields=["version"])
            expected_version = admission.version  # our own event moved the version on
        return send_message(
            admission,
            "PFP",
            at=at,
            actor=actor,
            now=now,
            expected_version=expected_version,
            faerdigbehandlet_date=faerdigbehandlet_date,
            date_certain=date_certain,
            coordination_needed=coordination_needed,
            content=content,
        )


def send_km(
    admission: Admission,
    *,
    at: datetime,
    sender: str,
    subject: str,
    text: str = "",
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
    medcom: dict | None = None,
) -> Event:
    """A korrespondancemeddelelse from either side, with a subject (R-PFP-ACK, R-MUN-24H, R-GOP-ANSWER) and
    its text (kept as the message's content, like every message's text for people). `medcom`: the received
    KM it answers or forwards (`services.carecommunication.thread_of`), kept for its CareCommunication."""
    if not subject.strip():
        raise ServiceError("service.km_subject", field="subject")
    content = {"text": text.strip()} if text.strip() else {}
    if medcom:
        content["medcom"] = medcom
    return send_message(
        admission,
        "KM",
        at=at,
        actor=actor,
        now=now,
        expected_version=expected_version,
        content=content or None,
        **{"from": sender, "subject": subject.strip()},
    )


def mark_read(
    admission: Admission,
    code: str,
    *,
    by: str,
    at: datetime,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """The receiving side read its messages of one code (R-READ)."""
    return _append(admission, "message_read", at, {"code": code, "by": by}, actor, now, expected_version)


def read_messages(
    admission: Admission, *, actor: Actor, now: datetime | None = None
) -> tuple[list[Event], int]:
    """The receiving side opened the admission (R-READ): one read receipt per code it has not read, and the
    person's own "markér som ulæst" marks cleared. The admission is locked before the unread codes are
    read, so two people opening it at once record each read once. Returns the receipts and the number of
    marks cleared, with the person's unread inbox items of this admission's messages, which reading them
    here clears too (issue 14)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Admission.objects.select_for_update().get(pk=admission.pk)
        events = [
            _append(locked, "message_read", now, {"code": code, "by": actor.side}, actor, now)
            for code in locked.unread_codes(actor.side)
        ]
        cleared = 0
        if actor.user is not None:
            cleared, _rows = UnreadMark.objects.filter(user=actor.user, admission=locked).delete()
            cleared += Notification.objects.filter(
                user=actor.user, admission=locked, kind=NotificationKind.MESSAGE, read_at__isnull=True
            ).update(read_at=now)
    return events, cleared


def mark_unread(admission: Admission, code: str, *, actor: Actor, now: datetime | None = None) -> None:
    """The person's own reminder on the messages of one code. The read on the timeline stays a fact; the
    mark is the person's, not the admission's, and goes when they next open it."""
    if code not in rules.READ_CODES:
        raise ServiceError("service.unknown_code", field="code")
    now = now or timezone.now()
    with transaction.atomic():
        Admission.objects.select_for_update().get(pk=admission.pk)  # serialised with read_messages
        UnreadMark.objects.update_or_create(
            user=actor.user, admission=admission, code=code, defaults={"marked_at": now}
        )
