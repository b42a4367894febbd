"""MedCom messages into the board: every example file into the state MedCom's README describes, duplicates on
MessageHeader.id, the municipality's filter, unknown departments held, arrival order irrelevant, and
`import_medcom` exactly as CONTRACTS.md says."""

from __future__ import annotations

import json
from datetime import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coordination import services
from coordination.medcom import read_message
from coordination.models import (
    AccessLog,
    Admission,
    EpisodeOfCareIdentifier,
    Event,
    MedcomMessage,
    MedcomUnit,
    Obligation,
)
from tests.factories import WardFactory, municipality
from tests.medcom_fixtures import CPR, DATA, example

pytestmark = pytest.mark.django_db


def receive(name: str):
    return services.receive_message(example(name))


def timeline(admission: Admission) -> list[tuple[str, str]]:
    """(type, Copenhagen time) of the admission's events in time order; message events as their code."""
    rows = []
    for event in admission.events.order_by("occurred_at", "sequence"):
        kind = event.data["code"] if event.type == "message" else event.type
        rows.append(
            (
                kind,
                event.occurred_at.astimezone(
                    datetime.fromisoformat("2023-03-01T00:00+01:00").tzinfo
                ).isoformat()[:16],
            )
        )
    return rows


def test_stin_becomes_an_admission_with_the_advis_and_the_ilr_request(herlev):
    result = receive("HospitalNotification_Ex_STIN_A.json")
    assert (result.status, result.event, result.outcome) == ("imported", "STIN", "recorded")
    admission = Admission.objects.get(citizen=herlev["citizen"])
    assert admission.ward == herlev["ward"]
    assert timeline(admission) == [("admitted", "2023-03-01T12:00"), ("ADVIS-IND", "2023-03-01T12:00")]
    advis = admission.events.get(type="message")
    assert advis.data["content"]["medcom"]["report_of_admission"] is True
    # Where the fact came from: the sender and its SOR code; the message is linked to its events.
    assert (
        "Hjerteafdelingen" in advis.recorded_by_organisation
        and "265161000016000" in advis.recorded_by_organisation
    )
    assert MedcomMessage.objects.get(message_id=result.message_id).events.count() == 2
    assert admission in Admission.objects.active()
    # R-ILR/R-MILR now expect the municipality's report.
    assert Obligation.objects.filter(admission=admission, owner="municipality").exists()


def test_the_xml_stin_is_the_same_message_a_duplicate_acknowledged_again_not_stored_twice(herlev):
    receive("HospitalNotification_Ex_STIN_A.json")
    events = Event.objects.count()
    again = receive("Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.xml")
    assert again.status == "duplicate"
    assert again.acknowledgement["entry"][0]["resource"]["response"]["code"] == "ok"
    assert Event.objects.count() == events and MedcomMessage.objects.count() == 1


def test_staa_is_an_acute_ambulant_admission_with_a_report_requested(herlev):
    receive("HospitalNotification_Ex_STAA_D.json")
    admission = Admission.objects.get()
    assert admission.events.get(type="admitted").data["expected_stay"] == "under_48h"
    assert admission.events.get(type="message").data["content"]["medcom"]["report_of_admission"] is True


def test_flow_e_the_stin_after_the_staa_joins_the_same_stay_without_a_second_advis(herlev):
    receive("HospitalNotification_Ex_STAA_E.json")
    result = receive("HospitalNotification_Ex_STIN_E.json")
    assert result.outcome == "recorded"
    admission = Admission.objects.get()
    assert timeline(admission) == [("admitted", "2023-02-28T10:00"), ("ADVIS-IND", "2023-02-28T10:00")]
    assert MedcomMessage.objects.filter(admission=admission).count() == 2


def test_flow_g_leave_starts_and_ends_on_the_timeline(herlev):
    receive("HospitalNotification_Ex_STOR_G.json")
    receive("HospitalNotification_Ex_SLOR_G.json")
    admission = Admission.objects.get()
    assert timeline(admission) == [
        ("admitted", "2023-03-01T12:00"),
        ("leave_started", "2023-03-03T14:00"),
        ("leave_ended", "2023-03-05T15:30"),
    ]
    assert admission.left_at is None


@pytest.mark.parametrize(
    "name, left",
    [
        ("HospitalNotification_Ex_SLHJ_H.json", "2023-03-07T09:45"),
        ("HospitalNotification_Ex_MORS_K.json", "2023-03-04T07:00"),
    ],
)
def test_slhj_and_mors_close_the_stay_with_departure_and_discharge_registration(herlev, name, left):
    receive(name)
    admission = Admission.objects.get()
    assert timeline(admission)[-2:] == [("left_ward", left), ("discharge_registered", left)]
    assert admission not in Admission.objects.active()  # the ADVIS-UD follows from the registration


@pytest.mark.parametrize(
    "name", ["HospitalNotification_Ex_AN_STIN_N.json", "HospitalNotification_Ex_RE_STIN_O.json"]
)
def test_corrections_and_cancellations_of_a_notice_never_received_are_refused(herlev, name):
    # Both refer to STIN_B2 (b9b4818e-…), not received here (tests/test_medcom_cancellation.py applies them).
    result = receive(name)
    assert (result.status, result.acknowledgement["entry"][0]["resource"]["response"]["code"]) == (
        "rejected",
        "fatal-error",
    )
    assert not Event.objects.exists()


