"""The content of each kind of message: a HospitalNotification's stay and event, a CareCommunication's
topic, category, text segments and attachments."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from coordination.medcom.messages import (
    CARE_COMMUNICATION,
    HN_ACTIVITY_CODES,
    HN_STATUS,
    HOSPITAL_NOTIFICATION,
    KM_ACTIVITIES,
    LEAVE_PERIOD,
    REPORT_OF_ADMISSION,
    SOR_SYSTEM,
    CareCommunication,
    MedcomError,
    Message,
    Patient,
    Segment,
    Stay,
)
from coordination.medcom.resources import Resources, identifier_of, read_patient
from coordination.rules.calendar import FIRST_YEAR, LAST_YEAR, in_accepted_range

REMOVED_PLACEHOLDER = "To be removed"


def hospital_notification(resources: Resources, header, common: dict) -> Message:
    patient = read_patient(resources, replacement_allowed=False)
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
    too_long(episodes)
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
    provider_sor = identifier_of(provider, (SOR_SYSTEM,)) if provider is not None else ""
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
    event = hn_event(current.activity, stay, patient)
    base = event.split("_", 1)[-1]
    if not event.startswith("AN_") and stay.status not in HN_STATUS[base]:
        raise MedcomError(
            f"{event}: Encounter.status skal være {' eller '.join(HN_STATUS[base])}, ikke '{stay.status}'."
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


def too_long(episodes: tuple[tuple[str, str], ...]) -> None:
    # The stay is keyed on these (EpisodeOfCareIdentifier, 200 characters each): longer ones are no ids.
    if any(len(system) > 200 or len(value) > 200 for system, value in episodes):
        raise MedcomError("Encounter.episodeOfCare.identifier er længere end 200 tegn.")


def base64_text(data: Any) -> str | None:
    # fhir.resources hands base64Binary over decoded; the attachment is kept as the base64 text it came as.
    if data is None:
        return None
    return base64.b64encode(data).decode("ascii") if isinstance(data, bytes) else str(data)


def hn_event(activity: str, stay: Stay, patient: Patient) -> str:
    """STANDARDS § 3.1: the use-case code is composed of activity, status, class and Patient.deceased."""
    if patient.deceased and stay.status == "finished":
        return "MORS"
    for prefix, marker in (("revise-", "RE_"), ("cancel-", "AN_")):
        if activity.startswith(prefix):
            base = HN_ACTIVITY_CODES.get(activity[len(prefix) :])
            if base is None:
                break
            return marker + base
    code = HN_ACTIVITY_CODES.get(activity)
    if code is None:
        raise MedcomError(f"Provenance.activity '{activity}' hører ikke til et advis om sygehusophold.")
    return code


def care_communication(resources: Resources, header, common: dict) -> Message:
    patient = read_patient(resources, replacement_allowed=True)
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
                    data=base64_text(attachment.data),
                    url=str(attachment.url) if attachment.url else None,
                    written_at=written,
                )
            )
    if not any(s.text for s in segments):
        raise MedcomError("Communication.payload mangler et tekstafsnit.")
    if all(s.text is None or s.text.strip() == REMOVED_PLACEHOLDER for s in segments):
        # MedCom's receive test R-Tek-O ("handling of invalid messages") is the message without its text
        # segment; SUSHI cannot publish that, so its source writes this placeholder (`// OBS!!`) instead.
        raise MedcomError(
            f"Communication.payload mangler et tekstafsnit (»{REMOVED_PLACEHOLDER}« er MedComs pladsholder "
            "for et fjernet afsnit)."
        )
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
        too_long(episodes)
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
