"""Every file of MedCom's examples (`../shared/medcom/examples/`, copied to tests/data/medcom) into the state
its README describes, or rejected where it says the file is faulty, asserting the resulting timeline; the
whole folder imported twice changes nothing the second time; the HospitalNotification files in reverse
order give the same board as in order (issue 12's "Done when")."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import transaction

from coordination import services
from coordination.models import Admission, Citizen, Event, MedcomMessage, MedcomUnit, Obligation
from tests.factories import municipality
from tests.medcom_fixtures import CPR, DATA, example
from tests.test_medcom_import import _slhj_of_stin_a, board, run, timeline

pytestmark = pytest.mark.django_db

# Every receiver the CareCommunication examples name, set up as units of Herlev so that each message has a
# receiver here (in real use each is its own municipality's or practice's; the data are MedCom's).
CC_RECEIVERS = {
    "330461000016004": "Sundhedsplejen, Aabenraa kommune",
    "382871000016004": "Arden Lægehus",
    "1017421000016003": "2100 Lægehuset Østerbro",
    "325251000016005": "MedCom XDIS91",
    "328051000016008": "Social og Sundhed Odense Kommune",
}
OTHER_CPR = "2512489996"  # the XDIS91 example's citizen (Flow1-CareCommunication)


@pytest.fixture
def world(herlev):
    """Herlev (medcom_fixtures.herlev) and a receiver for every CareCommunication; Bruno and the XDIS91
    example's citizen are admitted at the heart department since 2020, so a KM has an admission to go on."""
    for sor, name in CC_RECEIVERS.items():
        MedcomUnit.objects.create(sor_code=sor, name=name, municipality=municipality("0163"))
    other = Citizen.objects.create(cpr=OTHER_CPR, name="Test Borger", municipality=municipality("0163"))
    at = datetime.fromisoformat("2020-01-01T10:00+01:00")
    admissions = {
        cpr: services.admit_citizen(
            citizen, herlev["ward"], at=at, expected_stay="over_48h", actor=services.Actor.system()
        )
        for cpr, citizen in ((CPR, herlev["citizen"]), (OTHER_CPR, other))
    }
    return {**herlev, "admissions": admissions}


def km_of(admission) -> Event:
    return admission.events.get(type="message", data__code="KM")


def medcom(event) -> dict:
    return event.data["content"]["medcom"]


# --- HospitalNotification -----------------------------------------------------------------------------

STIN_A = [("admitted", "2023-03-01T12:00"), ("ADVIS-IND", "2023-03-01T12:00")]
HN_STATES = [
    ("HospitalNotification_Ex_STIN_A.json", "recorded", "", STIN_A),
    ("Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.xml", "recorded", "", STIN_A),
    (
        "HospitalNotification_Ex_STAA_D.json",
        "recorded",
        "",
        [("admitted", "2023-02-28T10:00"), ("ADVIS-IND", "2023-02-28T10:00")],
    ),
    (
        "HospitalNotification_Ex_STAA_E.json",
        "recorded",
        "",
        [("admitted", "2023-02-28T10:00"), ("ADVIS-IND", "2023-02-28T10:00")],
    ),
    # Step 2 of flow E alone: it revises the STAA the stay began with, and waits for it (see below).
    ("HospitalNotification_Ex_STIN_E.json", "held", "earlier_notice", None),
    (
        "HospitalNotification_Ex_STOR_G.json",
        "recorded",
        "",
        [("admitted", "2023-03-01T12:00"), ("leave_started", "2023-03-03T14:00")],
    ),
    (
        "HospitalNotification_Ex_SLOR_G.json",
        "recorded",
        "",
        [
            ("admitted", "2023-03-01T12:00"),
            ("leave_started", "2023-03-03T14:00"),
            ("leave_ended", "2023-03-05T15:30"),
        ],
    ),
    (
        "HospitalNotification_Ex_SLHJ_H.json",
        "recorded",
        "",
        [
            ("admitted", "2023-03-01T12:00"),
            ("left_ward", "2023-03-07T09:45"),
            ("discharge_registered", "2023-03-07T09:45"),
        ],
    ),
    (
        "HospitalNotification_Ex_MORS_K.json",
        "recorded",
        "",
        [
            ("admitted", "2023-03-01T10:00"),
            ("left_ward", "2023-03-04T07:00"),
            ("discharge_registered", "2023-03-04T07:00"),
        ],
    ),
    # Corrections and cancellations wait for the timeline's corrections (another part of issue 12).
    # AN_STIN_N cancels STIN_B2, never received here: refused (tests/test_medcom_cancellation.py).
    # RE_STIN_O revises STIN_B2 too: refused alike (tests/test_medcom_cancellation.py).
    # From SHS Ældresygdomme, a department nobody set up here: held, never guessed.
    ("HospitalNotification_Ex_STIN_B2.json", "held", "unknown_ward", None),
    (
        "HospitalNotification_Ex_TEK_ID_2.json",
        "recorded",
        "",
        [("admitted", "2023-03-01T12:00"), ("ADVIS-IND", "2023-03-01T12:00")],
    ),
]


