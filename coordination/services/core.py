"""The timeline core every service goes through: who acts (`Actor`), refusals (`ServiceError`), the one place
where events are appended (`_append`); storing what the rules engine derives is services/derived.py."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from coordination import rules, texts
from coordination.models import (
    Admission,
    Event,
    EventNotice,
    Side,
)
from coordination.queueing import NOTIFY_EVENT, enqueue_on_commit
from coordination.services.derived import store as _store
from coordination.services.derived import to_json as _to_json

log = logging.getLogger(__name__)

# Open while services.batch.one_evaluation records a whole timeline: `_append` hands the event to it.
BATCH: ContextVar[Any] = ContextVar("coordination_batch", default=None)


class ServiceError(Exception):
    """An action was refused. `key` and `params` say why (coordination.texts makes the sentence when it is
    shown, in the reader's language: `message`); `field` names the form field at fault; `rule` the agreement
    rule that forbids it."""

    def __init__(
        self,
        key: str,
        params: dict[str, Any] | None = None,
        *,
        field: str | None = None,
        rule: str | None = None,
    ):
        super().__init__(key)
        self.key = key
        self.params = dict(params or {})
        self.field = field
        self.rule = rule

    @property
    def message(self) -> str:
        return texts.text(self.key, self.params)

    def __str__(self) -> str:
        return self.message


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
            raise ServiceError("service.not_linked")
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
    "leave_started": Side.HOSPITAL,
    "leave_ended": Side.HOSPITAL,
    "epikrise_sent": Side.HOSPITAL,
    "sharing_wishes": Side.HOSPITAL,
}
_SIDE_OF_MESSAGE = {
    "ADVIS-IND": Side.HOSPITAL,
    "PFP": Side.HOSPITAL,
    "USR": Side.HOSPITAL,
    "GOP": Side.HOSPITAL,
    "ILR": Side.MUNICIPALITY,
    "MILR": Side.MUNICIPALITY,
}


def _required_side(event_type: str, data: dict) -> str | None:
    if event_type == "message":
        if data.get("code") == "KM":
            return data.get("from")
        return _SIDE_OF_MESSAGE.get(data.get("code"))
    if event_type in ("message_read", "fk_included"):
        return data.get("by")
    return _SIDE_OF_TYPE.get(event_type)


def _check_side(actor: Actor, event_type: str, data: dict) -> None:
    side = _required_side(event_type, data)
    if actor.side != Side.SYSTEM and side is not None and actor.side != side:
        raise ServiceError("service.wrong_side", {"side": side})


# --- Serialising event data for the JSON column ---------------------------------------------------------


def _parse(event_type: str, at: datetime, data: dict, sequence: int) -> rules.Event:
    """Validate the fields with the engine's own parser: a service accepts exactly what replay accepts."""
    if not isinstance(at, datetime) or timezone.is_naive(at):
        raise ServiceError("service.moment_missing", field="at")
    raw = {"at": at.isoformat(), "type": event_type, **{k: _to_json(v) for k, v in data.items()}}
    try:
        event = rules.parse_event(raw, sequence)
    except rules.TimelineError as error:
        key = getattr(error, "key", None)
        if key in texts.TEXTS:
            raise ServiceError(key, error.params, field=error.field) from error
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
        raise ServiceError("service.in_future", field="at")
    batch = BATCH.get()
    if batch is not None and batch.takes(admission, event_type):  # services.batch.one_evaluation
        return batch.add(event_type, at, data, actor, now, expected_version)
    with transaction.atomic():
        # Lock the admission: two people recording on the same admission are serialised, never interleaved.
        # Only the admission's row (`of`): the citizen, ward, hospital and region it joins stay free for
        # everyone recording on the other admissions; the forløb row, if any, comes along (derived.store).
        admission = (
            Admission.objects.select_for_update(of=("self",))
            .select_related("citizen", "ward__hospital__region", "forloeb")
            .get(pk=admission.pk)
        )
        _check_version(admission, expected_version)
        if event_type != "admitted" and at < admission.admitted_at:
            raise ServiceError("service.before_admission", field="at")
        recorded = admission.timeline()  # each event's id is its sequence
        sequence = max((event.id for event in recorded), default=0) + 1
        new_event = _parse(event_type, at, data, sequence)
        # By instant, not wall clock (the same hour comes twice when summer time ends), then recording order.
        timeline = sorted([*recorded, new_event], key=lambda e: (e.at.timestamp(), e.id))
        evaluation = _evaluate(admission, timeline, now)
        if evaluation.rejected:
            refusal = evaluation.rejected[0]
            raise ServiceError(refusal.key, dict(refusal.params), rule=refusal.rule)
        event = event_row(admission, new_event, at, actor, now)
        event.save(force_insert=True)
        # Saved with what the engine derived (_store).
        if event_type == "admitted" and admission.admitted_event_id is None:
            admission.admitted_event = event
        admission.note_event(event.recorded_at, event.recorded_by_id)
        # The version counts the timeline's events (forms and board marks rely on it); a refresh by the clock
        # alone (refresh_derived_state) re-derives the same facts and leaves it.
        admission.version += 1
        _store(admission, evaluation)
        _queue_notifications(event)
    log.debug("event %s recorded on admission %s", event_type, admission.pk)
    return event


_REQUIRED = object()


def recorder(
    event_type: str,
    doc: str,
    *required: str,
    check: Callable[[Admission, Actor], None] | None = None,
    **optional: Any,
) -> Callable[..., Event]:
    """A user action that is nothing but its one event: `recorder("left_ward", "…")` makes
    `record_departure(admission, *, at, actor, now=None, expected_version=None)`, the event's fields as
    keyword arguments (`required` ones, `optional` ones with their defaults). `check` refuses first (e.g.
    only the coordinator). Actions that do more than append write their own function."""
    fields = dict.fromkeys(required, _REQUIRED) | optional

    def action(
        admission: Admission,
        *,
        at: datetime,
        actor: Actor,
        now: datetime | None = None,
        expected_version: int | None = None,
        **given: Any,
    ) -> Event:
        unknown, missing = set(given) - set(fields), [f for f in required if f not in given]
        if unknown or missing:  # as Python itself refuses a wrong keyword argument
            raise TypeError(f"{event_type}: unknown {sorted(unknown)}, missing {missing}")
        if check is not None:
            check(admission, actor)
        return _append(admission, event_type, at, fields | given, actor, now, expected_version)

    action.__doc__ = doc
    action.__qualname__ = action.__name__ = f"recorder[{event_type}]"
    return action


def event_row(admission: Admission, parsed: rules.Event, at: datetime, actor: Actor, now: datetime) -> Event:
    """The row of a parsed event (its id is its sequence), not yet saved."""
    return Event(
        admission=admission,
        sequence=parsed.id,
        type=parsed.type,
        occurred_at=at,
        recorded_at=now,
        recorded_by=actor.user,
        recorded_by_side=actor.side,
        recorded_by_organisation=actor.organisation,
        data={k: _to_json(v) for k, v in parsed.data.items()},
    )


def _queue_notifications(event: Event) -> None:
    """Tell the receiving side about a new message: the outbox row now, in the event's transaction, and the
    task (queued by name) after commit. A broker that cannot be reached is logged; the sweep delivers the
    notice later (issue 7)."""
    if rules.messages.receiver(event.type, event.data) is None:
        return
    EventNotice.objects.create(event=event, created_at=event.recorded_at)
    enqueue_on_commit(NOTIFY_EVENT, event.pk)


def _check_version(admission: Admission, expected_version: int | None) -> None:
    """Optimistic concurrency: a form carries the version it was shown; a change in between is refused,
    unless it is only read receipts (R-READ: the other side opened the page), which change nothing the
    person saw. The version counts the events, so the events since are those with a higher sequence."""
    if expected_version is None or expected_version == admission.version:
        return
    since = admission.events.filter(sequence__gt=expected_version)
    if expected_version > admission.version or since.exclude(type="message_read").exists():
        raise VersionConflict("service.version_conflict")


def admitted_citizen(timeline: list[rules.Event]) -> rules.Citizen:
    """The citizen's facts recorded with the admission: the data of its `admitted` event."""
    admitted = next(event for event in timeline if event.type == "admitted")
    citizen = admitted.data.get("citizen")
    if citizen is None:
        raise ServiceError("service.no_citizen_facts")
    return citizen


def _evaluate(
    admission: Admission, timeline: list[rules.Event], now: datetime, profiles: list | None = None
) -> rules.Evaluation:
    profiles = admission.region.rules_profiles() if profiles is None else profiles
    if not profiles:
        raise ServiceError("service.no_profile", {"region": str(admission.region)})
    return rules.evaluate(timeline, admitted_citizen(timeline), profiles, now)


def refresh_derived_state(admission: Admission, *, now: datetime | None = None) -> rules.Evaluation:
    """Re-derive an admission's stored state from its timeline (e.g. when 48 hours have passed)."""
    now = now or timezone.now()
    with transaction.atomic():
        admission = (
            Admission.objects.select_for_update(of=("self",))
            .select_related("citizen", "ward__hospital__region", "forloeb")
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
