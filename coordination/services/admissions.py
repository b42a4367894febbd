"""Citizens, admissions and moves: the hospital registers the stay; a move takes the access with it."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from coordination import rules
from coordination.cpr import FUTURE_MESSAGE, LENGTH_MESSAGE, CprError, birth_date, validate_cpr
from coordination.models import Admission, Citizen, Event, Hospital, Municipality, Ward
from coordination.services.core import BATCH, Actor, ServiceError, _append
from coordination.services.messages import send_message
from coordination.vocabulary import Residence

_CPR_KEYS = {LENGTH_MESSAGE: "service.cpr_length", FUTURE_MESSAGE: "service.cpr_future"}


def register_citizen(
    *, cpr: str, name: str, municipality: Municipality, today: date | None = None
) -> Citizen:
    """Find the citizen by CPR or create them; the registry data (name, municipality of residence) are
    brought up to date. The facts the rules read are not kept here: each admission records its own.

    `today` (a person typing the number, issue 14): a CPR whose birth date lies after it is refused at the
    field. Machine input (load_timelines) passes none and keeps every valid number."""
    try:
        cpr = validate_cpr(cpr, today=today)
    except CprError as error:
        key = _CPR_KEYS.get(str(error), "service.cpr_date")
        params = {"born": birth_date(cpr).isoformat()} if key == "service.cpr_future" else {}
        raise ServiceError(key, params, field="cpr") from error
    if not name.strip():
        raise ServiceError("service.citizen_name", field="name")
    citizen, _created = Citizen.objects.update_or_create(
        cpr=cpr, defaults=dict(name=name.strip(), municipality=municipality)
    )
    return citizen


def remember_paper_language(citizen: Citizen, language: str) -> None:
    """The language the citizen's papers were printed in, offered again next time (registry data, no event:
    the rules never read it). An unknown language changes nothing."""
    if language not in dict(settings.LANGUAGES) or citizen.paper_language == language:
        return
    with transaction.atomic():
        Citizen.objects.filter(pk=citizen.pk).update(paper_language=language)
    citizen.paper_language = language


def citizen_facts(
    *,
    known_in_eoj: bool = True,
    residence: str = "own_home",
    social_area: bool = False,
    terminal: bool = False,
) -> rules.Citizen:
    if residence not in Residence.values:
        raise ServiceError("service.unknown_residence", field="residence")
    return rules.Citizen(
        known_in_eoj=bool(known_in_eoj),
        residence=residence,
        social_area=bool(social_area),
        terminal=bool(terminal),
    )


def last_known_facts(citizen: Citizen) -> rules.Citizen:
    """The facts in force at the end of the citizen's newest admission (defaults when none): where a new
    admission is told nothing about them (a MedCom notification)."""
    newest = citizen.admissions.order_by("-admitted_at").first() if citizen.pk else None
    return (newest.citizen_facts if newest is not None else None) or citizen_facts()


def admit_citizen(
    citizen: Citizen,
    ward: Ward,
    *,
    at: datetime,
    expected_stay: str,
    facts: rules.Citizen | None = None,
    somatic: bool = True,
    actor: Actor,
    now: datetime | None = None,
) -> Admission:
    """The hospital registers the admission: a new admission with its first event, `admitted`, which
    records the citizen's facts as they are known now (`facts`; by default known in EOJ, in their own home,
    not of the social area, not terminal)."""
    now = now or timezone.now()
    facts = facts or citizen_facts()
    if at > now:
        raise ServiceError("service.in_future", field="at")
    data = {"expected_stay": expected_stay, "somatic": somatic, "citizen": facts}
    try:
        with transaction.atomic():
            admission = Admission.objects.create(
                citizen=citizen, ward=ward, municipality=citizen.municipality, admitted_at=at
            )
            _append(admission, "admitted", at, data, actor, now)
    except IntegrityError as error:
        if Admission.objects.filter(citizen=citizen, left_at__isnull=True).exists():
            raise ServiceError(
                # Says not where: the person registering may take no part in the other stay (issue 11).
                "service.already_admitted"
            ) from error
        raise
    if BATCH.get() is None:  # in services.batch nothing is written yet: the object is the row as inserted
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
    social_area: bool = False,
    terminal: bool = False,
    actor: Actor,
    now: datetime | None = None,
) -> Admission:
    """The board's "Ny indlæggelse": the citizen (found or created by CPR), the admission with the facts
    given now and the automatic ADVIS-IND at the same instant, all or nothing. An earlier admission of the
    same citizen keeps the facts it was recorded with."""
    now = now or timezone.now()
    facts = citizen_facts(
        known_in_eoj=known_in_eoj, residence=residence, social_area=social_area, terminal=terminal
    )
    with transaction.atomic():
        today = timezone.localdate(now)
        citizen = register_citizen(cpr=cpr, name=name, municipality=municipality, today=today)
        admission = admit_citizen(
            citizen, ward, at=at, expected_stay=expected_stay, facts=facts, actor=actor, now=now
        )
        send_message(admission, "ADVIS-IND", at=at, actor=actor, now=now)
    admission.refresh_from_db()
    return admission


def change_citizen_facts(
    admission: Admission,
    *,
    at: datetime,
    reason: str,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
    **changes: object,
) -> Event:
    """A fact the rules read about the citizen changed or was found wrong (known in EOJ, residence, social
    area, terminal): recorded as a `citizen_changed` event with who, when and why; the rules read the new
    facts from then on, and a replay gives the same answer."""
    unknown = set(changes) - set(rules.CITIZEN_FACTS)
    if unknown:
        raise ServiceError("service.unknown_fact", {"names": ", ".join(sorted(unknown))})
    if not reason.strip():
        raise ServiceError("service.fact_reason", field="reason")
    current = admission.citizen_facts
    changed = {
        name: value
        for name, value in changes.items()
        if value is not None and (current is None or getattr(current, name) != value)
    }
    if not changed:
        raise ServiceError("service.nothing_changed")
    data = {**changed, "reason": reason.strip()}
    return _append(admission, "citizen_changed", at, data, actor, now, expected_version)


def transfer_admission(
    admission: Admission,
    *,
    at: datetime,
    ward: Ward | None = None,
    municipality: Municipality | None = None,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """The citizen moved to another ward, or changed municipality of residence, during the stay. The access
    moves with the admission: the new ward and municipality see it, the old ones no longer do.

    The event names the places as a timeline does (docs/replay.md): the ward and its hospital by name, the
    municipality by its official code; never by this database's ids, which mean nothing elsewhere."""
    if ward is None and municipality is None:
        raise ServiceError("service.transfer_where", field="ward")
    if ward is not None and ward.hospital.region_id != admission.ward.hospital.region_id:
        raise ServiceError(
            "service.transfer_other_region",
            field="ward",
        )
    data = {
        "ward": ward.name if ward else None,
        "hospital": ward.hospital.name if ward else None,
        "municipality": municipality.code if municipality else None,
    }
    with transaction.atomic():
        event = _append(admission, "transferred", at, data, actor, now, expected_version)
        _apply_newest_transfer(Admission.objects.select_for_update().get(pk=admission.pk))
    return event


