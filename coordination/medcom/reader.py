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

import base64
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from coordination.rules.calendar import FIRST_YEAR, LAST_YEAR, in_accepted_range

SOR_SYSTEM = "urn:oid:1.2.208.176.1.1"
GLN_SYSTEMS = ("https://www.gs1.org/gln", "urn:oid:1.3.88")
CPR_SYSTEM = "urn:oid:1.2.208.176.1.2"
ECPR_SYSTEM_PREFIX = "urn:oid:1.2.208.176.1.6.1."
EVENT_SYSTEM = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-eventCodes"
ACTIVITY_SYSTEM = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-activityCodes"
ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
REPORT_OF_ADMISSION = "reportOfAdmissionExtension"
LEAVE_PERIOD = "leave-period-extension"

HOSPITAL_NOTIFICATION = "hospital-notification-message"
CARE_COMMUNICATION = "care-communication-message"
ACKNOWLEDGEMENT = "acknowledgement-message"
EVENT_CODES = (HOSPITAL_NOTIFICATION, CARE_COMMUNICATION, ACKNOWLEDGEMENT)

# STANDARDS § 3.1: the HN use-case code from the current Provenance's activity (MORS from Patient.deceased).
_HN_ACTIVITY_CODES = {
    "admit-emergency": "STAA",
    "admit-inpatient": "STIN",
    "start-leave-inpatient": "STOR",
    "end-leave-inpatient": "SLOR",
    "discharge-emergency-home": "SLHJ",
    "discharge-inpatient-home": "SLHJ",
}
# The Encounter status each HN code carries (STANDARDS § 3.1 table).
_HN_STATUS = {
    "STAA": ("in-progress",),
    "STIN": ("in-progress",),
    "STOR": ("onleave",),
    "SLOR": ("in-progress",),
    "SLHJ": ("finished",),
    "MORS": ("finished",),
}
KM_ACTIVITIES = ("new-message", "reply-message", "forward-message")
_ECPR = re.compile(r"^[0-9]{6}[0-9][A-Z]{2}[0-9]$")
# Anything that makes an XML parser fetch or expand: refused before parsing (XXE, "billion laughs").
_XML_DANGER = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


class MedcomError(ValueError):
    """A message that cannot be accepted. `str(error)` is one Danish line naming what is missing or wrong."""


@dataclass(frozen=True)
class Organisation:
    sor: str
    ean: str
    name: str


@dataclass(frozen=True)
class Patient:
    cpr: str | None
    replacement_cpr: str | None
    name: str
    deceased: bool


@dataclass(frozen=True)
class Stay:
    """A HospitalNotification's Encounter: the stay as the hospital registered it."""

    status: str
    encounter_class: str
    start: datetime
    end: datetime | None
    leave_start: datetime | None
    leave_end: datetime | None
    episode_of_care: tuple[tuple[str, str], ...]  # (system, value), at least one
    service_provider_sor: str  # the department (serviceProvider), else the sender's SOR


@dataclass(frozen=True)
class History:
    """One Provenance: what was done (`activity`) to which message, and the earlier messages it refers to
    with their role (`revision` for a correction, reply or forward; `removal` for a cancellation)."""

    activity: str
    recorded: datetime | None
    message_id: str
    previous: tuple[tuple[str, str], ...]  # (role, message id)


@dataclass(frozen=True)
class Segment:
    text: str | None
    title: str | None = None
    content_type: str | None = None
    data: str | None = None  # base64, as received
    url: str | None = None
    written_at: datetime | None = None


@dataclass(frozen=True)
class CareCommunication:
    thread_id: str
    category: str
    topic: str
    priority: str | None
    segments: tuple[Segment, ...]
    episode_of_care: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Message:
    kind: str  # one of EVENT_CODES
    event: str  # STIN, SLHJ, RE_STIN … for HN; the event code for the others
    message_id: str
    bundle_id: str
    sent_at: datetime | None
    sender: Organisation
    receiver: Organisation
    patient: Patient | None
    history: tuple[History, ...]
    stay: Stay | None = None
    report_of_admission: bool = False
    communication: CareCommunication | None = None
    response_to: str | None = None  # Acknowledgement: the acknowledged message id
    response_code: str | None = None

    @property
    def current(self) -> History | None:
        """The Provenance of this message itself (its target is this MessageHeader)."""
        return next((h for h in self.history if h.message_id == self.message_id), None)

    @property
    def referenced_message_id(self) -> str | None:
        """The earlier notice a correction (RE_) or cancellation (AN_), a reply or a forward refers to."""
        current = self.current
        if current is None or not current.previous:
            return None
        return current.previous[0][1]

    @property
    def encounter_time(self) -> datetime | None:
        """When the registered fact happened in the real world (STANDARDS § 3: what the UI shows)."""
        stay = self.stay
        if stay is None:
            return self.sent_at
        if self.event in ("SLHJ", "MORS") and stay.end is not None:
            return stay.end
        if self.event == "STOR" and stay.leave_start is not None:
            return stay.leave_start
        if self.event == "SLOR" and stay.leave_end is not None:
            return stay.leave_end
        return stay.start


