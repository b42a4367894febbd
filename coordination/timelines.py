"""Recording whole timelines through the services: the path shared by `replay_timeline`, `load_timelines`
and `seed_demo` (REPLAY.md). Each event goes through the service of its type, exactly as a person's would."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.db import transaction

from coordination import rules, services, texts
from coordination.cpr import fictitious_cpr
from coordination.models import Admission, Citizen, Hospital, Municipality, Region, Ward
from coordination.rules.timeline import unstorable
from coordination.services import Actor, ServiceError, batch


class TimelineRefused(Exception):
    """An event of a timeline was refused; `index` is its 0-based position in the input."""

    def __init__(self, index: int, message: str, rule: str | None = None):
        super().__init__(f"hændelse {index}: {message}" + (f" ({rule})" if rule else ""))
        self.index = index
        self.rule = rule


@dataclass(frozen=True)
class Where:
    hospital: str
    ward: str
    municipality: str  # official four-digit code
    cpr: str
    name: str

    def check(self) -> None:
        """Refuse what the columns cannot hold (a NUL character, a name longer than its column, an empty
        name) with one clear line, before anything is written."""
        columns = {
            "hospital": Hospital._meta.get_field("name"),
            "ward": Ward._meta.get_field("name"),
            "municipality": Municipality._meta.get_field("code"),
            "name": Citizen._meta.get_field("name"),
        }
        for field in ("hospital", "ward", "municipality", "cpr", "name"):
            value = getattr(self, field)
            if why := unstorable(value):
                raise ServiceError(f'"where": feltet {field!r} {why}')
            if not value.strip():
                raise ServiceError(f'"where": feltet {field!r} er tomt')
            column = columns.get(field)
            if column is not None and len(value) > column.max_length:
                raise ServiceError(
                    f'"where": feltet {field!r} er for langt ({len(value)} tegn, højst {column.max_length})'
                )


def region_for_profile(code: str) -> Region:
    run = batch.RUN.get()
    if run is not None and code in run.regions:
        return run.regions[code]
    region = _region_for_profile(code)
    if run is not None:
        run.regions[code] = region
    return region


def _region_for_profile(code: str) -> Region:
    try:
        return Region.objects.get(slug=code, profiles__isnull=False)
    except Region.DoesNotExist as error:
        raise ServiceError(f"Ukendt aftaleprofil: {code!r}") from error
    except Region.MultipleObjectsReturned:
        return Region.objects.filter(slug=code).first()


def place(where: Where, region: Region) -> tuple[Ward, Municipality]:
    """The ward and the municipality of a timeline; hospital and ward are created when missing (REPLAY.md).
    In a loading run (services.batch.Run) the ones that were there already are looked up once."""
    run = batch.RUN.get()
    key = (where.hospital, where.ward, where.municipality, region.pk)
    if run is not None and key in run.places:
        where.check()
        return run.places[key]
    try:
        municipality = Municipality.objects.get(code=where.municipality)
    except Municipality.DoesNotExist as error:
        raise ServiceError(f"Ukendt kommunekode: {where.municipality!r}") from error
    where.check()
    hospital, hospital_created = Hospital.objects.get_or_create(
        name=where.hospital, defaults={"region": region}
    )
    if hospital.region_id != region.pk:
        raise ServiceError(f"{hospital} hører ikke til {region}.")
    ward, ward_created = Ward.objects.get_or_create(hospital=hospital, name=where.ward)
    hospital.region, ward.hospital = region, hospital  # admission.region without three more queries
    if run is not None and not (hospital_created or ward_created):
        run.places[key] = (ward, municipality)
    return ward, municipality


def record_timeline(
    timeline: rules.ReplayInput,
    ward: Ward,
    citizen: Citizen,
    *,
    clock: datetime | None = None,
    collect_refusals=False,
) -> tuple[Admission, list[rules.Rejection]]:
    """Record every event through the services. Each event is recorded as if at its own time (`clock` None:
    replay) or at the given clock (load_timelines). A refused event raises TimelineRefused, or with
    `collect_refusals` is collected (replay: "a rejected event changes nothing and the replay goes on")."""
    actor = Actor.system()
    if admission := _in_one_go(timeline, ward, citizen, actor, clock):  # the usual case: nothing refused
        return admission, []
    if collect_refusals and (done := _in_one_go_without_refused(timeline, ward, citizen, actor, clock)):
        return done
    first, *rest = timeline.events
    admission = _admit(timeline, ward, citizen, actor, clock)
    refusals: list[rules.Rejection] = []
    # A correction names its event by the input's index; recorded, by the event's sequence.
    sequences = {0: admission.events.get(type="admitted").sequence}
    for index, event in enumerate(rest, start=1):
        try:
            recorded = services.record_event(
                admission, _with_sequence(event, sequences), actor=actor, now=clock or event.at
            )
            sequences[index] = recorded.sequence
        except ServiceError as error:
            if not collect_refusals:
                raise TimelineRefused(index, texts.danish(error.key, error.params), error.rule) from error
            rejection = rules.Rejection(index, error.rule or "R-FLOW", error.key, dict(error.params))
            refusals.append(rejection)
    admission.refresh_from_db()
    return admission, refusals


def _admit(timeline: rules.ReplayInput, ward: Ward, citizen: Citizen, actor: Actor, clock) -> Admission:
    first = timeline.events[0]
    return services.admit_citizen(
        citizen,
        ward,
        at=first.at,
        expected_stay=first.data["expected_stay"],
        somatic=first.data["somatic"],
        # The timeline's citizen: the facts recorded with the admission (`citizen_changed` changes them).
        facts=first.data.get("citizen") or timeline.citizen,
        actor=actor,
        now=clock or first.at,
    )


def _in_one_go(timeline: rules.ReplayInput, ward, citizen, actor, clock) -> Admission | None:
    """Record the whole timeline, the admission included, with one evaluation (services.batch); None, with
    nothing written, when it needs recording one by one (a refusal, a correction, a move …: that path gives
    the exact error)."""
    sequences = {0: 1}  # the admission's first event
    try:
        with transaction.atomic(), batch.one_evaluation() as admitted:
            _admit(timeline, ward, citizen, actor, clock)
            for index, event in enumerate(timeline.events[1:], start=1):
                recorded = services.record_event(
                    admitted.admission, _with_sequence(event, sequences), actor=actor, now=clock or event.at
                )
                sequences[index] = recorded.sequence
    except (batch.NotInOneGo, ServiceError):
        return None
    return admitted.admission  # as stored: services.derived.store saved it


def _in_one_go_without_refused(
    timeline: rules.ReplayInput, ward, citizen, actor, clock
) -> tuple[Admission, list[rules.Rejection]] | None:
    """Replay's timeline with events the engine refuses, in one go all the same (not once per event): a
    refused event changes nothing and each event is judged on the accepted ones before it (RULES.md), so
    one evaluation of the whole timeline names the events that recording one by one refuses, and the others
    are recorded in one go. None, with nothing written, when that does not hold for certain (a correction
    or another type recorded one by one, a refusal by a service's own checks): then one by one."""
    if any(event.type in batch.ONE_BY_ONE for event in timeline.events):
        return None
    first = timeline.events[0]
    facts = first.data.get("citizen") or timeline.citizen
    profiles = ward.hospital.region.rules_profiles()
    if not profiles:
        return None
    judged = rules.evaluate(list(timeline.events), facts, profiles, timeline.now)
    refused = {rejection.event for rejection in judged.rejected}
    if not refused or 0 in refused:
        return None
    kept = tuple(event for index, event in enumerate(timeline.events) if index not in refused)
    admission = _in_one_go(replace(timeline, events=kept), ward, citizen, actor, clock)
    if admission is None:
        return None
    return admission, [
        rules.Rejection(r.event, r.rule or "R-FLOW", r.key, dict(r.params)) for r in judged.rejected
    ]


def _with_sequence(event: rules.Event, sequences: dict[int, int]) -> rules.Event:
    """A correction with the sequence of the event it names (refused when that event was refused)."""
    if event.type not in rules.CORRECTION_TYPES:
        return event
    target = sequences.get(event.data["event"])
    if target is None:
        raise ServiceError(
            f"hændelse {event.data['event']} blev afvist og kan ikke rettes", rule="R-CORRECTION"
        )
    return replace(event, data={**event.data, "event": target})


class _Rollback(Exception):
    pass


def replay(timeline: rules.ReplayInput) -> dict:
    """REPLAY.md: run one timeline through the services in a transaction that is rolled back, and return
    what the agreement requires at `now`."""
    result: dict = {}
    try:
        with transaction.atomic():
            region = region_for_profile(timeline.profile)
            # A stand-in hospital, ward and citizen, gone again with the rollback.
            hospital, _ = Hospital.objects.get_or_create(
                name=f"Replay – {region.name}", defaults={"region": region}
            )
            ward, _ = Ward.objects.get_or_create(hospital=hospital, name="Replay")
            municipality = region.municipalities.order_by("code").first()
            citizen = Citizen.objects.create(cpr=_unused_cpr(), name="Replay", municipality=municipality)
            _stand_in_coordinators(timeline, ward, municipality)
            admission, refusals = record_timeline(timeline, ward, citizen, collect_refusals=True)
            evaluation = rules.evaluate(
                admission.timeline(), admission.admitted_citizen(), region.rules_profiles(), timeline.now
            )
            # REPLAY.md: the messages are Danish for a person, whatever language is active.
            result = rules.to_replay_dict(evaluation, texts.danish)
            result["rejected"] = [
                {"event": r.event, "rule": r.rule, "message": texts.danish(r.key, r.params)} for r in refusals
            ]
            raise _Rollback
    except _Rollback:
        pass
    return result


def _stand_in_coordinators(timeline: rules.ReplayInput, ward: Ward, municipality: Municipality) -> None:
    """R-FK names the coordinator by user name. Replay asks what the agreement requires, not who works here:
    a coordinator unknown to this database is stood in for (the side the timeline gives, else the side that
    included), gone again with the rollback. load_timelines refuses an unknown user instead."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from coordination.models import StaffMember

    User = get_user_model()
    group = Group.objects.filter(name="Forløbskoordinator").first()
    included_by = None
    for event in timeline.events:
        if event.type not in ("fk_included", "fk_coordinator_changed"):
            continue
        included_by = event.data.get("by") or included_by
        name = event.data["coordinator"]
        if not name.strip() or len(name) > 150 or User.objects.filter(username=name).exists():
            continue
        user = User.objects.create(username=name)
        side = event.data.get("coordinator_side") or included_by or rules.MUNICIPALITY
        place = {"municipality": municipality} if side == rules.MUNICIPALITY else {"ward": ward}
        StaffMember.objects.create(user=user, **place)
        if group is not None:
            user.groups.add(group)


def _unused_cpr() -> str:
    rng = random.Random(0)
    while True:
        cpr = fictitious_cpr(date(1940, 2, 1 + rng.randrange(27)), female=rng.random() < 0.5, rng=rng)
        if not Citizen.objects.filter(cpr=cpr).exists():
            return cpr