def resolve_transfer(
    admission: Admission, data: dict, *, create: bool = True
) -> tuple[Ward | None, Municipality | None]:
    """The places a `transferred` event names, found by name and code (docs/replay.md): `municipality` is an
    official four-digit code; `ward` a ward's name at `hospital` (a hospital's name, by default the
    admission's own). A ward or hospital not yet known is created in the admission's region, as the timeline's
    own places are (REPLAY.md); a hospital of another region or an unknown municipality code is refused.
    Without `create`, a place not known is None (a stored event is never made to invent one)."""
    municipality = None
    if data.get("municipality"):
        municipality = Municipality.objects.filter(code=data["municipality"]).first()
        if municipality is None:
            raise ServiceError(
                "service.unknown_municipality", {"code": repr(data["municipality"])}, field="municipality"
            )
    ward = None
    if data.get("ward"):
        region = admission.ward.hospital.region
        hospital = admission.ward.hospital
        if data.get("hospital"):
            if create:
                hospital, _ = Hospital.objects.get_or_create(
                    name=data["hospital"], defaults={"region": region}
                )
            else:
                hospital = Hospital.objects.filter(name=data["hospital"]).first()
                if hospital is None:
                    return None, municipality
        if hospital.region_id != region.pk:
            raise ServiceError(
                "service.transfer_other_region",
                field="ward",
            )
        if create:
            ward, _ = Ward.objects.get_or_create(hospital=hospital, name=data["ward"])
        else:
            ward = Ward.objects.filter(hospital=hospital, name=data["ward"]).first()
    return ward, municipality


def record_transfer(admission: Admission, data: dict, *, at: datetime, actor: Actor, now=None) -> Event:
    """An imported or replayed `transferred` event: its places resolved by name and code, then recorded
    like any move."""
    ward, municipality = resolve_transfer(admission, data)
    return transfer_admission(admission, at=at, ward=ward, municipality=municipality, actor=actor, now=now)


def _apply_newest_transfer(admission: Admission) -> None:
    """The admission's ward and municipality are those of the newest transfer (in time) that names them,
    resolved by name and code: an event's raw value is never taken for one of this database's ids.
    `admission` is locked by the caller."""
    ward_data, code = None, None
    for event in admission.events.filter(type="transferred").order_by("-occurred_at", "-sequence"):
        if ward_data is None and event.data.get("ward"):
            ward_data = {"ward": event.data["ward"], "hospital": event.data.get("hospital")}
        code = code or event.data.get("municipality")
    ward, municipality = resolve_transfer(
        admission, {**(ward_data or {}), "municipality": code}, create=False
    )
    if ward is not None:
        admission.ward = ward
    if municipality is not None:
        admission.municipality = municipality
    admission.save(update_fields=["ward", "municipality"])
