"""AN_ cancellations (issue 12, STANDARDS § 3.4 rule 6): the referenced notice's facts are marked entered in
error on the timeline (R-CORRECTION) by the sending side's system actor, acknowledged `ok`, idempotent; an
AN_ naming a notice never received here is refused with a fatal-error Acknowledgement naming it."""

from __future__ import annotations

import pytest

from coordination import services
from coordination.models import Admission, Event
from tests.factories import WardFactory
from tests.medcom_fixtures import example

pytestmark = pytest.mark.django_db

STIN_B2 = "HospitalNotification_Ex_STIN_B2.json"
AN_STIN_N = "HospitalNotification_Ex_AN_STIN_N.json"


@pytest.fixture
def aeldre(herlev):
    """SHS Ældresygdomme (the department of STIN_B2), set up so that the STIN is recorded."""
    WardFactory(name="Ældresygdomme", code="502701000016000", hospital=herlev["ward"].hospital)
    return herlev


def test_a_cancelled_stin_marks_its_advis_in_error_and_holds_the_admission_for_an_administrator(aeldre):
    """Reading: R-CORRECTION never lets the admission itself be in error, so AN_STIN marks the ADVIS-IND it
    brought entered in error (by the sending side's system actor) and is held (`cancelled_stay`) for an
    administrator to decide about the admission; acknowledged `ok` all the same."""
    assert services.receive_message(example(STIN_B2)).outcome == "recorded"
    result = services.receive_message(example(AN_STIN_N))
    assert result.error == ""
    assert (result.status, result.outcome, result.reason) == ("imported", "held", "cancelled_stay")
    assert result.acknowledgement["entry"][0]["resource"]["response"]["code"] == "ok"
    admission = Admission.objects.get(citizen=aeldre["citizen"])
    marks = admission.events.filter(type="entered_in_error")
    advis = admission.events.get(type="message", data__code="ADVIS-IND")
    assert [m.data["event"] for m in marks] == [advis.sequence]
    assert {m.recorded_by_side for m in marks} == {"system"}
    assert "MedCom" in marks[0].recorded_by_organisation


def test_a_cancellation_received_twice_changes_nothing_the_second_time(aeldre):
    services.receive_message(example(STIN_B2))
    services.receive_message(example(AN_STIN_N))
    count = Event.objects.count()
    assert services.receive_message(example(AN_STIN_N)).status == "duplicate"
    assert Event.objects.count() == count


def test_a_cancellation_of_a_notice_never_received_is_refused_naming_it(herlev):
    result = services.receive_message(example(AN_STIN_N))
    assert result.status == "rejected"
    ack = result.acknowledgement["entry"][0]["resource"]["response"]
    assert ack["code"] == "fatal-error"
    assert "b9b4818e-02de-4cc4-b418-d20cbc399006" in result.error
    assert not Event.objects.exists()
