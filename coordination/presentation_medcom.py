"""What the admission page shows of MedCom (issue 12): where each fact came from (the MedCom message id and
its sender, or typed by whom), and the KM threads (new / reply / forward) with their attachments. Read from
the stored rows; the texts are made when shown (labels here, sentences in the templates)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from coordination.models import MedcomMessage
from coordination.presentation import km_subject

# STANDARDS § 4: MedCom's KM categories (Danish display).
CATEGORY_LABELS = {
    "alcohol-and-drug-treatment": _("Rusmiddelbehandling"),
    "assistive-devices": _("Hjælpemidler"),
    "carecoordination": _("Forløbskoordinering"),
    "decease": _("Dødsfald"),
    "discharge": _("Udskrivelse"),
    "examination-results": _("Undersøgelsessvar"),
    "healthcare": _("Sundhedspleje"),
    "home-care-assessment": _("Visitation"),
    "medicine": _("Medicin"),
    "nursing": _("Sygepleje"),
    "outpatient": _("Ambulant"),
    "psychiatry-social-disability": _("Psykiatri, social, handicap"),
    "regarding-referral": _("Vedr. henvisning"),
    "telemedicine": _("Telemedicin"),
    "training": _("Træning"),
    "other": _("Andet"),
    "acute-ambulant": _("Akut ambulant"),
    "extended-care-responsibility": _("Udvidet behandlingsansvar"),
}
ACTIVITY_LABELS = {
    "new-message": _("Ny besked"),
    "reply-message": _("Svar"),
    "forward-message": _("Videresendt"),
}


def sources(admission) -> dict[int, dict]:
    """Event id → the MedCom message it was recorded from (message id, sender, SOR, how it came)."""
    rows = MedcomMessage.objects.filter(admission=admission, events__isnull=False).values(
        "events__id", "message_id", "event", "sender_name", "sender_sor", "received_via"
    )
    return {row["events__id"]: row for row in rows}


def add_sources(timeline: list[dict], found: dict[int, dict]) -> None:
    for item in timeline:
        item["medcom"] = found.get(item["event"].pk)


def fact_sources(admission, events, found: dict[int, dict]) -> dict[str, dict]:
    """Fact name -> the event the engine took it from and, if it came by MedCom, that message (issue 12):
    the admission page names the source beside each fact and links to the event on the timeline."""
    by_sequence = {event.sequence: event for event in events}
    shown = {}
    for name, sequence in admission.fact_sources.items():
        event = by_sequence.get(sequence)
        if event is not None:
            shown[name] = {"event": event, "medcom": found.get(event.pk)}
    return shown


def km_threads(events, found: dict[int, dict]) -> list[dict]:
    """The admission's KMs grouped by thread, oldest message first in each thread, newest thread first. A
    KM written here that answers or forwards a received one joins its thread; any other starts its own."""
    from coordination.services.carecommunication import km_ids

    threads: dict[str, dict] = {}
    for event in sorted(events, key=lambda e: (e.occurred_at, e.sequence)):
        if event.type != "message" or event.data.get("code") != "KM":
            continue
        content = event.data.get("content") if isinstance(event.data.get("content"), dict) else {}
        medcom = content.get("medcom") if isinstance(content.get("medcom"), dict) else {}
        thread = medcom.get("thread") or f"urn:uuid:{km_ids(event)['thread']}"
        activity = medcom.get("activity") or "new-message"
        received = found.get(event.pk)
        entry = {
            "event": event,
            "subject": km_subject(event.data.get("subject", "")),
            "activity": ACTIVITY_LABELS.get(activity, activity),
            "category": CATEGORY_LABELS.get(medcom.get("category", ""), medcom.get("category", "")),
            "segments": medcom.get("segments") or ([content["text"]] if content.get("text") else []),
            "attachments": [a for a in medcom.get("attachments") or [] if isinstance(a, dict)],
            "medcom": received,
            "exportable": received is None,
        }
        group = threads.setdefault(thread, {"id": thread, "messages": []})
        group["messages"].append(entry)
    return sorted(threads.values(), key=lambda t: t["messages"][-1]["event"].occurred_at, reverse=True)
