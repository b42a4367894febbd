"""services/derived.py: what an event changes is written, what it leaves as it was stays (issue 15): the
færdigbehandling periods and their dates are rewritten only when the engine derives them differently, and
what is stored is always what the engine derives from the whole timeline."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coordination import rules, services
from coordination.demo import demo_timelines
from coordination.demo.stages import STAGES
from coordination.management.commands.load_timelines import load_line
from coordination.models import Admission, FaerdigbehandlingDay

pytestmark = pytest.mark.django_db

NOW = datetime.fromisoformat("2026-12-02T10:00:00+01:00")
WAITING = [name for name, _ in STAGES].index("waiting")  # færdigbehandlet, waiting: an open period


def stored(admission: Admission) -> list:
    return [
        (p.pk, p.registered_at, p.ended_on, p.days, p.voided, sorted((d.day, d.paid) for d in p.dates.all()))
        for p in admission.periods.order_by("registered_at")
    ]


def derived(admission: Admission, now: datetime) -> list:
    evaluation = rules.evaluate(
        admission.timeline(), admission.admitted_citizen(), admission.region.rules_profiles(), now
    )
    return [
        (p.registered_at, p.ended, p.days if p.ended is not None else 0, p.voided, len(rules.fee_days(p)) + 1)
        for p in evaluation.periods
    ]


def as_derived(rows: list) -> list:
    return [(at, ended, days, voided, len(dates)) for _pk, at, ended, days, voided, dates in rows]


def test_an_event_that_leaves_the_periods_as_they_were_does_not_rewrite_them():
    load_line(demo_timelines(WAITING + 1, seed=2, now=NOW)[WAITING], now=NOW)
    admission = Admission.objects.get()
    before = stored(admission)
    assert before and before[-1][2] is None  # an open period
    services.send_km(
        admission, at=NOW, sender="municipality", subject="andet", actor=services.Actor.system(), now=NOW
    )
    assert stored(admission) == before  # the same rows, the same dates
    assert as_derived(before) == derived(admission, NOW)


def test_a_period_the_engine_derives_differently_is_rewritten_with_its_dates():
    load_line(demo_timelines(WAITING + 1, seed=2, now=NOW)[WAITING], now=NOW)
    admission = Admission.objects.get()
    before = stored(admission)
    later = NOW + timedelta(days=3)  # the open period has three more paid days
    services.refresh_derived_state(admission, now=later)
    after = stored(admission)
    assert as_derived(after) == derived(admission, later)
    assert len(after[-1][5]) == len(before[-1][5]) + 3
    assert FaerdigbehandlingDay.objects.filter(admission=admission).count() == sum(len(r[5]) for r in after)


def test_an_event_that_leaves_the_periods_as_they_were_does_not_read_them():
    # The periods' digest stored with the facts says they are as derived: no query of periods or dates.
    load_line(demo_timelines(WAITING + 1, seed=2, now=NOW)[WAITING], now=NOW)
    admission = Admission.objects.get()
    before = stored(admission)
    with CaptureQueriesContext(connection) as queries:
        services.send_km(
            admission, at=NOW, sender="municipality", subject="andet", actor=services.Actor.system(), now=NOW
        )
    read = [q["sql"] for q in queries if "faerdigbehandling" in q["sql"]]
    assert read == []
    assert stored(admission) == before
    # Three days on, the open period has more paid days: the digest differs, the period is rewritten.
    services.send_km(
        admission,
        at=NOW,
        sender="municipality",
        subject="andet",
        actor=services.Actor.system(),
        now=NOW + timedelta(days=3),
    )
    assert as_derived(stored(admission)) == derived(admission, NOW + timedelta(days=3))


def test_the_sides_that_owe_follow_the_open_obligations_that_can_be_met(admission, hospital_actor):
    """`owed_by_*` (board.on_board reads them): the side has an open obligation it can still meet."""
    from tests.conftest import cph
    from tests.printout_data import USR_CONTENT

    def owed() -> tuple[bool, bool]:
        admission.refresh_from_db()
        open_ = admission.obligations.filter(status="open", possible=True)
        expected = (open_.filter(owner="hospital").exists(), open_.filter(owner="municipality").exists())
        assert (admission.owed_by_hospital, admission.owed_by_municipality) == expected
        return expected

    owed()  # admitted: as its obligations say
    left, registered = cph("2026-02-05 10:00"), cph("2026-02-05 10:05")
    services.record_departure(admission, at=left, actor=hospital_actor, now=left)
    services.register_discharge(admission, at=registered, actor=hospital_actor, now=registered)
    assert owed() == (True, True)  # discharged: the USR still owed, and the municipality's duty
    sent = registered + timedelta(minutes=5)
    services.send_message(admission, "USR", at=sent, actor=hospital_actor, now=sent, content=USR_CONTENT)
    assert owed() == (False, True)  # the USR sent: nothing left for the hospital


def test_admissions_stored_before_the_columns_get_the_sides_that_owe_from_their_obligations(
    admission, hospital_actor
):
    """Migration 0032 takes `owed_by_*` once from the stored obligations, as the store writes them."""
    import importlib

    from tests.conftest import cph

    backfill = importlib.import_module("coordination.migrations.0032_admission_owed_by").BACKFILL
    left, registered = cph("2026-02-05 10:00"), cph("2026-02-05 10:05")
    services.record_departure(admission, at=left, actor=hospital_actor, now=left)
    services.register_discharge(admission, at=registered, actor=hospital_actor, now=registered)
    admission.refresh_from_db()
    derived = (admission.owed_by_hospital, admission.owed_by_municipality)
    Admission.objects.filter(pk=admission.pk).update(owed_by_hospital=False, owed_by_municipality=False)
    with connection.cursor() as cursor:
        cursor.execute(backfill)
    admission.refresh_from_db()
    assert (admission.owed_by_hospital, admission.owed_by_municipality) == derived == (True, True)


def test_the_last_change_by_others_is_kept_by_every_event_and_taken_by_0035_from_the_timeline(
    admission, nurse, visitator, outsider
):
    """The board's "changed" mark reads the newest event not recorded by its reader from three columns
    each event keeps; they say what a look at the events would, for every reader, and migration 0035
    takes them once from the timelines."""
    import importlib

    from django.db.models import Max

    from coordination.models import Event
    from tests.conftest import cph

    def by_others() -> dict:
        admission.refresh_from_db()
        return {
            user.username: admission.last_change_by_others(user.pk) for user in (nurse, visitator, outsider)
        }

    def from_events() -> dict:
        events = Event.objects.filter(admission=admission)
        return {
            user.username: events.exclude(recorded_by=user).aggregate(at=Max("recorded_at"))["at"]
            for user in (nurse, visitator, outsider)
        }

    # The ward's own admission and advis are nobody's (no user): others' for everyone.
    assert by_others() == from_events()
    steps = [
        (visitator, "municipality", "2026-02-03 09:00"),
        (visitator, "municipality", "2026-02-03 09:30"),  # the same author again
        (nurse, "hospital", "2026-02-03 10:00"),
        (visitator, "municipality", "2026-02-03 09:45"),  # recorded with an earlier time than the newest
    ]
    for user, side, at in steps:
        moment = cph(at)
        actor = services.Actor.for_user(user)
        services.send_km(
            admission, at=moment, sender=side, subject="andet", text="x", actor=actor, now=moment
        )
        assert by_others() == from_events()
    assert by_others()["sygeplejerske"] == cph("2026-02-03 09:45")  # the visitator's, not her own 10:00

    kept = by_others()
    Admission.objects.filter(pk=admission.pk).update(
        last_event_at=None, last_event_by=None, last_other_event_at=None
    )
    with connection.cursor() as cursor:
        for statement in importlib.import_module(
            "coordination.migrations.0035_admission_last_event"
        ).BACKFILL:
            cursor.execute(statement)
    assert by_others() == kept


def test_the_mof_column_reads_the_stored_fact_and_migration_0036_takes_it_from_the_periods(
    admission, hospital_actor, visitator
):
    """The board's MOF column reads the newest period from the admission's facts (no prefetch of the
    periods); 0036 writes that fact once for admissions stored before it."""
    import importlib
    from datetime import date

    from django.apps import apps

    from tests.conftest import cph
    from tests.factories import logged_in

    services.register_faerdigbehandlet(
        admission,
        at=cph("2026-02-04 10:00"),
        faerdigbehandlet_on=date(2026, 2, 4),
        waiting_for=["plejebolig"],
        actor=hospital_actor,
        now=cph("2026-02-04 10:00"),
    )
    admission.refresh_from_db()
    stored = admission.mof
    assert stored["registered_on"] == date(2026, 2, 4) and stored["waiting_for"] == ["plejebolig"]
    assert stored["ended_on"] is None and not stored["voided"]
    with time_machine.travel(cph("2026-02-06 09:00"), tick=False):
        board = logged_in(visitator).get("/").content.decode()
    assert "færdigbehandlet siden 4. feb. 2026, 2 dage" in board and "venter på: plejebolig" in board

    Admission.objects.filter(pk=admission.pk).update(facts={**admission.facts, "mof": None})
    importlib.import_module("coordination.migrations.0036_admission_mof_fact").backfill(apps, None)
    admission.refresh_from_db()
    assert admission.mof == stored