@pytest.mark.parametrize("name, outcome, reason, events", HN_STATES, ids=lambda v: str(v)[:32])
def test_every_hospital_notification_ends_in_the_state_its_readme_describes(
    herlev, name, outcome, reason, events
):
    result = services.receive_message(example(name))
    assert (result.status, result.outcome, result.reason) == ("imported", outcome, reason)
    assert result.acknowledgement["entry"][0]["resource"]["response"]["code"] == "ok"
    admission = Admission.objects.filter(citizen=herlev["citizen"]).first()
    if events is None:
        assert admission is None and not Event.objects.exists()
        return
    assert timeline(admission)[: len(events)] == events and len(timeline(admission)) == len(events)
    closed = events[-1][0] == "discharge_registered"
    assert (admission in Admission.objects.active()) is not closed
    if events[-1][0] == "ADVIS-IND":
        # STIN/STAA ask for the indlæggelsesrapport (reportOfAdmissionFlag): R-ILR/R-MILR expect it.
        advis = admission.events.get(type="message")
        assert advis.data["content"]["medcom"]["report_of_admission"] is True
        assert Obligation.objects.filter(admission=admission, owner="municipality").exists()


# --- CareCommunication ------------------------------------------------------------------------------------

CC_STATES = {
    "Bundle-S-A-new-1932711d-49d0-4ad7-b1ee-61de711892d2.json": (
        "Kritisk tilstand",
        "acute-ambulant",
        "new-message",
        "hospital",
        1,
        [],
    ),
    "Bundle-S-B-new-720f68cf-21bf-4c40-a90c-a113e00e88a8.xml": (
        "regarding-referral",
        "regarding-referral",
        "new-message",
        "municipality",
        1,
        [("madpyramiden", "image/png")],
    ),
    "Bundle-S-E-forward-77c771ca-05d6-4efb-9a74-2fc513787f3a.json": (
        "Afgået ved døden",
        "decease",
        "forward-message",
        "hospital",
        2,
        [],
    ),
    "Bundle-S-Tek-B-new-episodeOfCare-98eb081e-a66f-41a2-b2f7-c455782563b0.json": (
        "Resultater fra hjemmesygeplejen",
        "examination-results",
        "new-message",
        "hospital",
        1,
        [],
    ),
    "Bundle-S-Tek-CPR-1-17189afd-5946-4d9e-8dd7-3de5eaf1a5d4.json": (
        "examination-results",
        "examination-results",
        "new-message",
        "hospital",
        1,
        [],
    ),
    "Bundle-R-B-reply-91b4b79a-520f-48cb-bb9a-9c3e27301968.xml": (
        "Forespørgsel på seneste resultater",
        "examination-results",
        "reply-message",
        "hospital",
        2,
        [("Blodprøveresultater", "application/pdf")],
    ),
    "Bundle-R-C-forward-8352b67a-23b2-44c5-b43a-725270a90722.json": (
        "Resultater fra hjemmesygeplejen",
        "examination-results",
        "forward-message",
        "hospital",
        2,
        [],
    ),
    "Flow1-CareCommunication_Ex_from_OIOXML.xml": (
        "Forundersøgelse",
        "other",
        "new-message",
        "hospital",
        1,
        [("vektor_grafik", "application/pdf")],
    ),
}


