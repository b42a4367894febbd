"""What a MedCom message is once read: its organisations, patient, stay, history and content, as plain
dataclasses, and the code systems MedCom names them by (`../shared/medcom/STANDARDS.md`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

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
HN_ACTIVITY_CODES = {
    "admit-emergency": "STAA",
    "admit-inpatient": "STIN",
    "start-leave-inpatient": "STOR",
    "end-leave-inpatient": "SLOR",
    "discharge-emergency-home": "SLHJ",
    "discharge-inpatient-home": "SLHJ",
}
# The Encounter status each HN code carries (STANDARDS § 3.1 table).
HN_STATUS = {
    "STAA": ("in-progress",),
    "STIN": ("in-progress",),
    "STOR": ("onleave",),
    "SLOR": ("in-progress",),
    "SLHJ": ("finished",),
    "MORS": ("finished",),
}
KM_ACTIVITIES = ("new-message", "reply-message", "forward-message")
ECPR = re.compile(r"^[0-9]{6}[0-9][A-Z]{2}[0-9]$")
# Anything that makes an XML parser fetch or expand: refused before parsing (XXE, "billion laughs").
XML_DANGER = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


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