# --- Entry point ----------------------------------------------------------------------------------------


def read_message(body: bytes | str) -> Message:
    """Parse and check one MedCom FHIR message (JSON or XML). Raises MedcomError."""
    bundle = _parse_bundle(body)
    return _read_bundle(bundle)


def parse_bundle_loosely(body: bytes | str) -> dict[str, Any] | None:
    """The MessageHeader id, sender and receiver a faulty message names, for its negative Acknowledgement:
    best effort on the raw JSON (None when there is nothing to read)."""
    try:
        obj = json.loads(body)
    except (ValueError, TypeError):
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


def _parse_bundle(body: bytes | str):
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
            if _XML_DANGER.search(text):
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
        raise MedcomError(f"Beskeden er ikke gyldig FHIR R4: {_first_error(error, obj)}") from None
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as error:
        raise MedcomError(f"Beskeden kan ikke læses som FHIR: {_short(error)}") from None
    raise MedcomError("Beskeden er hverken FHIR JSON eller FHIR XML.")


def _first_error(error: ValidationError, obj: Any) -> str:
    """Every element the FHIR model misses, named as `Resource.element` (MessageHeader.eventCoding …)."""
    parts = []
    for item in error.errors()[:5]:
        loc = [str(p) for p in item.get("loc", ())]
        where = ".".join(loc)
        if len(loc) >= 3 and loc[0] == "entry" and loc[2] == "resource":
            kind = _resource_type(obj, loc[1])
            where = ".".join([kind, *loc[3:]])
        message = str(item.get("msg", ""))
        choice = re.search(r"from this list \[([^\]]*)\]", message)
        if choice:
            first = choice.group(1).split(",")[0].strip(" '")
            parts.append(f"{where}.{first} mangler")
        elif item.get("type") == "missing":
            parts.append(f"{where} mangler")
        else:
            parts.append(f"{where}: {message}")
    return _short("; ".join(parts))


def _resource_type(obj: Any, index: str) -> str:
    try:
        return str(obj["entry"][int(index)]["resource"]["resourceType"])
    except (KeyError, IndexError, TypeError, ValueError):
        return f"entry {index}"


