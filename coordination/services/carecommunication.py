"""CareCommunication ↔ KM (issue 12, STANDARDS § 4).

In: an incoming CareCommunication becomes a KM on the citizen's admission (the one whose episode of care it
names, else the live one): subject = topic (the category's name when there is none), the category, the text
segments, the attachments (kept in the stored message, downloaded under the access rules) and its place in
the thread (new / reply / forward, and the message it answers, from its Provenance).

Out: a KM written on the board is exported as a CareCommunication bundle (`export_km`). A KM that answers
(or forwards) a received one keeps that message's thread, category and episode-of-care identifier and
refers to it through its Provenance; any other KM starts a thread of its own. Its MessageHeader id and
thread id are fixed by the event, so downloading it twice gives the same message (a duplicate to the
receiver), in a new Bundle."""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass
from datetime import datetime

from coordination.medcom import MedcomError, Message, read_message
from coordination.medcom.messages import CareCommunication, Organisation, Segment
from coordination.models import Admission, Citizen, Event, MedcomMessage, MedcomStatus, MedcomUnit, Side
from coordination.services.core import ServiceError, _append

NEW, REPLY, FORWARD = "new-message", "reply-message", "forward-message"
# The namespace of the ids an exported KM gets from its event (uuid5: the same event, the same ids).
KM_NAMESPACE = uuid.UUID("6f1c7a0e-5b8e-4d1e-9a55-3c2b8f0d1e12")
# Attachment types MedCom's ValueSet allows; anything else is served as an opaque download.
ATTACHMENT_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/gif", "image/tiff", "image/bmp")
# The regionally agreed subjects (RULES.md, seed 001) set the category (STANDARDS § 4); any other: `other`.
SUBJECT_CATEGORIES = {
    "Plejeforløbsplan ok": "carecoordination",
    "Plejeforløbsplan": "carecoordination",
    "Udvidet koordinering": "carecoordination",
    "Genoptræningsplan": "training",
}


def record_care_communication(message: Message, row: MedcomMessage, citizen: Citizen, now: datetime):
    """An incoming KM goes on the citizen's admission: the one whose episode it names, else the live one."""
    from coordination.models import EpisodeOfCareIdentifier
    from coordination.services.medcom import REASON_NO_ADMISSION, _actor, _store

    communication = message.communication
    admission = None
    for system, value in communication.episode_of_care:
        found = EpisodeOfCareIdentifier.objects.filter(system=system, value=value).first()
        admission = admission or (found.admission if found else None)
    admission = admission or citizen.admissions.filter(left_at__isnull=True).first()
    if admission is None:
        return _store(row, MedcomStatus.HELD, REASON_NO_ADMISSION)
    row.admission = admission
    row.episode_of_care = [list(pair) for pair in communication.episode_of_care]
    at = message.current.recorded or message.sent_at or now
    content = {"medcom": km_content(message)}
    data = {
        "code": "KM",
        "from": km_sender(message),
        "subject": communication.topic or communication.category,
        "content": content,
    }
    event = _append(admission, "message", min(at, now), data, _actor(message), now)
    return _store(row, MedcomStatus.RECORDED, events=[event])


def km_content(message: Message) -> dict:
    """What the timeline keeps of a CareCommunication: keys and values, the text made when shown."""
    communication = message.communication
    return {
        "thread": communication.thread_id,
        "category": communication.category,
        "activity": message.current.activity,
        "previous": message.referenced_message_id,
        "segments": [s.text for s in communication.segments if s.text],
        "attachments": [
            {"index": n, "title": s.title, "content_type": s.content_type or "", "link": bool(s.url)}
            for n, s in enumerate(communication.segments)
            if s.text is None
        ],
    }


def km_sender(message: Message) -> str:
    """The side that wrote the KM: the municipality when the sender is one of the municipal units known
    here (`MedcomUnit`), else the hospital (we receive only as a municipality's unit)."""
    if MedcomUnit.objects.filter(sor_code=message.sender.sor).exists():
        return Side.MUNICIPALITY
    return Side.HOSPITAL


# --- Reading a received KM back ------------------------------------------------------------------------


def received_message(event: Event) -> tuple[MedcomMessage, Message] | None:
    """The CareCommunication an event was recorded from, read again from the stored body (None for a KM
    written on the board)."""
    row = event.medcom_messages.filter(status=MedcomStatus.RECORDED).exclude(body="").first()
    if row is None:
        return None
    try:
        return row, read_message(row.body)
    except MedcomError:  # pragma: no cover - it was read when it came
        return None


@dataclass(frozen=True)
class Attachment:
    title: str
    content_type: str
    data: bytes


def attachment(event: Event, index: int) -> Attachment | None:
    """Attachment segment number `index` of a received KM, decoded (None: there is no such attachment)."""
    received = received_message(event)
    if received is None:
        return None
    segments = received[1].communication.segments
    if not 0 <= index < len(segments) or segments[index].text is not None or not segments[index].data:
        return None
    segment = segments[index]
    try:
        data = base64.b64decode(segment.data, validate=False)
    except (binascii.Error, ValueError):
        return None
    kind = segment.content_type if segment.content_type in ATTACHMENT_TYPES else "application/octet-stream"
    return Attachment(title=segment.title or "bilag", content_type=kind, data=data)


