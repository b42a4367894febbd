"""Bulk loading (issue 15): a timeline recorded with one evaluation (services.batch) leaves exactly what
recording its events one by one leaves: the events, the obligations, the periods and their days, the
admission's derived facts, the forløb, the inbox items; and a timeline that is refused is refused with the
same message. Compared on every worked example (and the examples of errors) and on random demo timelines."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.forms.models import model_to_dict

from coordination import timelines
from coordination.demo import demo_timelines
from coordination.management.commands.load_timelines import load_line
from coordination.models import Admission, Citizen, EventNotice, Municipality, Notification
from coordination.rules import parse_timeline
from tests.factories import staff_user
from tests.replay_checks import examples_dir

pytestmark = pytest.mark.django_db

ADMISSION_FIELDS = (
    "admitted_at",
    "version",
    "over_48h",
    "expected_faerdigbehandlet_on",
    "faerdigbehandlet_date_certain",
    "faerdigbehandlet_on",
    "planned_discharge_at",
    "agreed_discharge_at",
    "left_at",
    "discharge_registered_at",
    "extended_responsibility_until",
    "medicine_until",
    "next_due_at",
    "owed_by_hospital",
    "owed_by_municipality",
    "last_event_at",
    "last_event_by_id",
    "last_other_event_at",
    "warnings",
    "facts",
    "reevaluate_at",
)


def snapshot(admission: Admission) -> dict:
    """Everything recording leaves for one admission, without row ids."""
    admission.refresh_from_db()
    events = {e.pk: e.sequence for e in admission.events.all()}
    return {
        "admission": {f: getattr(admission, f) for f in ADMISSION_FIELDS},
        # Where it came from (the board's "indtastet af"): its first admitted event, by sequence.
        "admitted_event": events.get(admission.admitted_event_id),
        "events": [
            (
                e.sequence,
                e.type,
                e.occurred_at,
                e.recorded_at,
                e.recorded_by_side,
                e.recorded_by_organisation,
                e.data,
            )
            for e in admission.events.order_by("sequence")
        ],
        "obligations": sorted(
            (model_to_dict(o, exclude=["id", "admission"]) for o in admission.obligations.all()),
            key=lambda row: row["key"],
        ),
        "periods": [
            (
                model_to_dict(p, exclude=["id", "admission"]),
                sorted((d.day, d.paid) for d in p.dates.all()),
            )
            for p in admission.periods.order_by("registered_at")
        ],
        "forloeb": model_to_dict(admission.forloeb, exclude=["id", "admission"])
        if hasattr(admission, "forloeb")
        else None,
        "inbox": sorted(
            (n.user.username, n.kind, json.dumps(n.params, sort_keys=True), events.get(n.event_id))
            for n in Notification.objects.filter(admission=admission).select_related("user")
        ),
        "outbox": EventNotice.objects.filter(event__admission=admission).count(),
    }


@pytest.fixture
def load(monkeypatch, django_capture_on_commit_callbacks):
    def run(obj: dict, now: datetime, cpr: str, *, one_by_one: bool) -> dict | str:
        """Load the timeline for the citizen `cpr` (the tasks queued on commit run, as after a real
        commit): its snapshot, or the refusal."""
        obj = {**obj, "where": {**obj["where"], "cpr": cpr}}
        with monkeypatch.context() as patch, django_capture_on_commit_callbacks(execute=True):
            if one_by_one:
                patch.setattr(timelines, "_in_one_go", lambda *args: None)
            try:
                load_line(obj, now=now)
            except Exception as error:  # noqa: BLE001 - the message is what is compared
                return f"{type(error).__name__}: {error}"
        return snapshot(Admission.objects.get(citizen__cpr=cpr))

    return run


def both_ways(load, obj: dict, now: datetime):
    return load(obj, now, "0101450001", one_by_one=True), load(obj, now, "0101450002", one_by_one=False)


@pytest.fixture
def receivers(db):
    """A visitator in every municipality, so that messages make inbox items to compare."""
    for municipality in Municipality.objects.all():
        staff_user(f"visitator-{municipality.code}", municipality=municipality)


def example_timelines(errors: bool = True) -> list[tuple[str, dict]]:
    """The worked examples' timelines, and the examples of errors (domain/examples/errors/) unless not."""
    found = []
    for path in sorted(Path(examples_dir()).glob("**/*.json" if errors else "*.json")):
        data = json.loads(path.read_text())
        found.append((path.name, data.get("input", data)))
    return found


@pytest.mark.parametrize(("name", "timeline"), example_timelines(), ids=lambda value: str(value)[:40])
def test_every_worked_example_is_recorded_alike_in_one_go_and_one_by_one(name, timeline, receivers, load):
    obj = {
        **timeline,
        "where": {"hospital": "Herlev Hospital", "ward": "Medicinsk", "municipality": "0163", "name": "Eva"},
    }
    try:
        now = datetime.fromisoformat(timeline["now"])
    except (KeyError, TypeError, ValueError):
        now = datetime.fromisoformat("2026-12-01T12:00:00+01:00")
    single, bulk = both_ways(load, obj, now)
    assert bulk == single