def _short(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 200 else text[:197] + "..."


# --- MedCom's rules on the parsed bundle ----------------------------------------------------------------


class _Resources:
    """The bundle's resources by type and by `Type/id` reference."""

    def __init__(self, bundle):
        self.by_type: dict[str, list] = {}
        self.by_ref: dict[str, Any] = {}
        for entry in bundle.entry or []:
            resource = entry.resource
            if resource is None:
                continue
            kind = resource.get_resource_type()
            self.by_type.setdefault(kind, []).append(resource)
            if resource.id:
                self.by_ref[f"{kind}/{resource.id}"] = resource
            if entry.fullUrl:
                self.by_ref[str(entry.fullUrl)] = resource

    def all(self, kind: str) -> list:
        return self.by_type.get(kind, [])

    def resolve(self, reference, what: str):
        ref = getattr(reference, "reference", None)
        if not ref:
            raise MedcomError(f"{what} mangler en reference.")
        resource = self.by_ref.get(ref) or self.by_ref.get(
            ref.rsplit("/", 2)[-2] + "/" + ref.rsplit("/", 1)[-1]
        )
        if resource is None:
            raise MedcomError(f"{what} peger på {ref}, som ikke er i beskeden.")
        return resource


def _read_bundle(bundle) -> Message:
    if bundle.type != "message":
        raise MedcomError(f"Bundle.type skal være 'message', ikke '{bundle.type}'.")
    entries = bundle.entry or []
    if (
        not entries
        or entries[0].resource is None
        or entries[0].resource.get_resource_type() != "MessageHeader"
    ):
        raise MedcomError("Den første post i beskeden skal være MessageHeader.")
    resources = _Resources(bundle)
    header = entries[0].resource
    if not header.id:
        raise MedcomError("MessageHeader.id mangler.")
    coding = getattr(header, "eventCoding", None)
    if coding is None or not coding.code:
        raise MedcomError("MessageHeader.eventCoding mangler (beskedens type).")
    if coding.system != EVENT_SYSTEM or coding.code not in EVENT_CODES:
        raise MedcomError(f"Ukendt beskedtype i MessageHeader.eventCoding: {coding.system}#{coding.code}.")
    sender = _organisation(resources, header.sender, "MessageHeader.sender")
    destinations = [d for d in header.destination or [] if d.receiver is not None]
    if not destinations:
        raise MedcomError("MessageHeader.destination.receiver mangler (modtageren).")
    receiver = _organisation(resources, destinations[0].receiver, "MessageHeader.destination.receiver")
    history = tuple(_history(p) for p in resources.all("Provenance"))
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
        return _hospital_notification(resources, header, common)
    return _care_communication(resources, header, common)


def _identifier(resource, systems: tuple[str, ...]) -> str:
    for identifier in getattr(resource, "identifier", None) or []:
        if identifier.system in systems and identifier.value:
            return str(identifier.value)
    return ""


def _organisation(resources: _Resources, reference, what: str) -> Organisation:
    if reference is None:
        raise MedcomError(f"{what} mangler.")
    org = resources.resolve(reference, what)
    if org.get_resource_type() != "Organization":
        raise MedcomError(f"{what} skal være en Organization.")
    sor = _identifier(org, (SOR_SYSTEM,))
    ean = _identifier(org, GLN_SYSTEMS)
    name = org.name or ""
    if not sor:
        raise MedcomError(f"{what} ({name or org.id}) mangler SOR-kode ({SOR_SYSTEM}).")
    if not ean:
        raise MedcomError(f"{what} ({name or org.id}) mangler EAN/lokationsnummer (GLN).")
    return Organisation(sor=sor, ean=ean, name=name)


def _message_id(reference: str | None) -> str:
    # "MessageHeader/<id>" (possibly an absolute URL): the id after the last slash.
    return (reference or "").rstrip("/").rsplit("/", 1)[-1]


def _history(provenance) -> History:
    codes = [c.code for c in (provenance.activity.coding or [])] if provenance.activity else []
    if not codes:
        raise MedcomError(f"Provenance {provenance.id}: activity mangler.")
    targets = [t.reference for t in provenance.target or [] if t.reference]
    if not targets:
        raise MedcomError(f"Provenance {provenance.id}: target mangler.")
    previous = []
    for entity in provenance.entity or []:
        what = entity.what
        if entity.role in ("revision", "removal") and what is not None and what.reference:
            previous.append((entity.role, _message_id(what.reference)))
    return History(
        activity=str(codes[0]),
        recorded=provenance.recorded,
        message_id=_message_id(targets[0]),
        previous=tuple(previous),
    )


def _patient(resources: _Resources, *, replacement_allowed: bool) -> Patient:
    patients = resources.all("Patient")
    if len(patients) != 1:
        raise MedcomError(f"Beskeden skal have præcis én Patient, ikke {len(patients)}.")
    patient = patients[0]
    cpr = _identifier(patient, (CPR_SYSTEM,)) or None
    replacement = None
    for identifier in patient.identifier or []:
        if (identifier.system or "").startswith(ECPR_SYSTEM_PREFIX) and identifier.value:
            replacement = str(identifier.value)
    if cpr is not None:
        from coordination.cpr import CprError, validate_cpr

        try:
            cpr = validate_cpr(cpr)
        except CprError as error:
            raise MedcomError(f"Patientens CPR-nummer er ugyldigt: {error}") from None
    if replacement is not None and not _ECPR.match(replacement):
        raise MedcomError(
            f"Patientens erstatnings-CPR {replacement!r} har ikke formen DDMMÅÅ, ciffer, 2 bogstaver, ciffer."
        )
    if cpr is None and (replacement is None or not replacement_allowed):
        if replacement is not None:
            raise MedcomError(
                "Et advis om sygehusophold skal have patientens CPR-nummer; erstatnings-CPR er ikke tilladt."
            )
        raise MedcomError(f"Patientens CPR-nummer mangler ({CPR_SYSTEM}).")
    names = []
    for name in patient.name or []:
        names.append(" ".join([*(name.given or []), name.family or ""]).strip())
    return Patient(
        cpr=cpr,
        replacement_cpr=replacement,
        name=next((n for n in names if n), ""),
        deceased=bool(getattr(patient, "deceasedBoolean", False)),
    )


def _hospital_notification(resources: _Resources, header, common: dict) -> Message:
    patient = _patient(resources, replacement_allowed=False)
    if not header.focus:
        raise MedcomError("MessageHeader.focus mangler (Encounter).")
    encounter = resources.resolve(header.focus[0], "MessageHeader.focus")
    if encounter.get_resource_type() != "Encounter":
        raise MedcomError("MessageHeader.focus skal pege på en Encounter.")
    klass = getattr(encounter, "class_fhir", None)
    if klass is None or not klass.code:
        raise MedcomError("Encounter.class mangler (indlagt IMP eller akut ambulant EMER).")
    if klass.code not in ("IMP", "EMER"):
        raise MedcomError(f"Encounter.class skal være IMP eller EMER, ikke '{klass.code}'.")
    if encounter.period is None or encounter.period.start is None:
        raise MedcomError("Encounter.period.start mangler (tidspunktet for fremmødet).")
    if encounter.period.start.tzinfo is None:
        raise MedcomError("Encounter.period.start mangler UTC-forskydning.")
    episodes = tuple(
        (str(e.identifier.system or ""), str(e.identifier.value))
        for e in encounter.episodeOfCare or []
        if e.identifier is not None and e.identifier.value
    )
    if not episodes:
        raise MedcomError("Encounter.episodeOfCare.identifier mangler (forløbets id).")
    if encounter.serviceProvider is None:
        raise MedcomError("Encounter.serviceProvider mangler.")
    leave_start = leave_end = None
    for extension in encounter.extension or []:
        if str(extension.url).endswith(LEAVE_PERIOD) and extension.valuePeriod is not None:
            leave_start, leave_end = extension.valuePeriod.start, extension.valuePeriod.end
    for name, moment in (
        ("Encounter.period.start", encounter.period.start),
        ("Encounter.period.end", encounter.period.end),
        ("orlovsperiodens start", leave_start),
        ("orlovsperiodens slutning", leave_end),
    ):
        # The years every time given must lie in (rules.FIRST_YEAR..LAST_YEAR): year 1 cannot be stored.
        if isinstance(moment, datetime) and not in_accepted_range(moment):
            raise MedcomError(
                f"{name} ligger i år {moment.year}; kun årene {FIRST_YEAR}–{LAST_YEAR} kan passe."
            )
    provider = resources.by_ref.get(getattr(encounter.serviceProvider, "reference", None) or "")
    provider_sor = _identifier(provider, (SOR_SYSTEM,)) if provider is not None else ""
    stay = Stay(
        service_provider_sor=provider_sor or common["sender"].sor,
        status=encounter.status,
        encounter_class=klass.code,
        start=encounter.period.start,
        end=encounter.period.end,
        leave_start=leave_start,
        leave_end=leave_end,
        episode_of_care=episodes,
    )
    history = common["history"]
    current = next(h for h in history if h.message_id == common["message_id"])
    event = _hn_event(current.activity, stay, patient)
    base = event.split("_", 1)[-1]
    if not event.startswith("AN_") and stay.status not in _HN_STATUS[base]:
        raise MedcomError(
            f"{event}: Encounter.status skal være {' eller '.join(_HN_STATUS[base])}, ikke '{stay.status}'."
        )
    if event.startswith("AN_") and base in ("STIN", "STAA") and stay.status != "entered-in-error":
        raise MedcomError(f"{event}: Encounter.status skal være 'entered-in-error'.")
    if base in ("SLHJ", "MORS") and stay.end is None:
        raise MedcomError(f"{event}: Encounter.period.end mangler (tidspunktet borgeren gik eller døde).")
    if base in ("STOR", "SLOR") and stay.leave_start is None:
        raise MedcomError(f"{event}: orlovsperioden (leave-period-extension) mangler.")
    if base == "SLOR" and stay.leave_end is None:
        raise MedcomError(f"{event}: orlovsperiodens slut mangler.")
    if event[:3] in ("RE_", "AN_") and not current.previous:
        raise MedcomError(f"{event}: Provenance.entity mangler den besked, der rettes eller annulleres.")
    report = False
    for extension in header.extension or []:
        if str(extension.url).endswith(REPORT_OF_ADMISSION):
            report = bool(extension.valueBoolean)
    return Message(
        kind=HOSPITAL_NOTIFICATION,
        event=event,
        patient=patient,
        stay=stay,
        report_of_admission=report,
        **common,
    )


def _base64(data: Any) -> str | None:
    # fhir.resources hands base64Binary over decoded; the attachment is kept as the base64 text it came as.
    if data is None:
        return None
    return base64.b64encode(data).decode("ascii") if isinstance(data, bytes) else str(data)


def _hn_event(activity: str, stay: Stay, patient: Patient) -> str:
    """STANDARDS § 3.1: the use-case code is composed of activity, status, class and Patient.deceased."""
    if patient.deceased and stay.status == "finished":
        return "MORS"
    for prefix, marker in (("revise-", "RE_"), ("cancel-", "AN_")):
        if activity.startswith(prefix):
            base = _HN_ACTIVITY_CODES.get(activity[len(prefix) :])
            if base is None:
                break
            return marker + base
    code = _HN_ACTIVITY_CODES.get(activity)
    if code is None:
        raise MedcomError(f"Provenance.activity '{activity}' hører ikke til et advis om sygehusophold.")
    return code


def _care_communication(resources: _Resources, header, common: dict) -> Message:
    patient = _patient(resources, replacement_allowed=True)
    if not header.focus:
        raise MedcomError("MessageHeader.focus mangler (Communication).")
    communication = resources.resolve(header.focus[0], "MessageHeader.focus")
    if communication.get_resource_type() != "Communication":
        raise MedcomError("MessageHeader.focus skal pege på en Communication.")
    thread = next((str(i.value) for i in communication.identifier or [] if i.value), "")
    if not thread:
        raise MedcomError("Communication.identifier mangler (trådens id).")
    category = ""
    for concept in communication.category or []:
        for coding in concept.coding or []:
            category = category or str(coding.code or "")
    if not category:
        raise MedcomError("Communication.category mangler.")
    # STANDARDS § 4: the topic (the KM's subject, "emne") is required when the category is `other`.
    topic = (communication.topic.text or "").strip() if communication.topic else ""
    if not topic and category == "other":
        raise MedcomError("Communication.topic mangler; emnet er påkrævet med kategorien 'other'.")
    if communication.priority and category != "regarding-referral":
        raise MedcomError("Communication.priority er kun tilladt med kategorien 'regarding-referral'.")
    segments = []
    for payload in communication.payload or []:
        written = next(
            (x.valueDateTime for x in payload.extension or [] if str(x.url).endswith("datetime-extension")),
            None,
        )
        if payload.contentString is not None:
            segments.append(Segment(text=str(payload.contentString), written_at=written))
        elif payload.contentAttachment is not None:
            attachment = payload.contentAttachment
            if not attachment.title:
                raise MedcomError("Et bilag i Communication.payload mangler titel.")
            segments.append(
                Segment(
                    text=None,
                    title=str(attachment.title),
                    content_type=attachment.contentType,
                    data=_base64(attachment.data),
                    url=str(attachment.url) if attachment.url else None,
                    written_at=written,
                )
            )
    if not any(s.text for s in segments):
        raise MedcomError("Communication.payload mangler et tekstafsnit.")
    episodes: tuple[tuple[str, str], ...] = ()
    if communication.encounter is not None:
        encounter = resources.resolve(communication.encounter, "Communication.encounter")
        episodes = tuple(
            (str(e.identifier.system or ""), str(e.identifier.value))
            for e in getattr(encounter, "episodeOfCare", None) or []
            if e.identifier is not None and e.identifier.value
        )
        if not episodes:
            raise MedcomError("Communication.encounter skal have et episodeOfCare-id.")
    current = next(h for h in common["history"] if h.message_id == common["message_id"])
    if current.activity not in KM_ACTIVITIES:
        raise MedcomError(
            f"Provenance.activity '{current.activity}' hører ikke til en korrespondancemeddelelse."
        )
    return Message(
        kind=CARE_COMMUNICATION,
        event=CARE_COMMUNICATION,
        patient=patient,
        communication=CareCommunication(
            thread_id=thread,
            category=category,
            topic=topic,
            priority=communication.priority,
            segments=tuple(segments),
            episode_of_care=episodes,
        ),
        **common,
    )
