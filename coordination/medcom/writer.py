"""Writing a CareCommunication (STANDARDS § 4): a KM of ours as a MedCom message bundle, pure like the reader
(the caller passes the ids and the time). It reads back through `read_message` and validates as FHIR R4B.

Bundle → MessageHeader (focus = the Communication, one primary destination) → Communication (thread id,
category, topic, text segments each with its date and identifier) + Patient (CPR) + the two
Organizations (SOR and EAN) + a Provenance (`new-message`, `reply-message` or `forward-message`; a reply or
forward refers to the answered MessageHeader with role `revision`) + an Encounter with the episode-of-care
identifiers a reply or forward carries on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from coordination.medcom.acknowledgement import _organisation
from coordination.medcom.messages import (
    ACT_CODE_SYSTEM,
    ACTIVITY_SYSTEM,
    CARE_COMMUNICATION,
    CPR_SYSTEM,
    EVENT_SYSTEM,
    Organisation,
    Segment,
)

CC = "http://medcomfhir.dk/ig/carecommunication/StructureDefinition/"
CORE = "http://medcomfhir.dk/ig/core/StructureDefinition/"
CATEGORY_SYSTEM = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-careCommunication-categoryCodes"
DESTINATION_USE = (
    "http://medcomfhir.dk/ig/messaging/StructureDefinition/medcom-messaging-destinationUseExtension"
)
DESTINATION_SYSTEM = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-destinationUse"


@dataclass(frozen=True)
class OutgoingKm:
    message_id: str
    thread_id: str
    activity: str  # new-message | reply-message | forward-message
    previous_message_id: str | None
    category: str
    topic: str
    segments: tuple[Segment, ...]  # text segments; the last one is this message's own
    episode_of_care: tuple[tuple[str, str], ...]
    author: str
    sent_at: datetime


def _narrative(text: str) -> dict[str, str]:
    from html import escape

    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{escape(text)}</div>'}


def build_care_communication(
    km: OutgoingKm,
    *,
    sender: Organisation,
    receiver: Organisation,
    patient_cpr: str,
    patient_name: str,
    bundle_id: str,
    at: datetime,
    ids: dict[str, str],
) -> dict[str, Any]:
    """The bundle as a JSON object. `ids`: message, communication, patient, sender, receiver, provenance,
    encounter, segment, author."""
    sent = km.sent_at.isoformat()
    ref = {name: f"{kind}/{ids[name]}" for name, kind in _KINDS.items()}
    header: dict[str, Any] = {
        "resourceType": "MessageHeader",
        "id": km.message_id,
        "meta": {"profile": [CC + "medcom-careCommunication-messageHeader"]},
        "text": _narrative(f"CareCommunication {km.activity}"),
        "eventCoding": {"system": EVENT_SYSTEM, "code": CARE_COMMUNICATION},
        "destination": [
            {
                "extension": [
                    {"url": DESTINATION_USE, "valueCoding": {"system": DESTINATION_SYSTEM, "code": "primary"}}
                ],
                "endpoint": f"https://sor2.sum.dsdn.dk/#id={receiver.sor}",
                "receiver": {"reference": ref["receiver"]},
            }
        ],
        "sender": {"reference": ref["sender"]},
        "source": {"endpoint": f"https://sor2.sum.dsdn.dk/#id={sender.sor}"},
        "focus": [{"reference": ref["communication"]}],
    }
    segments = []
    for n, segment in enumerate(km.segments):
        own = n == len(km.segments) - 1
        extension: list[dict[str, Any]] = [
            {
                "url": CORE + "medcom-core-datetime-extension",
                "valueDateTime": (segment.written_at or km.sent_at).isoformat(),
            },
            {
                "url": CORE + "medcom-core-identifier-extension",
                "valueIdentifier": {"value": f"urn:uuid:{ids['segment']}" if own else f"urn:segment:{n}"},
            },
        ]
        if own and km.author:
            extension.append(
                {"url": CORE + "medcom-core-practitioner-extension", "valueReference": {"display": km.author}}
            )
        segments.append({"extension": extension, "contentString": segment.text or ""})
    communication: dict[str, Any] = {
        "resourceType": "Communication",
        "id": ids["communication"],
        "meta": {"profile": [CC + "medcom-careCommunication-communication"]},
        "text": _narrative(km.segments[-1].text or ""),
        "identifier": [{"value": km.thread_id}],
        "status": "unknown",
        "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": km.category}]}],
        "subject": {"reference": ref["patient"]},
        "payload": segments,
    }
    if km.topic:
        communication["topic"] = {"text": km.topic}
    entries: list[dict[str, Any]] = [header, communication]
    entries.append(
        {
            "resourceType": "Patient",
            "id": ids["patient"],
            "text": _narrative(patient_name),
            "identifier": [{"system": CPR_SYSTEM, "value": patient_cpr}],
            "name": [_name(patient_name)],
        }
    )
    if km.episode_of_care:
        communication["encounter"] = {"reference": ref["encounter"]}
        entries.append(
            {
                "resourceType": "Encounter",
                "id": ids["encounter"],
                "text": _narrative("Encounter"),
                "status": "unknown",
                "class": {"system": ACT_CODE_SYSTEM, "code": "IMP"},
                "subject": {"reference": ref["patient"]},
                "episodeOfCare": [
                    {"identifier": {"system": system, "value": value}} for system, value in km.episode_of_care
                ],
            }
        )
    for name, org in (("sender", sender), ("receiver", receiver)):
        organisation = _organisation(ids[name], org)
        organisation["text"] = _narrative(org.name)
        entries.append(organisation)
    entity = [{"role": "source", "what": {"identifier": {"value": f"urn:uuid:{ids['segment']}"}}}]
    if km.previous_message_id:
        entity.append({"role": "revision", "what": {"reference": f"MessageHeader/{km.previous_message_id}"}})
    entries.append(
        {
            "resourceType": "Provenance",
            "id": ids["provenance"],
            "meta": {"profile": [CC + "medcom-careCommunication-provenance"]},
            "text": _narrative(km.activity),
            "target": [{"reference": f"MessageHeader/{km.message_id}"}],
            "occurredDateTime": sent,
            "recorded": sent,
            "activity": {"coding": [{"system": ACTIVITY_SYSTEM, "code": km.activity}]},
            "agent": [{"who": {"reference": ref["sender"]}}],
            "entity": entity,
        }
    )
    return {
        "resourceType": "Bundle",
        "id": bundle_id,
        "meta": {"profile": [CC + "medcom-careCommunication-message"]},
        "type": "message",
        "timestamp": at.isoformat(),
        "entry": [{"fullUrl": f"{e['resourceType']}/{e['id']}", "resource": e} for e in entries],
    }


_KINDS = {
    "communication": "Communication",
    "patient": "Patient",
    "sender": "Organization",
    "receiver": "Organization",
    "encounter": "Encounter",
}


def _name(full: str) -> dict[str, Any]:
    parts = full.split()
    if not parts:
        return {"text": ""}
    return {"family": parts[-1], "given": parts[:-1]} if len(parts) > 1 else {"family": parts[0]}
