"""MedCom messages received (issue 12): read, checked, recorded on the timeline through the services, and
acknowledged. `receive_message(body)` is the one action behind `import_medcom` and the gateway endpoint.

One message is all or nothing: it is recorded and acknowledged `ok`, or refused with a `fatal-error`
Acknowledgement and nothing written. A message already received (same `MessageHeader.id`, whatever its
Bundle.id) is acknowledged again and not stored twice.

HospitalNotification (STANDARDS § 3.4), read for the municipality that receives it:
- the receiver's SOR code names the municipality (`MedcomUnit`); a receiver unknown here is refused;
- the municipality's filter (business rule 9): only a citizen registered with that municipality gets a
  course; any other is filtered out (only the message ids are kept, to recognise a resend) and counted;
- the stay is keyed on CPR plus the episode-of-care identifiers; the department is found by the
  serviceProvider's SOR code (`Ward.code`); an unknown department is held for an administrator, never
  guessed;
- each notice adds the facts it states, each at its own encounter time, unless the timeline already has
  them: STAA/STIN the admission and the ADVIS-IND (with the ILR request, `reportOfAdmissionFlag`); STOR/SLOR
  the leave and its end; SLHJ the departure and the discharge registration (the ADVIS-UD follows from it);
  MORS the same, closing the stay. The engine orders the timeline by time, so a STIN that arrives after the
  SLHJ of its stay leaves the citizen discharged;
- a new stay of a citizen whose other stay is still live: MedCom has no transfer message (rule 7), the
  receiving hospital sends a STIN, so the earlier stay ends (departure) when the new one starts; a new stay
  that would start before the live one is held for an administrator;
- corrections (RE_) and cancellations (AN_) mark the referenced notice's facts entered in error
  (`medcom_corrections.py`, R-CORRECTION); one referring to a notice unknown here is refused.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from coordination.medcom.acknowledgement import build_acknowledgement
from coordination.medcom.messages import ACKNOWLEDGEMENT, CARE_COMMUNICATION, MedcomError, Message
from coordination.medcom.reader import parse_bundle_loosely, read_message
from coordination.models import (
    AccessAction,
    AccessLog,
    Admission,
    Citizen,
    EpisodeOfCareIdentifier,
    Event,
    MedcomMessage,
    MedcomStatus,
    MedcomUnit,
    Side,
    Ward,
)
from coordination.services.admissions import last_known_facts
from coordination.services.core import Actor, ServiceError, _append
from coordination.services.medcom_order import REASON_EARLIER_NOTICE, earlier_notice_missing, release_waiting
from coordination.texts import text

log = logging.getLogger(__name__)

# The account the import acts as in the access log (a system account that cannot log in).
MEDCOM_USERNAME = "medcom-import"
MAX_BODY_BYTES = 100 * 1024 * 1024  # STANDARDS § 4: at most 100 MB for a whole message

IMPORTED, DUPLICATE, REJECTED = "imported", "duplicate", "rejected"

# Reason codes of a held or filtered message (the text is made when shown).
REASON_NOT_SERVED = "not_served"
REASON_UNKNOWN_WARD = "unknown_ward"
REASON_OVERLAPPING_STAY = "overlapping_stay"
REASON_EARLIER_START = "earlier_start"
REASON_CORRECTION = "correction"
REASON_NO_STAY = "no_stay"
REASON_NO_ADMISSION = "no_admission"
REASON_CANCELLED_STAY = "cancelled_stay"


@dataclass
class ImportResult:
    status: str  # imported | duplicate | rejected
    message_id: str = ""
    event: str = ""
    error: str = ""
    outcome: str = ""  # recorded | filtered | held (what became of an imported or duplicate message)
    reason: str = ""
    acknowledgement: dict[str, Any] | None = field(default=None, repr=False)

    def as_json(self, file: str) -> dict[str, Any]:
        """The line `import_medcom` prints (CONTRACTS.md), plus what became of the message."""
        line: dict[str, Any] = {
            "file": file,
            "status": self.status,
            "message_id": self.message_id,
            "event": self.event,
            "error": self.error,
        }
        if self.outcome:
            line["outcome"] = self.outcome
        if self.reason:
            line["reason"] = self.reason
        return line


def reason_text(code: str, detail: str = "") -> str:
    """Why a message was held or filtered, in the active language (coordination.texts `medcom.<code>`)."""
    return text(f"medcom.{code}", {"detail": detail}) if code else ""


def receive_message(body: bytes | str, *, now: datetime | None = None, via: str = "") -> ImportResult:
    """Read, check, record and acknowledge one MedCom message (all or nothing). `via`: how it came (the
    gateway's sending organisation; empty for `import_medcom`), kept with the message and in the log."""
    now = now or timezone.now()
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    if len(raw) > MAX_BODY_BYTES:
        return _rejected(raw, "Beskeden er større end 100 MB.", now)
    try:
        message = read_message(raw)
    except MedcomError as error:
        return _rejected(raw, str(error), now)
    if message.kind == ACKNOWLEDGEMENT:
        # An acknowledgement of one of our messages: read, and not acknowledged itself.
        return ImportResult(IMPORTED, message.message_id, message.event, outcome="acknowledgement")
    try:
        with transaction.atomic():
            existing = MedcomMessage.objects.filter(message_id=message.message_id).first()
            if existing is not None:
                return _duplicate(message, existing, now)
            outcome, reason, row = _record(message, raw, now, via)
            if outcome == MedcomStatus.RECORDED:
                release_waiting(message.message_id, now)
    except ServiceError as error:
        return _rejected(raw, error.message, now, message)
    except IntegrityError:
        # Received twice at the same moment: the other one stored it; this one is the duplicate.
        existing = MedcomMessage.objects.get(message_id=message.message_id)
        return _duplicate(message, existing, now)
    log.info("MedCom %s %s: %s", message.event, message.message_id, outcome)
    return ImportResult(
        IMPORTED,
        message.message_id,
        message.event,
        outcome=outcome,
        reason=reason,
        acknowledgement=row.acknowledgement,
    )


def _ack(message: Message | None, now: datetime, error: str | None, message_id: str = "") -> dict[str, Any]:
    return build_acknowledgement(
        ids=[str(uuid.uuid4()) for _ in range(6)],
        at=now,
        acknowledged_message_id=message.message_id if message else message_id,
        original_sender=message.sender if message else None,
        original_receiver=message.receiver if message else None,
        error=error,
    )


def _rejected(raw: bytes, error: str, now: datetime, message: Message | None = None) -> ImportResult:
    loose = parse_bundle_loosely(raw) or {}
    message_id = message.message_id if message else (loose.get("message_id") or "")
    return ImportResult(
        REJECTED,
        message_id,
        message.event if message else "",
        error=error,
        acknowledgement=_ack(message, now, error, message_id),
    )


def _duplicate(message: Message, existing: MedcomMessage, now: datetime) -> ImportResult:
    return ImportResult(
        DUPLICATE,
        message.message_id,
        existing.event,
        outcome=existing.status,
        reason=existing.reason,
        acknowledgement=_ack(message, now, None),
    )


# --- Recording ------------------------------------------------------------------------------------------


def _record(message: Message, raw: bytes, now: datetime, via: str) -> tuple[str, str, MedcomMessage]:
    unit = MedcomUnit.objects.select_related("municipality").filter(sor_code=message.receiver.sor).first()
    if unit is None:
        raise ServiceError(
            "service.medcom_receiver", {"name": message.receiver.name, "sor": message.receiver.sor}
        )
    row = MedcomMessage(
        message_id=message.message_id,
        bundle_id=message.bundle_id[:100],
        kind=message.kind,
        event=message.event,
        received_at=now,
        encounter_at=message.encounter_time,
        sender_sor=message.sender.sor[:20],
        sender_name=message.sender.name[:200],
        receiver_sor=message.receiver.sor[:20],
        received_via=via[:200],
        acknowledgement=_ack(message, now, None),
    )
    citizen = _served_citizen(message, unit)
    if citizen is None:
        return _store(row, MedcomStatus.FILTERED, REASON_NOT_SERVED)
    row.citizen = citizen
    row.body = raw.decode("utf-8")
    if message.kind == CARE_COMMUNICATION:
        from coordination.services.carecommunication import record_care_communication

        return record_care_communication(message, row, citizen, now)
    row.episode_of_care = [list(pair) for pair in message.stay.episode_of_care]
    return _record_hospital_notification(message, row, citizen, now)


def _served_citizen(message: Message, unit: MedcomUnit) -> Citizen | None:
    """Business rule 9: the receiving municipality serves the citizens registered with it."""
    patient = message.patient
    numbers = [n for n in (patient.cpr, patient.replacement_cpr) if n]
    return Citizen.objects.filter(cpr__in=numbers, municipality=unit.municipality).first()


def _store(
    row: MedcomMessage, status: str, reason: str = "", detail: str = "", events: list[Event] = ()
) -> tuple[str, str, MedcomMessage]:
    row.status = status
    row.reason = reason
    row.reason_detail = detail[:200]
    if status == MedcomStatus.FILTERED:
        row.body, row.citizen, row.episode_of_care = "", None, []
    row.save()
    if events:
        row.events.add(*events)
    if status == MedcomStatus.RECORDED and any(
        e.type == "admitted" and e.admission_id == row.admission_id for e in events
    ):
        # The notice the admission came by, for the board (the first one recorded with its admission).
        first = Admission.objects.filter(pk=row.admission_id, admitted_notice__isnull=True)
        first.update(admitted_notice=row)
    if row.citizen is not None:
        _log_access(row)
    return status, reason, row


def _log_access(row: MedcomMessage) -> None:
    """Every import is in the access log, as the import's system account."""
    AccessLog.objects.create(
        at=row.received_at,
        user=medcom_user(),
        citizen=row.citizen,
        admission=row.admission,
        action=AccessAction.CHANGE,
        path="medcom",
        view="medcom_gateway" if row.received_via else "import_medcom",
        note=" ".join(filter(None, [row.event, row.message_id, row.received_via]))[:300],
    )


def medcom_user():
    user, created = get_user_model().objects.get_or_create(
        username=MEDCOM_USERNAME, defaults={"is_active": False, "first_name": "MedCom-import"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _actor(message: Message) -> Actor:
    """Where the fact came from: the sending organisation and its SOR code (the message id is linked)."""
    side = Side.HOSPITAL if message.kind != CARE_COMMUNICATION else Side.SYSTEM
    return Actor(side=side, organisation=f"MedCom: {message.sender.name} (SOR {message.sender.sor})"[:200])


# --- HospitalNotification -------------------------------------------------------------------------------


def _stay_of(message: Message) -> Admission | None:
    q = None
    for system, value in message.stay.episode_of_care:
        q = (
            EpisodeOfCareIdentifier.objects.filter(system=system, value=value)
            if q is None
            else q | (EpisodeOfCareIdentifier.objects.filter(system=system, value=value))
        )
    found = q.select_related("admission").first() if q is not None else None
    return found.admission if found else None


def _record_hospital_notification(
    message: Message, row: MedcomMessage, citizen: Citizen, now: datetime
) -> tuple[str, str, MedcomMessage]:
    stay = message.stay
    if message.event[:3] in ("RE_", "AN_"):
        from coordination.services.medcom_corrections import cancel, revise

        return (cancel if message.event[:3] == "AN_" else revise)(message, row, now)
    admission = _stay_of(message)
    actor = _actor(message)
    events: list[Event] = []
    if admission is None and (earlier := earlier_notice_missing(message)):
        return _store(row, MedcomStatus.HELD, REASON_EARLIER_NOTICE, earlier)
    if admission is None:
        ward = Ward.objects.filter(code=stay.service_provider_sor).select_related("hospital").first()
        if ward is None:
            return _store(row, MedcomStatus.HELD, REASON_UNKNOWN_WARD, stay.service_provider_sor)
        live = citizen.admissions.filter(left_at__isnull=True).first()
        if live is not None:
            if live.admitted_at >= stay.start:
                return _store(row, MedcomStatus.HELD, REASON_OVERLAPPING_STAY, _local(live.admitted_at))
            # No transfer message in MedCom (rule 7): the earlier stay ended when this one began.
            events.append(_append(live, "left_ward", stay.start, {}, actor, now))
        admission = Admission.objects.create(
            citizen=citizen, ward=ward, municipality=citizen.municipality, admitted_at=stay.start
        )
        # MedCom tells acute ambulant (EMER) from admitted (IMP); the expected stay follows from that.
        expected = "under_48h" if stay.encounter_class == "EMER" else "over_48h"
        # A notification says nothing of EOJ, residence, social area or terminal: the facts of the citizen's
        # newest earlier admission carry over (defaults for a first stay); either side corrects them by event.
        facts = last_known_facts(citizen)
        data = {"expected_stay": expected, "somatic": True, "citizen": facts}
        events.append(_append(admission, "admitted", stay.start, data, actor, now))
    elif stay.start < admission.admitted_at:
        return _store(row, MedcomStatus.HELD, REASON_EARLIER_START, _local(admission.admitted_at))
    for system, value in stay.episode_of_care:
        EpisodeOfCareIdentifier.objects.get_or_create(
            system=system, value=value, defaults={"admission": admission}
        )
    row.admission = admission
    for kind, at, data in _facts(message):
        if not _has(admission, kind, data):
            events.append(_append(admission, kind, at, data, actor, now))
    return _store(row, MedcomStatus.RECORDED, events=events)


def _facts(message: Message) -> list[tuple[str, datetime, dict]]:
    """The timeline facts a notice states, each at its encounter time (STANDARDS § 3.1)."""
    stay = message.stay
    code = message.event.removeprefix("RE_")  # a correction states the facts of the notice it revises
    if code in ("STIN", "STAA"):
        content = {"medcom": {"event": code, "report_of_admission": message.report_of_admission}}
        return [("message", stay.start, {"code": "ADVIS-IND", "content": content})]
    if code == "STOR":
        return [("leave_started", stay.leave_start, {})]
    if code == "SLOR":
        return [("leave_started", stay.leave_start, {}), ("leave_ended", stay.leave_end, {})]
    if code in ("SLHJ", "MORS"):
        return [("left_ward", stay.end, {}), ("discharge_registered", stay.end, {})]
    return []


def _has(admission: Admission, kind: str, data: dict) -> bool:
    events = admission.events.filter(type=kind)
    if kind == "message":
        events = events.filter(data__code=data["code"])
    return events.exists()


def _local(moment: datetime) -> str:
    """A moment in a held message's detail: stored as ISO, formatted when shown (coordination.texts.show)."""
    return moment.isoformat()
