"""The MedCom reader (coordination.medcom, pure): MedCom's example messages in JSON and XML, MedCom's own
rules on top of fhir.resources' R4B models, and the faulty examples refused with what is missing."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from fhir.resources.R4B.bundle import Bundle

from coordination.medcom import MedcomError, read_message
from coordination.medcom.acknowledgement import build_acknowledgement
from tests.medcom_fixtures import DATA, example, same_as_shared

FHIR_FILES = sorted(
    p
    for p in DATA.iterdir()
    if p.name
    not in {
        "Flow1-XDIS91_Ex_to_FHIR.xml",
        "Flow2-XCTL03_Ex_from_FHIR_XDIS91.xml",
        "HospitalNotification_Ex_TEK_FCC.json",
        "Bundle-R-Tek-O-invalid-3d1149cd-d3e3-421a-ae31-4860decb4272.json",
    }
)


def test_the_copied_examples_are_medcoms_files_unchanged():
    assert len(list(DATA.iterdir())) == 27
    assert all(same_as_shared(p) for p in DATA.iterdir())


@pytest.mark.parametrize("path", FHIR_FILES, ids=lambda p: p.stem[:40])
def test_every_fhir_example_is_read(path):
    message = read_message(path.read_bytes())
    assert message.message_id and message.sender.sor and message.receiver.sor
    assert message.sender.ean and message.receiver.ean  # both GLN systems of the caveats


@pytest.mark.parametrize(
    "name, event, start",
    [
        ("HospitalNotification_Ex_STIN_A.json", "STIN", "2023-03-01T12:00:00+01:00"),
        ("HospitalNotification_Ex_STAA_D.json", "STAA", "2023-02-28T10:00:04+01:00"),
        ("HospitalNotification_Ex_STOR_G.json", "STOR", "2023-03-03T14:00:10+01:00"),
        ("HospitalNotification_Ex_SLOR_G.json", "SLOR", "2023-03-05T15:30:00+01:00"),
        ("HospitalNotification_Ex_SLHJ_H.json", "SLHJ", "2023-03-07T09:45:30+01:00"),
        ("HospitalNotification_Ex_MORS_K.json", "MORS", "2023-03-04T07:00:00+01:00"),
        ("HospitalNotification_Ex_AN_STIN_N.json", "AN_STIN", "2023-03-01T13:00:00+01:00"),
        ("HospitalNotification_Ex_RE_STIN_O.json", "RE_STIN", "2023-03-01T08:00:00+01:00"),
    ],
)
def test_the_use_case_code_is_composed_of_activity_status_class_and_death(name, event, start):
    # STANDARDS § 3.1: no field carries the code; MORS keeps the current activity (admit-emergency here).
    message = read_message(example(name))
    assert message.event == event
    assert message.encounter_time == datetime.fromisoformat(start)
    assert message.patient.cpr == "2509479989"  # fails modulus 11, accepted


def test_the_xml_stin_is_the_same_message_as_the_json_one():
    xml = read_message(example("Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.xml"))
    json_ = read_message(example("HospitalNotification_Ex_STIN_A.json"))
    assert (xml.message_id, xml.event, xml.stay, xml.report_of_admission) == (
        json_.message_id,
        json_.event,
        json_.stay,
        json_.report_of_admission,
    )
    assert xml.report_of_admission is True  # reportOfAdmissionFlag: the ILR is requested


def test_a_stay_with_two_episode_of_care_identifiers_keeps_both():
    message = read_message(example("HospitalNotification_Ex_TEK_ID_2.json"))
    systems = {system for system, _ in message.stay.episode_of_care}
    assert len(message.stay.episode_of_care) == 2
    assert "https://www.esundhed.dk/Registre/Landspatientregisteret" in systems


def test_corrections_and_cancellations_name_the_notice_they_refer_to():
    message = read_message(example("HospitalNotification_Ex_AN_STIN_N.json"))
    assert message.referenced_message_id == "b9b4818e-02de-4cc4-b418-d20cbc399006"
    assert message.current.activity == "cancel-admit-inpatient"


def test_the_deliberately_faulty_notification_is_refused_naming_both_missing_elements():
    with pytest.raises(MedcomError) as error:
        read_message(example("HospitalNotification_Ex_TEK_FCC.json"))
    assert "MessageHeader.eventCoding mangler" in str(error.value)
    assert "Encounter.class mangler" in str(error.value)


@pytest.mark.parametrize("name", ["Flow1-XDIS91_Ex_to_FHIR.xml", "Flow2-XCTL03_Ex_from_FHIR_XDIS91.xml"])
def test_oioxml_letters_are_refused_as_not_fhir(name):
    with pytest.raises(MedcomError, match="OIOXML"):
        read_message(example(name))


def test_a_km_may_carry_a_replacement_cpr_and_a_hospital_notification_may_not():
    km = read_message(example("Bundle-S-C-new-aca3d03a-febd-4b88-ad53-ac1bc36da615.json"))
    assert (km.patient.cpr, km.patient.replacement_cpr) == (None, "0703921VJ5")
    obj = json.loads(example("HospitalNotification_Ex_STIN_A.json"))
    patient = next(e["resource"] for e in obj["entry"] if e["resource"]["resourceType"] == "Patient")
    patient["identifier"] = [{"system": "urn:oid:1.2.208.176.1.6.1.1", "value": "0703921VJ5"}]
    with pytest.raises(MedcomError, match="erstatnings-CPR er ikke tilladt"):
        read_message(json.dumps(obj))


def test_the_km_reader_keeps_thread_topic_segments_and_attachments():
    reply = read_message(example("Bundle-R-B-reply-91b4b79a-520f-48cb-bb9a-9c3e27301968.xml"))
    communication = reply.communication
    assert reply.current.activity == "reply-message"
    assert reply.referenced_message_id  # the earlier new-message it answers
    assert communication.topic == "Forespørgsel på seneste resultater"
    attachments = [s for s in communication.segments if s.text is None]
    assert attachments and attachments[0].content_type == "application/pdf" and attachments[0].data


def _without(name: str, mutate) -> str:
    obj = json.loads(example(name))
    mutate(obj)
    return json.dumps(obj)


def _resource(obj, kind):
    return next(e["resource"] for e in obj["entry"] if e["resource"]["resourceType"] == kind)


@pytest.mark.parametrize(
    "mutate, missing",
    [
        (lambda o: _resource(o, "Organization")["identifier"].pop(1), "mangler SOR-kode"),
        (lambda o: _resource(o, "Organization")["identifier"].pop(0), "mangler EAN"),
        (lambda o: _resource(o, "Patient").pop("identifier"), "CPR-nummer mangler"),
        (lambda o: _resource(o, "Encounter").pop("episodeOfCare"), "episodeOfCare"),
        (lambda o: o["entry"].pop(), "Provenance for beskeden mangler"),
        (lambda o: o.update(type="collection"), "Bundle.type"),
    ],
)
def test_a_notification_missing_what_medcom_requires_is_refused_by_name(mutate, missing):
    with pytest.raises(MedcomError, match=missing):
        read_message(_without("HospitalNotification_Ex_STIN_A.json", mutate))


def test_the_gln_system_of_medcoms_mapping_page_is_accepted_too():
    def to_oid(obj):
        for entry in obj["entry"]:
            for identifier in entry["resource"].get("identifier", []):
                if identifier.get("system") == "https://www.gs1.org/gln":
                    identifier["system"] = "urn:oid:1.3.88"

    assert read_message(_without("HospitalNotification_Ex_STIN_A.json", to_oid)).sender.ean == "5790000209354"


@pytest.mark.parametrize(
    "body, says",
    [
        (b"", "tom"),
        (b"{", "FHIR"),
        (b"[1, 2]", "hverken"),
        (b'{"resourceType": "Patient"}', "Bundle"),
        ('{"resourceType": "Bundle"}'.encode("utf-16"), "UTF-8"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Bundle xmlns="http://hl7.org/fhir"/>',
            "DOCTYPE",
        ),
    ],
)
def test_input_that_is_no_message_is_refused_with_a_line(body, says):
    with pytest.raises(MedcomError, match=says):
        read_message(body)


def test_the_deliberately_invalid_r_tek_o_is_refused_as_medcom_meant_it():
    # MedCom's source marks the only text segment "To be removed" (`// OBS!!`): the receive test sends the
    # message without it, and the receiver must answer fatal-error. The placeholder counts as no text.
    name = "Bundle-R-Tek-O-invalid-3d1149cd-d3e3-421a-ae31-4860decb4272.json"
    with pytest.raises(MedcomError, match="tekstafsnit"):
        read_message(example(name))
    with pytest.raises(MedcomError, match="tekstafsnit"):
        read_message(_without(name, lambda o: _resource(o, "Communication").pop("payload")))


@pytest.mark.parametrize("error", [None, "Encounter.class mangler"])
def test_an_acknowledgement_is_a_valid_fhir_message_that_our_reader_reads_back(error):
    original = read_message(example("HospitalNotification_Ex_STIN_A.json"))
    ack = build_acknowledgement(
        ids=[f"id-{n}" for n in range(6)],
        at=datetime(2026, 3, 1, 12, tzinfo=UTC),
        acknowledged_message_id=original.message_id,
        original_sender=original.sender,
        original_receiver=original.receiver,
        error=error,
    )
    Bundle.model_validate(ack)
    back = read_message(json.dumps(ack))
    assert (back.response_to, back.response_code) == (original.message_id, "fatal-error" if error else "ok")
    assert back.sender == original.receiver and back.receiver == original.sender
