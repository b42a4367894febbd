"""MedCom messages on the timeline: sending them (ADVIS, ILR/MILR, PFP, KM, USR, GOP) and reading them."""

from __future__ import annotations

from datetime import date, datetime

from coordination.models import Admission, Event
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
        raise ServiceError("Beskedens indhold skal være et sæt af felter.", field="content")
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
    expected_version: int | None = None,
) -> Event:
    """The hospital sends (a new version of) the plejeforløbsplan (R-PFP-DATE, R-PFP-COORD …); `content` is
    the plan's text (see `send_message`)."""
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
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """A korrespondancemeddelelse from either side, with a subject (R-PFP-ACK, R-MUN-24H, R-GOP-ANSWER)."""
    if not subject.strip():
        raise ServiceError("Skriv et emne for korrespondancen.", field="subject")
    return send_message(
        admission,
        "KM",
        at=at,
        actor=actor,
        now=now,
        expected_version=expected_version,
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
