"""One function per user action. Each checks the state, appends one event to the admission's timeline and
refreshes the derived tables in one transaction: nothing is half-written when it refuses.

Refusals carry a clear Danish message (and the rule id when an agreement forbids the step)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from guardian.shortcuts import assign_perm, get_groups_with_perms, get_users_with_perms, remove_perm

from coordination import rules
from coordination.cpr import CprError, validate_cpr
from coordination.models import (
    TAKE_PART,
    AccessAction,
    AccessLog,
    Admission,
    Citizen,
    Event,
    FaerdigbehandlingPeriod,
    Municipality,
    Obligation,
    Residence,
    Side,
    Ward,
)

log = logging.getLogger(__name__)


class ServiceError(Exception):
    """An action was refused. `message` is Danish text for the person; `field` names the form field at fault;
    `rule` the agreement rule that forbids it."""

    def __init__(self, message: str, *, field: str | None = None, rule: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.rule = rule


class VersionConflict(ServiceError):
    """Someone else recorded on the admission after the form was shown (the form's `expected_version`)."""


@dataclass(frozen=True)
class Actor:
    """Who records an event: a person of a side, or the system (replay, import) acting for either side."""

    side: str
    organisation: str = ""
    user: Any = None

    @classmethod
    def system(cls, organisation: str = "Sektorovergang") -> Actor:
        return cls(side=Side.SYSTEM, organisation=organisation)

    @classmethod
    def for_user(cls, user) -> Actor:
        staff = getattr(user, "staff", None)
        if staff is None:
            raise ServiceError("Din bruger er ikke knyttet til et afsnit, et hospital eller en kommune.")
        return cls(side=staff.side, organisation=str(staff.organisation), user=user)


# Which side records each event type; None means either side. Message codes decide for `message`.
_SIDE_OF_TYPE = {
    "admitted": Side.HOSPITAL,
    "coordination_identified": Side.HOSPITAL,
    "discharge_planned": Side.HOSPITAL,
    "faerdigbehandlet": Side.HOSPITAL,
    "treatment_resumed": Side.HOSPITAL,
    "left_ward": Side.HOSPITAL,
    "discharge_registered": Side.HOSPITAL,
    "rehabilitation_started": Side.MUNICIPALITY,
}
_SIDE_OF_MESSAGE = {
    "ADVIS-IND": Side.HOSPITAL,
    "PFP": Side.HOSPITAL,
    "USR": Side.HOSPITAL,
    "GOP": Side.HOSPITAL,
    "ILR": Side.MUNICIPALITY,
    "MILR": Side.MUNICIPALITY,
}
_SIDE_NAMES = {Side.HOSPITAL: "hospitalet", Side.MUNICIPALITY: "kommunen"}


def _required_side(event_type: str, data: dict) -> str | None:
    if event_type == "message":
        if data.get("code") == "KM":
            return data.get("from")
        return _SIDE_OF_MESSAGE.get(data.get("code"))
    if event_type == "message_read":
        return data.get("by")
    return _SIDE_OF_TYPE.get(event_type)


def _check_side(actor: Actor, event_type: str, data: dict) -> None:
    side = _required_side(event_type, data)
    if actor.side != Side.SYSTEM and side is not None and actor.side != side:
        raise ServiceError(f"Det er {_SIDE_NAMES[side]}, der registrerer dette.")


# --- Serialising event data for the JSON column ---------------------------------------------------------


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _to_json(v) for k, v in value.items()}
    return value


def _parse(event_type: str, at: datetime, data: dict, sequence: int) -> rules.Event:
    """Validate the fields with the engine's own parser: a service accepts exactly what replay accepts."""
    if not isinstance(at, datetime) or timezone.is_naive(at):
        raise ServiceError("Angiv dato og klokkeslæt for hændelsen.", field="at")
    raw = {"at": at.isoformat(), "type": event_type, **{k: _to_json(v) for k, v in data.items()}}
    try:
        event = rules.parse_event(raw, sequence)
    except rules.TimelineError as error:
        raise ServiceError(_without_index(str(error)), field=getattr(error, "field", None)) from error
    return rules.Event(type=event.type, at=event.at, data=event.data, id=sequence)


