"""AN_ cancellations and RE_ corrections (issue 12, STANDARDS § 3.4 rule 6): the referenced notice's facts
are marked entered in error on the timeline (R-CORRECTION) by the sending side (the import acting for it),
acknowledged `ok`, idempotent; one naming a notice never received here is refused with a fatal-error
Acknowledgement naming it."""

from __future__ import annotations

import json

import pytest

from coordination import services
from coordination.models import Admission, Event
from tests.factories import WardFactory
from tests.medcom_fixtures import example
from tests.test_medcom_import import _slhj_of_stin_a, timeline

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
    brought entered in error (by the sending side, the import acting for it) and is held (`cancelled_stay`)
    for an administrator to decide about the admission; acknowledged `ok` all the same."""
    assert services.receive_message(example(STIN_B2)).outcome == "recorded"
    result = services.receive_message(example(AN_STIN_N))
    assert result.error == ""
    assert (result.status, result.outcome, result.reason) == ("imported", "held", "cancelled_stay")
    assert result.acknowledgement["entry"][0]["resource"]["response"]["code"] == "ok"
    admission = Admission.objects.get(citizen=aeldre["citizen"])
    marks = admission.events.filter(type="entered_in_error")
    advis = admission.events.get(type="message", data__code="ADVIS-IND")
    assert [m.data["event"] for m in marks] == [advis.sequence]
    assert {m.recorded_by_side for m in marks} == {"hospital"}
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


RE_STIN_O = "HospitalNotification_Ex_RE_STIN_O.json"


def test_a_revision_moving_the_start_of_the_stay_is_held_and_changes_nothing(aeldre):
    """Reading: R-CORRECTION gives no event a new time and never puts the admission itself in error, so
    RE_STIN_O (the admission time was wrong: 20.35 → 08.00) is held for an administrator, acknowledged
    `ok`."""
    services.receive_message(example(STIN_B2))
    count = Event.objects.count()
    result = services.receive_message(example(RE_STIN_O))
    assert (result.status, result.outcome, result.reason) == ("imported", "held", "correction")
    assert result.acknowledgement["entry"][0]["resource"]["response"]["code"] == "ok"
    assert Event.objects.count() == count


def test_a_revision_of_a_notice_never_received_is_refused_naming_it(herlev):
    result = services.receive_message(example(RE_STIN_O))
    assert result.status == "rejected"
    assert result.acknowledgement["entry"][0]["resource"]["response"]["code"] == "fatal-error"
    assert "b9b4818e-02de-4cc4-b418-d20cbc399006" in result.error and "RE_STIN" in result.error
    assert not Event.objects.exists()


def _re_slhj(end: str) -> bytes:
    """A RE_SLHJ of STIN_A's SLHJ (MedCom has no example): the real SLHJ_H with a new MessageHeader id, the
    end of the stay moved, and a Provenance `revise-discharge-inpatient-home` (role revision) naming it."""
    slhj = json.loads(_slhj_of_stin_a())
    header = slhj["entry"][0]["resource"]
    original, header["id"] = header["id"], "3c1e2a9b-0000-4000-8000-00000000a001"
    slhj["entry"][0]["fullUrl"] = slhj["entry"][0]["fullUrl"].replace(original, header["id"])
    slhj["id"] = "3c1e2a9b-0000-4000-8000-00000000b001"
    for entry in slhj["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Encounter":
            resource["period"]["end"] = end
        if resource["resourceType"] == "Provenance" and resource["target"][0]["reference"].endswith(original):
            revision = json.loads(json.dumps(entry))
    revision["resource"]["id"] = "3c1e2a9b-0000-4000-8000-00000000c001"
    revision["fullUrl"] = revision["fullUrl"].rsplit("/", 1)[0] + "/" + revision["resource"]["id"]
    revision["resource"]["target"] = [{"reference": f"MessageHeader/{header['id']}"}]
    revision["resource"]["activity"]["coding"][0]["code"] = "revise-discharge-inpatient-home"
    revision["resource"]["entity"] = [
        {"role": "revision", "what": {"reference": f"MessageHeader/{original}"}}
    ]
    slhj["entry"].append(revision)
    return json.dumps(slhj).encode()


def test_a_revision_moving_the_departure_marks_the_old_in_error_and_records_the_new_time(herlev):
    services.receive_message(example("HospitalNotification_Ex_STIN_A.json"))
    services.receive_message(_slhj_of_stin_a())
    result = services.receive_message(_re_slhj("2023-03-07T10:45:30+01:00"))
    assert (result.status, result.event, result.outcome, result.error) == (
        "imported",
        "RE_SLHJ",
        "recorded",
        "",
    )
    assert result.acknowledgement["entry"][0]["resource"]["response"]["code"] == "ok"
    admission = Admission.objects.get()
    in_error = {e.data["event"] for e in admission.events.filter(type="entered_in_error")}
    departures = admission.events.filter(type="left_ward").order_by("sequence")
    assert departures.first().sequence in in_error and departures.last().sequence not in in_error
    assert ("left_ward", "2023-03-07T10:45") in timeline(admission)
    count = Event.objects.count()
    assert services.receive_message(_re_slhj("2023-03-07T10:45:30+01:00")).status == "duplicate"
    assert Event.objects.count() == count


def test_a_cancellation_of_a_notice_only_held_here_is_refused_until_it_is_on_the_timeline(herlev):
    """Reading: a notice held for an administrator (STIN_B2: unknown department) is not on the timeline, so
    its AN_ is refused like an unknown one (the sender resends); the folder imported twice stays the same."""
    assert services.receive_message(example(STIN_B2)).reason == "unknown_ward"
    result = services.receive_message(example(AN_STIN_N))
    assert (result.status, result.acknowledgement["entry"][0]["resource"]["response"]["code"]) == (
        "rejected",
        "fatal-error",
    )
    assert not Event.objects.exists()
