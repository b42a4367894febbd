"""Recording a whole timeline with one evaluation (issue 15): `load_timelines` and `seed_demo`.

Recorded one by one, every event locks the admission, reads its timeline, has the engine judge all of it and
stores what it derived: a timeline of n events costs n evaluations and n stores. Inside `one_evaluation`,
each service still runs exactly as a person's action does (its own checks, the side, the moment, the
engine's parser), but `core._append` only collects the event; at the end the engine judges the whole
timeline once and the events and what it derived are written in bulk, in the caller's transaction.

The result is the same as recording the events one by one when the timeline is accepted whole: the stored
state is what the last event's evaluation derives, and that is the evaluation of the whole timeline at the
last event's `now` (the refusal units judge each event on the course before it, so a timeline in time order
that the engine accepts whole is accepted event by event). Anything else (a refusal, a service's own error,
events out of time order, a type whose service does more than append) raises `NotInOneGo`; the caller rolls
back and records one by one, which gives the exact error (tests/test_bulk_loading.py compares both ways).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction

from coordination import rules
from coordination.models import Admission, Event, EventNotice, Region, Ward
from coordination.queueing import NOTIFY_EVENTS, enqueue_on_commit, safe_delay
from coordination.services import core, derived

# The types whose service does more than its checks and one `_append`, or reads stored derived state (the
# ward, the citizen's facts in force, the forløb row, the event a correction names): recorded one by one.
# A new event type whose service does so must be added here (tests/test_bulk_loading.py compares both ways).
ONE_BY_ONE = frozenset(
    {"transferred", "citizen_changed", *rules.CORRECTION_TYPES}
    | {"fk_included", "fk_coordinator_changed", "fk_visit_planned", "fk_visit_done", "fk_ended"}
)
IN_ONE_GO = frozenset(rules.EVENT_TYPES) - ONE_BY_ONE


class NotInOneGo(Exception):
    """The timeline cannot be recorded with one evaluation; record it event by event instead."""


@dataclass
class Run:
    """One loading run (`load_timelines`, `seed_demo`): what every timeline of it looks up again (the
    region, its agreement profiles, the places) is kept for the run, and the messages' outbox rows are
    turned into inbox items at the end, a few hundred at a time, instead of one task per timeline (the rows
    are in the outbox from each timeline's commit on, so a run that stops half-way leaves them to the sweep,
    as a broker that is down does). Only rows that were there before the timeline's transaction are kept:
    one that timeline created goes again if it is rolled back."""

    regions: dict[str, Region] = field(default_factory=dict)
    profiles: dict[int, list] = field(default_factory=dict)
    places: dict[tuple, tuple] = field(default_factory=dict)
    told: list[int] = field(default_factory=list)

    def profiles_of(self, region: Region) -> list:
        if region.pk not in self.profiles:
            self.profiles[region.pk] = region.rules_profiles()
        return self.profiles[region.pk]

    def notify(self) -> None:
        told, self.told = self.told, []
        for start in range(0, len(told), NOTICES_PER_TASK):
            safe_delay(NOTIFY_EVENTS, told[start : start + NOTICES_PER_TASK])


NOTICES_PER_TASK = 500  # what process_event_notices claims at a time
RUN: ContextVar[Run | None] = ContextVar("coordination_loading_run", default=None)


@contextmanager
def loading_run(*, fast_commit: bool = False) -> Iterator[Run]:
    """Open a loading run (see `Run`) around many `load_line`s; the inbox items are made when it closes.

    `fast_commit` (demo and benchmark data, which can be made again): PostgreSQL does not wait for each
    timeline's commit to reach the disk (`synchronous_commit = off`: a crash may lose the last moment's
    timelines, never half of one)."""
    run = Run()
    token = RUN.set(run)
    fast = fast_commit and connection.vendor == "postgresql" and not connection.in_atomic_block
    if fast:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
    try:
        yield run
    finally:
        RUN.reset(token)
        run.notify()
        if fast:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")


@dataclass
class _Batch:
    admission: Admission | None
    timeline: list[rules.Event]
    rows: list[Event] = field(default_factory=list)
    now: datetime | None = None

    ward: Ward | None = None

    def takes(self, admission: Admission, event_type: str) -> bool:
        """Whether `core._append` hands this event to the batch: the new admission's events only."""
        if self.admission is None and event_type == "admitted":
            self.admission = admission
            self.ward = admission.ward  # with its hospital and region, which a refresh forgets
        return self.admission is not None and self.admission.pk == admission.pk

    def add(
        self, event_type: str, at: datetime, data: dict, actor: core.Actor, now: datetime, version: int | None
    ) -> Event:
        """`core._append` deferred: the same checks on the locked admission, the write left for the end."""
        if event_type not in IN_ONE_GO or version is not None:
            raise NotInOneGo(event_type)
        if at < self.admission.admitted_at:
            raise core.ServiceError("service.before_admission", field="at")
        sequence = len(self.timeline) + 1  # a new admission's events, numbered from 1 as _append does
        parsed = core._parse(event_type, at, data, sequence)
        if self.timeline and parsed.at < self.timeline[-1].at:
            raise NotInOneGo("out of time order")
        row = core.event_row(self.admission, parsed, at, actor, now)
        self.timeline.append(parsed)
        self.rows.append(row)
        self.now = now
        return row


@contextmanager
def one_evaluation() -> Iterator[_Batch]:
    """Collect the events the services record on the admission created inside the block (its `admitted`
    event binds it), then judge and store them at once, in the caller's transaction (nobody else sees the
    new admission before it commits)."""
    batch = _Batch(None, [])
    token = core.BATCH.set(batch)
    try:
        yield batch
    finally:
        core.BATCH.reset(token)
    if batch.rows:
        _write(batch)


def _write(batch: _Batch) -> None:
    admission = batch.admission
    if batch.ward is not None and admission.ward_id == batch.ward.pk:
        admission.ward = batch.ward
    run = RUN.get()
    profiles = run.profiles_of(admission.region) if run is not None else None
    evaluation = core._evaluate(admission, batch.timeline, batch.now, profiles)
    if evaluation.rejected:
        raise NotInOneGo(evaluation.rejected[0].key)
    rows = Event.objects.bulk_create(batch.rows)
    admission.version += len(rows)
    admission.admitted_event = next(row for row in rows if row.type == "admitted")  # as _append sets them
    for row in rows:
        admission.note_event(row.recorded_at, row.recorded_by_id)
    derived.store(admission, evaluation, new=True)  # nothing derived is stored yet for a new admission
    told_rows = [row for row in rows if rules.messages.receiver(row.type, row.data) is not None]
    EventNotice.objects.bulk_create(EventNotice(event=row, created_at=row.recorded_at) for row in told_rows)
    told = [row.pk for row in told_rows]
    if told and run is not None:
        transaction.on_commit(lambda: run.told.extend(told))
    elif told:
        enqueue_on_commit(NOTIFY_EVENTS, told)