def _without_index(message: str) -> str:
    # The parser names the event index for replay files ("hændelse 3: …"); a form needs only the rest.
    head, sep, rest = message.partition(": ")
    return rest[:1].upper() + rest[1:] if sep and head.startswith("hændelse") else message


# --- The one place where events are appended ------------------------------------------------------------


def _append(
    admission: Admission,
    event_type: str,
    at: datetime,
    data: dict,
    actor: Actor,
    now: datetime | None,
    expected_version: int | None = None,
) -> Event:
    now = now or timezone.now()
    _check_side(actor, event_type, data)
    if at > now:
        raise ServiceError(
            "Tidspunktet ligger i fremtiden. Registrér hændelsen, når den er sket.", field="at"
        )
    with transaction.atomic():
        # Lock the admission: two people recording on the same admission are serialised, never interleaved.
        admission = (
            Admission.objects.select_for_update()
            .select_related("citizen", "ward__hospital__region")
            .get(pk=admission.pk)
        )
        _check_version(admission, expected_version)
        if event_type != "admitted" and at < admission.admitted_at:
            raise ServiceError("Tidspunktet ligger før indlæggelsen.", field="at")
        sequence = (admission.events.aggregate(m=Max("sequence"))["m"] or 0) + 1
        new_event = _parse(event_type, at, data, sequence)
        # By instant, not wall clock (the same hour comes twice when summer time ends), then recording order.
        timeline = sorted([*admission.timeline(), new_event], key=lambda e: (e.at.timestamp(), e.id))
        evaluation = _evaluate(admission, timeline, now)
        if evaluation.rejected:
            refusal = evaluation.rejected[0]
            raise ServiceError(refusal.message, rule=refusal.rule)
        event = Event.objects.create(
            admission=admission,
            sequence=sequence,
            type=event_type,
            occurred_at=at,
            recorded_at=now,
            recorded_by=actor.user,
            recorded_by_side=actor.side,
            recorded_by_organisation=actor.organisation,
            data={k: _to_json(v) for k, v in new_event.data.items()},
        )
        # The version counts the timeline's events (forms and board marks rely on it); a refresh by the clock
        # alone (refresh_derived_state) re-derives the same facts and leaves it.
        admission.version += 1
        _store(admission, evaluation)
        _queue_notifications(event)
    log.debug("event %s recorded on admission %s", event_type, admission.pk)
    return event


def _queue_notifications(event: Event) -> None:
    """Tell the receiving side about a new message: an outbox row now, a task after commit (issue 7)."""
    from coordination.reminders import queue_event_notice

    queue_event_notice(event)


def _check_version(admission: Admission, expected_version: int | None) -> None:
    """Optimistic concurrency: a form carries the version it was shown; a change in between is refused."""
    if expected_version is not None and expected_version != admission.version:
        raise VersionConflict(
            "Indlæggelsen er ændret af en anden, siden du åbnede den. Se de nye oplysninger og prøv igen."
        )


def _evaluate(admission: Admission, timeline: list[rules.Event], now: datetime) -> rules.Evaluation:
    profiles = admission.region.rules_profiles()
    if not profiles:
        raise ServiceError(f"{admission.region} har ingen aftaleprofil. En administrator skal oprette den.")
    return rules.evaluate(timeline, admission.citizen.as_rules_citizen(), profiles, now)


