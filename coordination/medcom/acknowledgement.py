"""The FHIR Acknowledgement every received message gets (STANDARDS § 7): `ok`, or `fatal-error` with the
reason in an OperationOutcome. Pure: the caller passes the time and the ids (no clock, no random here).

Shape as MedCom's example `Flow2-Acknowledgement_Ex_to_OIOXML.xml`: a message Bundle with a MessageHeader
(event `acknowledgement-message`, `response.identifier` = the acknowledged MessageHeader.id), the two
Organizations (we answer from the receiver to the sender) and a Provenance with activity `acknowledgement`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coordination.medcom.messages import (
    ACKNOWLEDGEMENT,
    ACTIVITY_SYSTEM,
    EVENT_SYSTEM,
    GLN_SYSTEMS,
    SOR_SYSTEM,
    Organisation,
)

ACK_PROFILE = "http://medcomfhir.dk/ig/acknowledgement/StructureDefinition/medcom-messaging-acknowledgement"
UNKNOWN = Organisation(sor="", ean="", name="")


def _organisation(org_id: str, org: Organisation) -> dict[str, Any]:
    identifiers = []
    if org.ean:
        identifiers.append({"system": GLN_SYSTEMS[0], "value": org.ean})
    if org.sor:
        identifiers.append({"system": SOR_SYSTEM, "value": org.sor})
    resource: dict[str, Any] = {"resourceType": "Organization", "id": org_id}
    if identifiers:
        resource["identifier"] = identifiers
    if org.name:
        resource["name"] = org.name
    return resource


def _endpoint(org: Organisation) -> str:
    return f"https://sor2.sum.dsdn.dk/#id={org.sor}" if org.sor else "urn:unknown"


def build_acknowledgement(
    *,
    ids: list[str],
    at: datetime,
    acknowledged_message_id: str,
    original_sender: Organisation | None,
    original_receiver: Organisation | None,
    error: str | None = None,
) -> dict[str, Any]:
    """The Acknowledgement bundle (as a JSON object). `ids` are fresh ids for the bundle, the header, the
    two organisations, the Provenance and the OperationOutcome (six, in that order)."""
    bundle_id, header_id, us_id, them_id, provenance_id, outcome_id = ids
    us = original_receiver or UNKNOWN
    them = original_sender or UNKNOWN
    stamp = at.isoformat()
    response: dict[str, Any] = {
        "identifier": acknowledged_message_id or "unknown",
        "code": "fatal-error" if error else "ok",
    }
    entries: list[dict[str, Any]] = []
    if error:
        response["details"] = {"reference": f"OperationOutcome/{outcome_id}"}
    header: dict[str, Any] = {
        "resourceType": "MessageHeader",
        "id": header_id,
        "eventCoding": {"system": EVENT_SYSTEM, "code": ACKNOWLEDGEMENT},
        "destination": [
            {
                "extension": [
                    {
                        "url": "http://medcomfhir.dk/ig/messaging/StructureDefinition/"
                        "medcom-messaging-destinationUseExtension",
                        "valueCoding": {
                            "system": "http://medcomfhir.dk/ig/terminology/CodeSystem/"
                            "medcom-messaging-destinationUse",
                            "code": "primary",
                        },
                    }
                ],
                "endpoint": _endpoint(them),
                "receiver": {"reference": f"Organization/{them_id}"},
            }
        ],
        "sender": {"reference": f"Organization/{us_id}"},
        "source": {"endpoint": _endpoint(us)},
        "response": response,
    }
    entries.append(header)
    entries.append(_organisation(us_id, us))
    entries.append(_organisation(them_id, them))
    entries.append(
        {
            "resourceType": "Provenance",
            "id": provenance_id,
            "target": [{"reference": f"MessageHeader/{header_id}"}],
            "occurredDateTime": stamp,
            "recorded": stamp,
            "activity": {"coding": [{"system": ACTIVITY_SYSTEM, "code": "acknowledgement"}]},
            "agent": [{"who": {"reference": f"Organization/{us_id}"}}],
            "entity": [
                {
                    "role": "quotation",
                    "what": {"reference": f"MessageHeader/{acknowledged_message_id or 'unknown'}"},
                }
            ],
        }
    )
    if error:
        entries.append(
            {
                "resourceType": "OperationOutcome",
                "id": outcome_id,
                "issue": [{"severity": "fatal", "code": "invalid", "diagnostics": error}],
            }
        )
    return {
        "resourceType": "Bundle",
        "id": bundle_id,
        "meta": {"profile": [ACK_PROFILE]},
        "type": "message",
        "timestamp": stamp,
        "entry": [{"fullUrl": f"{e['resourceType']}/{e['id']}", "resource": e} for e in entries],
    }