def test_a_department_unknown_by_its_sor_code_is_held_never_guessed(herlev):
    # STIN_B2 comes from SHS Ældresygdomme (SOR 502701000016000), a department nobody set up here.
    result = receive("HospitalNotification_Ex_STIN_B2.json")
    assert (result.outcome, result.reason) == ("held", "unknown_ward")
    assert not Admission.objects.exists()
    assert MedcomMessage.objects.get().reason_detail == "502701000016000"


def test_both_episode_identifiers_key_the_stay(herlev):
    receive("HospitalNotification_Ex_TEK_ID_2.json")
    assert EpisodeOfCareIdentifier.objects.filter(admission=Admission.objects.get()).count() == 2


def test_a_citizen_the_municipality_does_not_serve_is_filtered_out_keeping_no_health_data(herlev):
    herlev["citizen"].municipality = municipality("0101")
    herlev["citizen"].save()
    result = receive("HospitalNotification_Ex_STIN_A.json")
    assert (result.status, result.outcome) == ("imported", "filtered")
    row = MedcomMessage.objects.get()
    assert (row.body, row.citizen, row.episode_of_care) == ("", None, [])
    assert not Admission.objects.exists()
    assert receive("HospitalNotification_Ex_STIN_A.json").status == "duplicate"


def test_a_message_to_a_receiver_unknown_here_is_refused_with_a_negative_acknowledgement(herlev):
    MedcomUnit.objects.all().delete()
    result = receive("HospitalNotification_Ex_STIN_A.json")
    assert result.status == "rejected" and "953741000016009" in result.error
    response = result.acknowledgement["entry"][0]["resource"]["response"]
    assert response["code"] == "fatal-error"
    assert not MedcomMessage.objects.exists()


def test_the_faulty_example_is_rejected_and_nothing_is_written(herlev):
    result = receive("HospitalNotification_Ex_TEK_FCC.json")
    assert result.status == "rejected"
    assert "MessageHeader.eventCoding" in result.error and "Encounter.class" in result.error
    outcome = next(
        e["resource"]
        for e in result.acknowledgement["entry"]
        if e["resource"]["resourceType"] == "OperationOutcome"
    )
    assert "Encounter.class" in outcome["issue"][0]["diagnostics"]
    assert result.message_id == "c4888e5e-ec5c-4b16-a875-7b287e63e214"
    assert not MedcomMessage.objects.exists() and not Event.objects.exists()


def test_every_import_is_in_the_access_log(herlev):
    receive("HospitalNotification_Ex_STIN_A.json")
    entry = AccessLog.objects.get()
    assert entry.citizen == herlev["citizen"] and entry.action == "change" and "STIN" in entry.note


# --- Arrival order -------------------------------------------------------------------------------------


def _slhj_of_stin_a() -> bytes:
    """SLHJ_H as it would come for STIN_A's stay: the same episode-of-care identifier (the two example files
    belong to different test stays)."""
    obj = json.loads(example("HospitalNotification_Ex_SLHJ_H.json"))
    stin = read_message(example("HospitalNotification_Ex_STIN_A.json"))
    encounter = next(e["resource"] for e in obj["entry"] if e["resource"]["resourceType"] == "Encounter")
    system, value = stin.stay.episode_of_care[0]
    encounter["episodeOfCare"] = [{"identifier": {"system": system, "value": value}}]
    return json.dumps(obj).encode()


def board(citizen) -> list[tuple]:
    """What the board shows of the citizen's stays: derived state and the timeline."""
    return [
        (
            a.ward_id,
            a.admitted_at,
            a.left_at,
            a.discharge_registered_at,
            sorted(timeline(a)),
            sorted(a.obligations.values_list("rule", "owner", "status", "due_at", "met_at")),
        )
        for a in Admission.objects.filter(citizen=citizen).order_by("admitted_at")
    ]


def test_a_stin_arriving_after_the_slhj_of_its_stay_leaves_the_citizen_discharged(herlev):
    services.receive_message(_slhj_of_stin_a())
    receive("HospitalNotification_Ex_STIN_A.json")
    admission = Admission.objects.get()
    assert admission not in Admission.objects.active()
    assert [k for k, _ in timeline(admission)] == [
        "admitted",
        "ADVIS-IND",
        "left_ward",
        "discharge_registered",
    ]


@pytest.mark.parametrize(
    "bodies",
    [
        [lambda: example("HospitalNotification_Ex_STIN_A.json"), _slhj_of_stin_a],
        [
            lambda: example("HospitalNotification_Ex_STOR_G.json"),
            lambda: example("HospitalNotification_Ex_SLOR_G.json"),
        ],
    ],
    ids=["stin-slhj", "stor-slor"],
)
def test_a_stay_in_reverse_order_gives_the_same_board(herlev, bodies, django_db_blocker):
    from django.db import transaction

    results = []
    for order in (bodies, list(reversed(bodies))):
        with transaction.atomic():
            for body in order:
                assert services.receive_message(body()).outcome == "recorded"
            results.append(board(herlev["citizen"]))
            transaction.set_rollback(True)
    assert results[0] == results[1]