def _store(admission: Admission, evaluation: rules.Evaluation) -> None:
    """Write what the engine derived into the tables the board queries (same transaction as the event)."""
    existing = {o.key: o for o in admission.obligations.all()}
    wanted = {o.key: o for o in evaluation.obligations}
    to_create, to_update = [], []
    for key, ob in wanted.items():
        status = "open" if ob.status == "overdue" else ob.status
        values = dict(
            rule=ob.rule,
            owner=ob.owner,
            label=ob.label,
            message_code=ob.message or "",
            due_at=ob.due,
            status=status,
            met_at=ob.met_at,
        )
        row = existing.get(key)
        if row is None:
            to_create.append(Obligation(admission=admission, key=key, **values))
        elif any(getattr(row, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(row, f, v)
            to_update.append(row)
    gone = [row.pk for key, row in existing.items() if key not in wanted]
    if gone:
        Obligation.objects.filter(pk__in=gone).delete()
    Obligation.objects.bulk_create(to_create)
    if to_update:
        Obligation.objects.bulk_update(
            to_update, ["rule", "owner", "label", "message_code", "due_at", "status", "met_at"]
        )

    admission.periods.all().delete()
    FaerdigbehandlingPeriod.objects.bulk_create(
        FaerdigbehandlingPeriod(
            admission=admission,
            registered_on=p.registered,
            registered_at=p.registered_at,
            ended_on=p.ended,
            days=p.days if p.ended is not None else 0,
            voided=p.voided,
            waiting_for=list(p.waiting_for),
            disputed=p.disputed,
            dispute_note=p.dispute_note,
        )
        for p in evaluation.periods
    )

    open_dues = [
        o.due for o in evaluation.obligations if o.status in ("open", "overdue") and o.due is not None
    ]
    admission.over_48h = evaluation.over_48h
    admission.expected_faerdigbehandlet_on = evaluation.expected_faerdigbehandlet_on
    admission.faerdigbehandlet_date_certain = evaluation.faerdigbehandlet_date_certain
    admission.faerdigbehandlet_on = evaluation.faerdigbehandlet_on
    admission.planned_discharge_at = evaluation.planned_discharge_at
    admission.agreed_discharge_at = evaluation.agreed_discharge_at
    admission.left_at = evaluation.left_at
    admission.discharge_registered_at = evaluation.discharge_registered_at
    admission.extended_responsibility_until = evaluation.extended_responsibility_until
    admission.medicine_until = evaluation.medicine_until
    admission.next_due_at = min(open_dues, key=lambda due: due.timestamp(), default=None)
    admission.warnings = [{"rule": w.rule, "message": w.message} for w in evaluation.warnings]
    admission.reevaluate_at = evaluation.reevaluate_at
    admission.save()


def refresh_derived_state(admission: Admission, *, now: datetime | None = None) -> rules.Evaluation:
    """Re-derive an admission's stored state from its timeline (e.g. when 48 hours have passed)."""
    now = now or timezone.now()
    with transaction.atomic():
        admission = (
            Admission.objects.select_for_update()
            .select_related("citizen", "ward__hospital__region")
            .get(pk=admission.pk)
        )
        evaluation = _evaluate(admission, admission.timeline(), now)
        _store(admission, evaluation)
    return evaluation


def refresh_due_admissions(*, now: datetime | None = None) -> int:
    """Refresh every admission whose derived state changes with the clock alone (`reevaluate_at` passed)."""
    now = now or timezone.now()
    due = list(Admission.objects.filter(reevaluate_at__lte=now).values_list("pk", flat=True))
    for pk in due:
        refresh_derived_state(Admission(pk=pk), now=now)
    return len(due)


# --- Citizens and admissions ----------------------------------------------------------------------------


def register_citizen(
    *,
    cpr: str,
    name: str,
    municipality: Municipality,
    known_in_eoj: bool = True,
    residence: str = "own_home",
    social_area: bool = False,
    terminal: bool = False,
) -> Citizen:
    """Create the citizen, or update the facts of a known one (found by CPR)."""
    try:
        cpr = validate_cpr(cpr)
    except CprError as error:
        raise ServiceError(str(error), field="cpr") from error
    if not name.strip():
        raise ServiceError("Skriv borgerens navn.", field="name")
    if residence not in Residence.values:
        raise ServiceError("Ukendt boligform.", field="residence")
    citizen, _created = Citizen.objects.update_or_create(
        cpr=cpr,
        defaults=dict(
            name=name.strip(),
            municipality=municipality,
            known_in_eoj=known_in_eoj,
            residence=residence,
            social_area=social_area,
            terminal=terminal,
        ),
    )
    return citizen


def admit_citizen(
    citizen: Citizen,
    ward: Ward,
    *,
    at: datetime,
    expected_stay: str,
    somatic: bool = True,
    actor: Actor,
    now: datetime | None = None,
) -> Admission:
    """The hospital registers the admission: a new admission with its first event, `admitted`."""
    now = now or timezone.now()
    if at > now:
        raise ServiceError(
            "Tidspunktet ligger i fremtiden. Registrér hændelsen, når den er sket.", field="at"
        )
    try:
        with transaction.atomic():
            admission = Admission.objects.create(
                citizen=citizen, ward=ward, municipality=citizen.municipality, admitted_at=at
            )
            _append(
                admission, "admitted", at, {"expected_stay": expected_stay, "somatic": somatic}, actor, now
            )
    except IntegrityError as error:
        if Admission.objects.filter(citizen=citizen, left_at__isnull=True).exists():
            raise ServiceError(
                "Borgeren er allerede indlagt. Der kan kun være én aktiv indlæggelse."
            ) from error
        raise
    admission.refresh_from_db()
    return admission


def admit_and_advise(
    *,
    cpr: str,
    name: str,
    municipality: Municipality,
    ward: Ward,
    at: datetime,
    expected_stay: str,
    known_in_eoj: bool = True,
    residence: str = "own_home",
    terminal: bool = False,
    actor: Actor,
    now: datetime | None = None,
) -> Admission:
    """The board's "Ny indlæggelse": the citizen (found or created by CPR), the admission and the automatic
    ADVIS-IND at the same instant, all or nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        citizen = register_citizen(
            cpr=cpr,
            name=name,
            municipality=municipality,
            known_in_eoj=known_in_eoj,
            residence=residence,
            terminal=terminal,
        )
        admission = admit_citizen(citizen, ward, at=at, expected_stay=expected_stay, actor=actor, now=now)
        send_message(admission, "ADVIS-IND", at=at, actor=actor, now=now)
    admission.refresh_from_db()
    return admission


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


def identify_coordination(
    admission: Admission,
    *,
    at: datetime,
    reason: str,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """The hospital records a need for further coordination, with its reason (R-PFP-COORD)."""
    if not reason.strip():
        raise ServiceError("Skriv hvorfor der er behov for yderligere koordinering.", field="reason")
    return _append(
        admission, "coordination_identified", at, {"reason": reason.strip()}, actor, now, expected_version
    )


def plan_discharge(
    admission: Admission,
    *,
    at: datetime,
    discharge_at: datetime,
    needs_changed: bool,
    practical_help_only: bool,
    municipal_nursing: bool,
    destination: str,
    rehabilitation_needed: bool = False,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """The hospital plans the discharge; a later plan replaces it (R-CALL-13, R-USR, R-GOP-SEND, R-72H)."""
    data = dict(
        discharge_at=discharge_at,
        needs_changed=needs_changed,
        practical_help_only=practical_help_only,
        municipal_nursing=municipal_nursing,
        destination=destination,
        rehabilitation_needed=rehabilitation_needed,
    )
    return _append(admission, "discharge_planned", at, data, actor, now, expected_version)


def record_phone_agreement(
    admission: Admission,
    *,
    at: datetime,
    discharge_at: datetime,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """Hospital and municipality agreed the discharge time by phone (R-CALL-13)."""
    return _append(
        admission, "phone_agreement", at, {"discharge_at": discharge_at}, actor, now, expected_version
    )


def record_municipality_contact(
    admission: Admission,
    *,
    at: datetime,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """The municipality contacted the hospital by phone (R-MUN-24H, R-MUN-PLAN)."""
    return _append(admission, "municipality_contacted", at, {}, actor, now, expected_version)


def plan_conference(
    admission: Admission,
    *,
    at: datetime,
    conference_at: datetime,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """A planning conference is called (R-CONFERENCE)."""
    return _append(
        admission, "conference_planned", at, {"conference_at": conference_at}, actor, now, expected_version
    )


def hold_conference(
    admission: Admission,
    *,
    at: datetime,
    discharge_at: datetime | None = None,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """The planning conference took place and may fix the discharge time (R-CONFERENCE-MINUTES)."""
    return _append(
        admission, "conference_held", at, {"discharge_at": discharge_at}, actor, now, expected_version
    )


def register_faerdigbehandlet(
    admission: Admission,
    *,
    at: datetime,
    faerdigbehandlet_on: date,
    waiting_for: list[str] | tuple[str, ...] = (),
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """The hospital registers the citizen færdigbehandlet; the MOF is sent (R-FB-REG, R-FB-FEE)."""
    return _append(
        admission,
        "faerdigbehandlet",
        at,
        {"date": faerdigbehandlet_on, "waiting_for": list(waiting_for)},
        actor,
        now,
        expected_version,
    )


def resume_treatment(
    admission: Admission,
    *,
    at: datetime,
    reason: str,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """Behandling genoptaget: the fee stops; `error` voids the registration (R-FB-RESUME)."""
    return _append(admission, "treatment_resumed", at, {"reason": reason}, actor, now, expected_version)


def dispute_mof(
    admission: Admission,
    *,
    at: datetime,
    note: str,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """Mark the MOF disputed, with a note for the samordningskonsulenter; days unchanged (R-FB-DISPUTE)."""
    if not note.strip():
        raise ServiceError("Skriv hvad uenigheden drejer sig om.", field="note")
    return _append(admission, "mof_disputed", at, {"note": note.strip()}, actor, now, expected_version)


def record_departure(
    admission: Admission,
    *,
    at: datetime,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """The citizen left the ward (R-USR due, R-ADVIS-UD starts, R-72H window)."""
    return _append(admission, "left_ward", at, {}, actor, now, expected_version)


def register_discharge(
    admission: Admission,
    *,
    at: datetime,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """The discharge is registered; the udskrivningsadvis follows (R-ADVIS-UD)."""
    return _append(admission, "discharge_registered", at, {}, actor, now, expected_version)


def start_rehabilitation(
    admission: Admission,
    *,
    at: datetime,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """The municipality started rehabilitation (R-GOP-START)."""
    return _append(admission, "rehabilitation_started", at, {}, actor, now, expected_version)


def record_event(
    admission: Admission, event: rules.Event, *, actor: Actor, now: datetime | None = None
) -> Event:
    """Record a parsed timeline event (replay, load_timelines) through the service of its type."""
    d = dict(event.data)
    at = event.at
    match event.type:
        case "message":
            code = d.pop("code")
            return send_message(admission, code, at=at, actor=actor, now=now, **d)
        case "message_read":
            return mark_read(admission, d["code"], by=d["by"], at=at, actor=actor, now=now)
        case "coordination_identified":
            return identify_coordination(admission, at=at, reason=d["reason"], actor=actor, now=now)
        case "discharge_planned":
            return plan_discharge(admission, at=at, actor=actor, now=now, **d)
        case "phone_agreement":
            return record_phone_agreement(
                admission, at=at, discharge_at=d["discharge_at"], actor=actor, now=now
            )
        case "municipality_contacted":
            return record_municipality_contact(admission, at=at, actor=actor, now=now)
        case "conference_planned":
            return plan_conference(admission, at=at, conference_at=d["conference_at"], actor=actor, now=now)
        case "conference_held":
            return hold_conference(admission, at=at, discharge_at=d.get("discharge_at"), actor=actor, now=now)
        case "faerdigbehandlet":
            return register_faerdigbehandlet(
                admission,
                at=at,
                faerdigbehandlet_on=d["date"],
                waiting_for=d.get("waiting_for", ()),
                actor=actor,
                now=now,
            )
        case "treatment_resumed":
            return resume_treatment(admission, at=at, reason=d["reason"], actor=actor, now=now)
        case "mof_disputed":
            return dispute_mof(admission, at=at, note=d["note"], actor=actor, now=now)
        case "left_ward":
            return record_departure(admission, at=at, actor=actor, now=now)
        case "discharge_registered":
            return register_discharge(admission, at=at, actor=actor, now=now)
        case "rehabilitation_started":
            return start_rehabilitation(admission, at=at, actor=actor, now=now)
        case "transferred":
            # A replayed move is kept on the timeline as given; it names no ward of this database.
            return _append(admission, "transferred", at, d, actor, now)
    raise ServiceError(f"Ukendt hændelse: {event.type}")


# --- Moves and explicit access (who takes part in the course) ------------------------------------------


def transfer_admission(
    admission: Admission,
    *,
    at: datetime,
    ward: Ward | None = None,
    municipality: Municipality | None = None,
    actor: Actor,
    now: datetime | None = None,
) -> Event:
    """The citizen moved to another ward, or changed municipality of residence, during the stay. The access
    moves with the admission: the new ward and municipality see it, the old ones no longer do."""
    if ward is None and municipality is None:
        raise ServiceError("Vælg det nye afsnit eller den nye kommune.", field="ward")
    if ward is not None and ward.hospital.region_id != admission.ward.hospital.region_id:
        raise ServiceError(
            "Flytning til et hospital i en anden region registreres som udskrivning og ny indlæggelse.",
            field="ward",
        )
    data = {
        "ward": str(ward.pk) if ward else None,
        "municipality": municipality.code if municipality else None,
    }
    with transaction.atomic():
        event = _append(admission, "transferred", at, data, actor, now)
        _apply_newest_transfer(admission)
    return event


def _apply_newest_transfer(admission: Admission) -> None:
    """The admission's ward and municipality are those of the newest transfer (in time) that names them."""
    ward_id, code = None, None
    for event in admission.events.filter(type="transferred").order_by("-occurred_at", "-sequence"):
        ward_id = ward_id or event.data.get("ward")
        code = code or event.data.get("municipality")
    changes = {}
    if ward_id:
        changes["ward_id"] = int(ward_id)
    if code:
        changes["municipality"] = Municipality.objects.get(code=code)
    Admission.objects.filter(pk=admission.pk).update(**changes)


def grant_access(admission: Admission, *, to, by, note: str = "") -> None:
    """Let a person or a group outside the admitting ward/hospital and the municipality follow this course
    (a forløbskoordinator, a consulting unit). Only someone who takes part may grant it; it is logged."""
    _change_grant(admission, to=to, by=by, note=note, grant=True)


def revoke_access(admission: Admission, *, to, by, note: str = "") -> None:
    """Take an explicit grant back; the admitting ward and the municipality keep their access."""
    _change_grant(admission, to=to, by=by, note=note, grant=False)


def _change_grant(admission: Admission, *, to, by, note: str, grant: bool) -> None:
    if not Admission.objects.visible_to(by).filter(pk=admission.pk).exists():
        raise ServiceError("Du kan kun give adgang til forløb, du selv deltager i.")
    with transaction.atomic():
        (assign_perm if grant else remove_perm)(f"coordination.{TAKE_PART}", to, admission)
        AccessLog.objects.create(
            at=timezone.now(),
            user=by,
            citizen_id=admission.citizen_id,
            admission=admission,
            action=AccessAction.GRANT if grant else AccessAction.REVOKE,
            path="",
            view="services.grant_access" if grant else "services.revoke_access",
            note=(f"{to}: {note}" if note else str(to))[:300],
        )


def granted_to(admission: Admission) -> dict:
    """Who was granted the course explicitly: {"users": [...], "groups": [...]}, for the admission page."""
    users = get_users_with_perms(admission, only_with_perms_in=[TAKE_PART], with_group_users=False)
    groups = get_groups_with_perms(admission)
    return {"users": list(users), "groups": list(groups)}