# --- Out: a KM written on the board as a CareCommunication ------------------------------------------------


def answerable(admission: Admission) -> list[Event]:
    """The received KMs on the admission a new KM may answer or forward (newest first)."""
    return [
        event
        for event in admission.events.filter(type="message", data__code="KM").order_by("-sequence")
        if isinstance((event.data.get("content") or {}), dict)
        and "thread" in (event.data.get("content") or {}).get("medcom", {})
        and event.recorded_by_id is None
    ]


def thread_of(answered: Event, activity: str) -> dict:
    """What a KM answering (or forwarding) a received one keeps of it (stored in the new KM's content)."""
    received = received_message(answered)
    if received is None:
        raise ServiceError("Den besked, der svares på, er ikke en modtaget korrespondance.", field="answer")
    row, message = received
    return {
        "activity": activity,
        "answers": answered.sequence,
        "previous": message.message_id,
        "thread": message.communication.thread_id,
        "category": message.communication.category,
    }


def export_km(event: Event, *, now: datetime, bundle_id: str | None = None) -> dict:
    """The KM as a CareCommunication message bundle (a JSON object). Raises ServiceError when the KM cannot
    be sent as one (an address without SOR and EAN, a KM received rather than written here)."""
    from coordination.medcom.writer import OutgoingKm, build_care_communication

    if event.type != "message" or event.data.get("code") != "KM":
        raise ServiceError("Kun en korrespondancemeddelelse kan hentes som CareCommunication.")
    if received_message(event) is not None:
        raise ServiceError("Beskeden er modtaget via MedCom; kun beskeder skrevet her kan hentes.")
    admission = event.admission
    own = (event.data.get("content") or {}).get("medcom") or {}
    activity = own.get("activity", NEW)
    sender, receiver, earlier, episodes = _addresses(event, own)
    text = ((event.data.get("content") or {}).get("text") or "").strip() or event.data.get("subject", "")
    person = event.recorded_by
    ids = km_ids(event)
    km = OutgoingKm(
        message_id=ids["message"],
        thread_id=own.get("thread") or f"urn:uuid:{ids['thread']}",
        activity=activity,
        previous_message_id=own.get("previous"),
        category=own.get("category") or SUBJECT_CATEGORIES.get(event.data.get("subject", ""), "other"),
        topic=event.data.get("subject", ""),
        segments=(*earlier, Segment(text=text, written_at=event.occurred_at)),
        episode_of_care=episodes,
        author=(person.get_full_name() or person.get_username()) if person is not None else "",
        sent_at=event.occurred_at,
    )
    citizen = admission.citizen
    return build_care_communication(
        km,
        sender=sender,
        receiver=receiver,
        patient_cpr=citizen.cpr,
        patient_name=citizen.name,
        bundle_id=bundle_id or str(uuid.uuid4()),
        at=now,
        ids=ids,
    )


def km_ids(event: Event) -> dict[str, str]:
    base = f"{event.admission_id}:{event.sequence}"
    names = ("message", "thread", "segment", "communication", "patient", "sender", "receiver", "provenance")
    return {name: str(uuid.uuid5(KM_NAMESPACE, f"{base}:{name}")) for name in (*names, "encounter", "author")}


def _addresses(event: Event, own: dict):
    """Sender and receiver of an exported KM, the earlier segments it carries on and its episode ids: a
    reply goes back to the sender of the answered message, from its receiver (us); a new or forwarded KM
    goes from our side's unit to the other side's."""
    earlier: tuple[Segment, ...] = ()
    episodes: tuple[tuple[str, str], ...] = ()
    answered = None
    if own.get("answers"):
        answered = event.admission.events.filter(sequence=own["answers"]).first()
    received = received_message(answered) if answered is not None else None
    ward_unit = _ward_address(event.admission)
    municipal_unit = _municipal_address(event.admission)
    ours, theirs = (
        (ward_unit, municipal_unit)
        if event.recorded_by_side == Side.HOSPITAL
        else (municipal_unit, ward_unit)
    )
    if received is not None:
        message = received[1]
        communication: CareCommunication = message.communication
        earlier = tuple(s for s in communication.segments if s.text)
        episodes = communication.episode_of_care
        if own.get("activity") == REPLY:
            ours, theirs = message.receiver, message.sender
    for what, address in (("afsenderen", ours), ("modtageren", theirs)):
        if address is None or not address.sor or not address.ean:
            raise ServiceError(
                f"KM'en kan ikke sendes som CareCommunication: {what} mangler SOR-kode og EAN-nummer. "
                "En administrator skal registrere dem."
            )
    return ours, theirs, earlier, episodes


def _ward_address(admission: Admission) -> Organisation | None:
    ward = admission.ward
    return Organisation(sor=ward.code, ean=ward.ean, name=f"{ward.name}, {ward.hospital.name}")


def _municipal_address(admission: Admission) -> Organisation | None:
    unit = MedcomUnit.objects.filter(municipality=admission.municipality).exclude(ean="").first()
    return Organisation(sor=unit.sor_code, ean=unit.ean, name=unit.name) if unit else None