@pytest.mark.parametrize("name", sorted(CC_STATES), ids=lambda v: v[:32])
def test_every_care_communication_becomes_a_km_with_topic_category_thread_and_attachments(world, name):
    subject, category, activity, sender, texts, attachments = CC_STATES[name]
    result = services.receive_message(example(name))
    assert (result.status, result.outcome) == ("imported", "recorded")
    row = MedcomMessage.objects.get(message_id=result.message_id)
    km = km_of(row.admission)
    assert row.admission == world["admissions"][OTHER_CPR if name.startswith("Flow1") else CPR]
    assert (km.data["subject"], km.data["from"]) == (subject, sender)
    assert (medcom(km)["category"], medcom(km)["activity"]) == (category, activity)
    assert len(medcom(km)["segments"]) == texts
    assert [(a["title"], a["content_type"]) for a in medcom(km)["attachments"]] == attachments
    # A reply or forward names the message it answers (Provenance entity role revision).
    assert bool(medcom(km)["previous"]) is (activity != "new-message")
    assert list(row.events.all()) == [km]


def test_a_km_about_a_citizen_with_only_a_replacement_cpr_is_filtered_out(world):
    # S-C: only an X-eCPR (0703921VJ5); nobody here has it, so the municipality does not serve the citizen.
    result = services.receive_message(example("Bundle-S-C-new-aca3d03a-febd-4b88-ad53-ac1bc36da615.json"))
    assert (result.status, result.outcome, result.reason) == ("imported", "filtered", "not_served")
    assert not Event.objects.filter(type="message").exists()


def test_the_episode_of_care_a_km_names_is_kept_with_it(world):
    name = "Bundle-S-Tek-B-new-episodeOfCare-98eb081e-a66f-41a2-b2f7-c455782563b0.json"
    result = services.receive_message(example(name))
    row = MedcomMessage.objects.get(message_id=result.message_id)
    assert row.episode_of_care == [
        ["https://sor2.sum.dsdn.dk/#id=328081000016004", "urn:uuid:39e3e169-9ece-4ba4-bd24-2e0fbeebc333"]
    ]


@pytest.mark.parametrize(
    "name, says",
    [
        ("HospitalNotification_Ex_TEK_FCC.json", "Encounter.class"),
        ("Bundle-R-Tek-O-invalid-3d1149cd-d3e3-421a-ae31-4860decb4272.json", "tekstafsnit"),
        ("Flow1-XDIS91_Ex_to_FHIR.xml", "OIOXML"),
        ("Flow2-XCTL03_Ex_from_FHIR_XDIS91.xml", "OIOXML"),
    ],
)
def test_the_faulty_and_the_oioxml_files_are_rejected_naming_what_is_wrong(world, name, says):
    events = Event.objects.count()
    result = services.receive_message(example(name))
    assert result.status == "rejected" and says in result.error
    assert result.acknowledgement["entry"][0]["resource"]["response"]["code"] == "fatal-error"
    assert Event.objects.count() == events and not MedcomMessage.objects.exists()


def test_the_acknowledgement_received_is_read_and_stores_nothing(world):
    result = services.receive_message(example("Flow2-Acknowledgement_Ex_to_OIOXML.xml"))
    assert (result.status, result.outcome, result.acknowledgement) == ("imported", "acknowledgement", None)
    assert not MedcomMessage.objects.exists()


# --- The whole folder ----------------------------------------------------------------------------------