# --- The whole folder, and the command ------------------------------------------------------------------


def _state():
    return (
        list(Event.objects.order_by("pk").values_list("pk", "type", "occurred_at")),
        list(MedcomMessage.objects.order_by("pk").values_list("message_id", "status")),
        list(Admission.objects.order_by("pk").values_list("pk", "left_at", "discharge_registered_at")),
        list(Obligation.objects.order_by("pk").values_list("key", "status")),
        AccessLog.objects.count(),
    )


def run(*args) -> tuple[list[dict], str, int]:
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command("import_medcom", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue(), code


def test_importing_the_whole_folder_twice_changes_nothing_the_second_time(herlev, tmp_path):
    files = [str(p) for p in sorted(DATA.iterdir())]
    first, _, code = run("--ack-dir", str(tmp_path), *files)
    assert code == 1  # the faulty ones are rejected
    # One acknowledgement per file, except for the Acknowledgement received (an ack is not acknowledged).
    assert len(first) == 27 and len(list(tmp_path.iterdir())) == 26
    state = _state()
    second, _, code = run(*files)
    assert code == 1
    assert state == _state()
    # Everything is a duplicate or rejected again, but the Acknowledgement received: read, stores nothing.
    assert {line["status"] for line in second if line["event"] != "acknowledgement-message"} == {
        "duplicate",
        "rejected",
    }
    assert [line["file"] for line in second if line["status"] == "rejected"] == [
        line["file"] for line in first if line["status"] == "rejected"
    ]


def test_the_command_prints_one_json_line_per_file_and_writes_the_acknowledgements(herlev, tmp_path):
    stin = str(DATA / "HospitalNotification_Ex_STIN_A.json")
    faulty = str(DATA / "HospitalNotification_Ex_TEK_FCC.json")
    lines, err, code = run("--ack-dir", str(tmp_path), stin, faulty, stin)
    assert code == 1
    assert [(line["status"], line["event"]) for line in lines] == [
        ("imported", "STIN"),
        ("rejected", ""),
        ("duplicate", "STIN"),
    ]
    assert set(lines[0]) >= {"file", "status", "message_id", "event", "error"}
    assert lines[0]["message_id"] == "b9b4818e-02de-4cc4-b418-d20cbc7b5404"
    assert "eventCoding" in lines[1]["error"]
    acks = sorted(tmp_path.iterdir())
    codes = [json.loads(p.read_text())["entry"][0]["resource"]["response"]["code"] for p in acks]
    assert codes == ["ok", "fatal-error", "ok"]
    assert "afvist 1" in err


def test_the_command_exits_0_when_nothing_was_rejected(herlev):
    _, _, code = run(str(DATA / "HospitalNotification_Ex_STIN_A.json"))
    assert code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["/no/such/file.json"],
        ["--ack-dir", "/no/such/dir", str(DATA / "HospitalNotification_Ex_STIN_A.json")],
    ],
)
def test_unusable_input_exits_2_and_imports_nothing(herlev, args):
    with pytest.raises(CommandError) as error:
        call_command("import_medcom", *args, stdout=StringIO(), stderr=StringIO())
    assert error.value.returncode == 2
    assert not MedcomMessage.objects.exists()


# --- CareCommunication ----------------------------------------------------------------------------------


@pytest.fixture
def aabenraa(db):
    """Sundhedsplejen, Aabenraa kommune (SOR 330461000016004) receives for Aabenraa; Bruno lives there and
    is admitted at Klinik for Ældresygdomme, AUH (SOR 441211000016000)."""
    from coordination.models import Citizen

    ward = WardFactory(name="Klinik for Ældresygdomme", code="441211000016000", hospital__name="AUH Skejby")
    MedcomUnit.objects.create(
        sor_code="330461000016004", name="Sundhedsplejen", municipality=municipality("0580")
    )
    citizen = Citizen.objects.create(cpr=CPR, name="Bruno Test Elmer", municipality=municipality("0580"))
    admission = services.admit_citizen(
        citizen,
        ward,
        at=datetime.fromisoformat("2024-09-01T10:00+02:00"),
        expected_stay="over_48h",
        actor=services.Actor.system(),
    )
    return admission


def test_an_incoming_care_communication_becomes_a_km_on_the_citizens_admission(aabenraa):
    result = receive("Bundle-S-A-new-1932711d-49d0-4ad7-b1ee-61de711892d2.json")
    assert (result.status, result.outcome) == ("imported", "recorded")
    km = aabenraa.events.get(type="message", data__code="KM")
    assert km.data["subject"] == "Kritisk tilstand" and km.data["from"] == "hospital"
    assert km.data["content"]["medcom"]["activity"] == "new-message"
    assert km.data["content"]["medcom"]["category"] == "acute-ambulant"
