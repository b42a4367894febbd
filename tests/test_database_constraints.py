"""The database enforces what the code assumes (issue 11): event types and sides as check constraints, and an
admission's version equal to its number of events (a deferred constraint trigger, checked at commit; here
with SET CONSTRAINTS ALL IMMEDIATE, since a test's transaction never commits)."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from coordination.models import (
    HOSPITAL_EVENT_TYPES,
    MUNICIPALITY_EVENT_TYPES,
    Admission,
    Event,
    Side,
)
from coordination.services import core
from tests.conftest import cph


def checked_now() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def deferred() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.fixture(autouse=True)
def _deferred_again():
    yield
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        deferred()


def an_event(admission, **fields) -> Event:
    at = cph("2026-02-03 10:00")
    values = dict(
        admission=admission,
        sequence=99,
        type="municipality_contacted",
        occurred_at=at,
        recorded_at=at,
        recorded_by_side=Side.HOSPITAL,
        data={},
    )
    return Event(**{**values, **fields})


@pytest.mark.parametrize(
    "fields",
    [
        {"type": "tea_break"},
        {"recorded_by_side": "nobody"},
        {"type": "left_ward", "recorded_by_side": Side.MUNICIPALITY},
        {"type": "rehabilitation_started", "recorded_by_side": Side.HOSPITAL},
    ],
    ids=["unknown type", "unknown side", "departure by the municipality", "rehabilitation by the hospital"],
)
def test_an_event_the_vocabulary_does_not_allow_cannot_be_written(admission, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        an_event(admission, **fields).save()
    assert Event.objects.filter(admission=admission).count() == 2


def test_the_constraints_agree_with_the_services_idea_of_sides():
    hospital = {t for t, side in core._SIDE_OF_TYPE.items() if side == Side.HOSPITAL}
    municipality = {t for t, side in core._SIDE_OF_TYPE.items() if side == Side.MUNICIPALITY}
    assert (hospital, municipality) == (set(HOSPITAL_EVENT_TYPES), set(MUNICIPALITY_EVENT_TYPES))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL constraint trigger")
def test_a_version_that_is_not_the_event_count_fails_at_commit(admission):
    checked_now()  # what the services wrote is consistent: 2 events, version 2
    assert admission.version == 2
    with pytest.raises(IntegrityError, match="versionen er 3, men den har 2 hændelser"):
        with transaction.atomic():
            Admission.objects.filter(pk=admission.pk).update(version=F("version") + 1)
            checked_now()
    with pytest.raises(IntegrityError, match="versionen er 2, men den har 3 hændelser"):
        with transaction.atomic():
            an_event(admission, sequence=3).save()
            checked_now()
    with transaction.atomic():  # an event with its version, as a service writes it: accepted at commit
        deferred()
        an_event(admission, sequence=3).save()
        Admission.objects.filter(pk=admission.pk).update(version=F("version") + 1)
        checked_now()