def _everything():
    return (
        list(Event.objects.order_by("pk").values_list("pk", "admission_id", "type", "occurred_at", "data")),
        list(
            MedcomMessage.objects.order_by("pk").values_list("message_id", "status", "reason", "admission_id")
        ),
        list(
            Admission.objects.order_by("pk").values_list(
                "pk", "left_at", "discharge_registered_at", "version"
            )
        ),
        list(Obligation.objects.order_by("pk").values_list("key", "status", "due_at")),
    )


def test_the_whole_folder_twice_with_every_receiver_changes_nothing_the_second_time(world, tmp_path):
    files = [str(p) for p in sorted(DATA.iterdir())]
    first, _, _ = run(*files)
    statuses = {line["file"].rsplit("/", 1)[-1]: line["status"] for line in first}
    assert [f for f, s in statuses.items() if s == "rejected"] == [
        "Bundle-R-Tek-O-invalid-3d1149cd-d3e3-421a-ae31-4860decb4272.json",
        "Flow1-XDIS91_Ex_to_FHIR.xml",
        "Flow2-XCTL03_Ex_from_FHIR_XDIS91.xml",
        # Both refer to STIN_B2 (b9b4818e-…), held (unknown ward), not on the timeline: refused, naming it.
        "HospitalNotification_Ex_AN_STIN_N.json",
        "HospitalNotification_Ex_RE_STIN_O.json",
        "HospitalNotification_Ex_TEK_FCC.json",
    ]
    assert statuses["HospitalNotification_Ex_STAA_E.json"] == "duplicate"  # STAA_D's MessageHeader.id
    state = _everything()
    kms = Event.objects.filter(type="message", data__code="KM").count()
    assert kms == len(CC_STATES)
    second, _, _ = run(*files)
    assert _everything() == state
    assert {line["status"] for line in second} <= {"duplicate", "rejected", "imported"}
    assert [line["status"] for line in second if line["status"] == "imported"] == ["imported"]  # the ack


# MedCom's test flows (testexamples.md: one letter, one stay). The folder as a whole is ten overlapping test
# stays of one test citizen, two of them (STAA_D, STAA_E) under one MessageHeader.id: whichever comes first
# is the message, the other its duplicate, so only each flow on its own can give the same board both ways.
FLOWS = {
    "A-H": [lambda: example("HospitalNotification_Ex_STIN_A.json"), _slhj_of_stin_a],
    "E": [
        lambda: example("HospitalNotification_Ex_STAA_E.json"),
        lambda: example("HospitalNotification_Ex_STIN_E.json"),
    ],
    "G": [
        lambda: example("HospitalNotification_Ex_STOR_G.json"),
        lambda: example("HospitalNotification_Ex_SLOR_G.json"),
    ],
}


@pytest.mark.parametrize("flow", sorted(FLOWS))
def test_the_hospital_notification_files_in_reverse_order_give_the_same_board(herlev, flow):
    boards = []
    for bodies in (FLOWS[flow], list(reversed(FLOWS[flow]))):
        with transaction.atomic():
            for body in bodies:
                assert services.receive_message(body()).status == "imported"
            boards.append(
                (
                    board(herlev["citizen"]),
                    sorted(MedcomMessage.objects.values_list("message_id", "status", "reason")),
                )
            )
            transaction.set_rollback(True)
    assert boards[0] == boards[1]
    assert all(status == "recorded" for _id, status, _reason in boards[0][1])


def test_a_stin_revising_a_staa_not_yet_come_waits_for_it_and_follows_it(herlev):
    # Flow E backwards: the STIN says the stay began with STAA i50fc5fe…, whose time only the STAA carries.
    held = services.receive_message(example("HospitalNotification_Ex_STIN_E.json"))
    assert (held.outcome, held.reason) == ("held", "earlier_notice")
    assert not Admission.objects.exists()
    services.receive_message(example("HospitalNotification_Ex_STAA_E.json"))
    admission = Admission.objects.get()
    assert timeline(admission) == [("admitted", "2023-02-28T10:00"), ("ADVIS-IND", "2023-02-28T10:00")]
    assert set(MedcomMessage.objects.values_list("status", flat=True)) == {"recorded"}