def test_random_demo_timelines_are_recorded_alike_and_mostly_in_one_go(receivers, load, monkeypatch):
    now = datetime.fromisoformat("2026-12-02T10:00:00+01:00")
    went_in_one_go = []
    original = timelines._in_one_go

    def counting(*args):
        went_in_one_go.append((done := original(*args)) is not None)
        return done

    for index, obj in enumerate(demo_timelines(24, seed=11, now=now)):
        single = load(obj, now, f"02024{index:05d}", one_by_one=True)
        monkeypatch.setattr(timelines, "_in_one_go", counting)
        bulk = load(obj, now, f"03034{index:05d}", one_by_one=False)
        monkeypatch.setattr(timelines, "_in_one_go", original)
        assert bulk == single, f"demo timeline {index}"
    # The fast path is the usual one: only timelines with a move, a correction or a forløb fall back.
    assert sum(went_in_one_go) >= len(went_in_one_go) * 2 // 3


def test_a_refused_event_in_one_go_falls_back_and_leaves_nothing_but_the_same_refusal(receivers, load):
    now = datetime.fromisoformat("2026-02-06T12:00:00+01:00")
    obj = {
        "profile": "hovedstaden",
        "citizen": {"known_in_eoj": True, "residence": "own_home", "social_area": False, "terminal": False},
        "events": [
            {
                "at": "2026-02-02T10:00:00+01:00",
                "type": "admitted",
                "expected_stay": "over_48h",
                "somatic": True,
            },
            {"at": "2026-02-02T10:01:00+01:00", "type": "message", "code": "ADVIS-IND"},
            {"at": "2026-02-04T10:00:00+01:00", "type": "left_ward"},
            # R-FLOW: no PFP after the departure -> refused, in one go as one by one
            {"at": "2026-02-04T11:00:00+01:00", "type": "message", "code": "MILR"},
        ],
        "where": {"hospital": "Herlev Hospital", "ward": "Medicinsk", "municipality": "0163", "name": "Eva"},
    }
    single, bulk = both_ways(load, obj, now)
    assert isinstance(bulk, str) and "R-FLOW" in bulk
    assert bulk == single.replace("0101450001", "0101450002")
    assert not Citizen.objects.filter(admissions__isnull=False).exists()


def long_timeline(kms: int) -> dict:
    # admitted Mon 08:00, ADVIS-IND 08:01, then a KM every 5 minutes from alternating sides
    start = datetime.fromisoformat("2026-02-02T08:00:00+01:00")
    events = [
        {"at": start.isoformat(), "type": "admitted", "expected_stay": "over_48h", "somatic": True},
        {"at": (start + timedelta(minutes=1)).isoformat(), "type": "message", "code": "ADVIS-IND"},
    ]
    for i in range(kms):
        at = start + timedelta(minutes=10 + 5 * i)
        side = "hospital" if i % 2 else "municipality"
        events.append(
            {"at": at.isoformat(), "type": "message", "code": "KM", "from": side, "subject": "Spørgsmål"}
        )
    return {
        "profile": "hovedstaden",
        "now": (start + timedelta(days=3)).isoformat(),
        "citizen": {"known_in_eoj": True, "residence": "own_home", "social_area": False, "terminal": False},
        "events": events,
    }


def with_refusals(timeline: dict, every: int) -> dict:
    """The timeline with a `treatment_resumed` nothing was færdigbehandlet for (R-FB-RESUME refuses it)
    after every `every`-th event, and one at the end."""
    events = []
    for index, event in enumerate(timeline["events"]):
        events.append(event)
        if index and (index % every == 0 or index == len(timeline["events"]) - 1):
            events.append({"at": event["at"], "type": "treatment_resumed", "reason": "relapse"})
    return {**timeline, "events": events}


@pytest.mark.parametrize(
    "timeline",
    [data for name, data in example_timelines(errors=False)]
    + [long_timeline(120), with_refusals(long_timeline(60), 7)],
    ids=lambda value: str(value)[:30],
)
def test_replay_answers_alike_in_one_go_and_one_by_one(timeline, monkeypatch):
    parsed = parse_timeline(timeline)
    fast = timelines.replay(parsed)
    monkeypatch.setattr(timelines, "_in_one_go", lambda *args: None)
    assert fast == timelines.replay(parsed)


def test_replay_with_refused_events_is_recorded_in_one_go(monkeypatch):
    """Replay's timeline with refusals is not recorded event by event (which re-judges the whole timeline
    per event): its accepted events go in one go (the answer is compared with one by one above)."""
    one_by_one = []
    original = timelines.services.record_event
    monkeypatch.setattr(
        timelines.services, "record_event", lambda *a, **k: one_by_one.append(1) or original(*a, **k)
    )
    parsed = parse_timeline(with_refusals(long_timeline(40), 5))
    result = timelines.replay(parsed)
    assert len(result["rejected"]) == 9 and {r["rule"] for r in result["rejected"]} == {"R-FB-RESUME"}
    # Twice through the services, each time in one go: the whole timeline (refused at the end, rolled back),
    # then the accepted events; one by one would have judged the timeline once per event.
    events, refused = len(parsed.events) - 1, len(result["rejected"])
    assert len(one_by_one) == events + (events - refused)
