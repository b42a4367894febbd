"""Reading MedCom FHIR R4 messages (JSON or XML): `read_message(body) -> Message`.

Pure like the rules engine: no Django, no clock, no database. The structure is checked by `fhir.resources`'
R4B models (its default R5 models reject MedCom's R4 bundles); MedCom's own rules are checked here
(`../shared/medcom/STANDARDS.md` §§ 2-4 and the caveats of its README):

- a `Bundle` of type `message` whose first entry is the MessageHeader, with an event code of MedCom's
  CodeSystem (HospitalNotification, CareCommunication, Acknowledgement);
- sender and primary receiver are Organizations in the bundle with a SOR code (`urn:oid:1.2.208.176.1.1`)
  and an EAN/GLN (`https://www.gs1.org/gln`, or `urn:oid:1.3.88` as MedCom's mapping page writes it);
- exactly one Patient with a CPR (`urn:oid:1.2.208.176.1.2`); a replacement CPR (X-/D-eCPR) only in a
  CareCommunication, never in a HospitalNotification; modulus 11 is never required;
- a Provenance whose target is this message (its activity gives the HN use-case code, STANDARDS § 3.1);
  history Provenances may point at messages outside the bundle;
- HN: the Encounter with status, class (IMP/EMER), `period.start`, episode-of-care identifiers and, on
  leave, the leave period; KM: the Communication with category, topic (the KM's subject) and text.

Every refusal is a `MedcomError` whose text is one Danish line naming what is missing or wrong."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from coordination.medcom.contents import care_communication, hospital_notification
from coordination.medcom.messages import (
    ACKNOWLEDGEMENT,
    EVENT_CODES,
    EVENT_SYSTEM,
    HOSPITAL_NOTIFICATION,
    XML_DANGER,
    MedcomError,
    Message,
)
from coordination.medcom.resources import Resources, first_error, read_history, read_organisation, short


def read_message(body: bytes | str) -> Message:
    """Parse and check one MedCom FHIR message (JSON or XML). Raises MedcomError."""
    bundle = parse_bundle(body)
    try:
        return read_bundle(bundle)
    except MedcomError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as error:
        # A shape MedCom's rules did not foresee (found by fuzzing): refused with a line, never a traceback.
        raise MedcomError(f"Beskeden kan ikke læses som MedCom-besked: {short(error)}") from None


def parse_bundle_loosely(body: bytes | str) -> dict[str, Any] | None:
    """The MessageHeader id, sender and receiver a faulty message names, for its negative Acknowledgement:
    best effort on the raw JSON (None when there is nothing to read)."""
    try:
        obj = json.loads(body)
    except (ValueError, TypeError, RecursionError):
        return None
    if not isinstance(obj, dict):
        return None
    entries = obj.get("entry")
    if not isinstance(entries, list) or not entries or not isinstance(entries[0], dict):
        return {"bundle_id": obj.get("id") if isinstance(obj.get("id"), str) else None}
    header = entries[0].get("resource")
    header_id = header.get("id") if isinstance(header, dict) else None
    return {
        "bundle_id": obj.get("id") if isinstance(obj.get("id"), str) else None,
        "message_id": header_id if isinstance(header_id, str) else None,
    }


def parse_bundle(body: bytes | str):
    from fhir.resources.R4B.bundle import Bundle

    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    text = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        raise MedcomError("Beskeden er tom.")
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        raise MedcomError("Beskeden er ikke kodet som UTF-8.") from None
    obj: Any = None
    try:
        if text[:1] == b"{":
            obj = json.loads(text)
            if not isinstance(obj, dict) or obj.get("resourceType") != "Bundle":
                raise MedcomError("Beskeden er ikke en FHIR Bundle (resourceType 'Bundle' mangler).")
            return Bundle.model_validate(obj)
        if text[:1] == b"<":
            if XML_DANGER.search(text):
                raise MedcomError("XML med DOCTYPE eller ENTITY modtages ikke.")
            if b"<Bundle" not in text[:2000] or b"http://hl7.org/fhir" not in text[:2000]:
                raise MedcomError(
                    "Beskeden er ikke en FHIR Bundle; OIOXML-breve (XDIS91, XCTL03 …) skal omsættes til "
                    "FHIR af VANS' konverteringsservice."
                )
            obj = None
            return Bundle.model_validate_xml(text)
    except MedcomError:
        raise
    except ValidationError as error:
        raise MedcomError(f"Beskeden er ikke gyldig FHIR R4: {first_error(error, obj)}") from None
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError, SyntaxError) as error:
        # SyntaxError: lxml's XMLSyntaxError (a truncated or broken XML body).
        raise MedcomError(f"Beskeden kan ikke læses som FHIR: {short(error)}") from None
    raise MedcomError("Beskeden er hverken FHIR JSON eller FHIR XML.")


def read_bundle(bundle) -> Message:
    if bundle.type != "message":
        raise MedcomError(f"Bundle.type skal være 'message', ikke '{bundle.type}'.")
    entries = bundle.entry or []
    if (
        not entries
        or entries[0].resource is None
        or entries[0].resource.get_resource_type() != "MessageHeader"
    ):
        raise MedcomError("Den første post i beskeden skal være MessageHeader.")
    resources = Resources(bundle)
    header = entries[0].resource
    if not header.id:
        raise MedcomError("MessageHeader.id mangler.")
    coding = getattr(header, "eventCoding", None)
    if coding is None or not coding.code:
        raise MedcomError("MessageHeader.eventCoding mangler (beskedens type).")
    if coding.system != EVENT_SYSTEM or coding.code not in EVENT_CODES:
        raise MedcomError(f"Ukendt beskedtype i MessageHeader.eventCoding: {coding.system}#{coding.code}.")
    sender = read_organisation(resources, header.sender, "MessageHeader.sender")
    destinations = [d for d in header.destination or [] if d.receiver is not None]
    if not destinations:
        raise MedcomError("MessageHeader.destination.receiver mangler (modtageren).")
    receiver = read_organisation(resources, destinations[0].receiver, "MessageHeader.destination.receiver")
    history = tuple(read_history(p) for p in resources.all("Provenance"))
    common = dict(
        message_id=str(header.id),
        bundle_id=str(bundle.id or ""),
        sent_at=bundle.timestamp,
        sender=sender,
        receiver=receiver,
        history=history,
    )
    if coding.code == ACKNOWLEDGEMENT:
        response = header.response
        if response is None:
            raise MedcomError("MessageHeader.response mangler i kvitteringen.")
        return Message(
            kind=ACKNOWLEDGEMENT,
            event=ACKNOWLEDGEMENT,
            patient=None,
            response_to=str(response.identifier),
            response_code=response.code,
            **common,
        )
    if not any(h.message_id == header.id for h in history):
        raise MedcomError("Provenance for beskeden mangler (ingen Provenance peger på denne MessageHeader).")
    if coding.code == HOSPITAL_NOTIFICATION:
        return hospital_notification(resources, header, common)
    return care_communication(resources, header, common)
