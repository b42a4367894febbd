"""CareCommunication ↔ KM (issue 12): a received KM's attachments downloaded under the access rules and
logged, its thread (new / reply / forward) on the admission page with where each fact came from, and a KM
written on the board exported as a CareCommunication that reads back through our reader and through
fhir.resources (R4B), a reply carrying thread, category and episode of care on."""

from __future__ import annotations

import base64
import json
from datetime import datetime

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from coordination import services
from coordination.medcom import read_message
from coordination.models import AccessLog, Citizen, MedcomMessage, MedcomUnit
from tests.factories import WardFactory, logged_in, municipality, staff_user
from tests.medcom_fixtures import CPR, example

pytestmark = pytest.mark.django_db

S_A = "Bundle-S-A-new-1932711d-49d0-4ad7-b1ee-61de711892d2.json"
R_B = "Bundle-R-B-reply-91b4b79a-520f-48cb-bb9a-9c3e27301968.xml"
R_C = "Bundle-R-C-forward-8352b67a-23b2-44c5-b43a-725270a90722.json"
TEK_B = "Bundle-S-Tek-B-new-episodeOfCare-98eb081e-a66f-41a2-b2f7-c455782563b0.json"


@pytest.fixture
def aabenraa(db):
    """Bruno lives in Aabenraa and is admitted at Klinik for Ældresygdomme, AUH (SOR and EAN as in MedCom's
    examples); Sundhedsplejen receives for Aabenraa, and so (for the examples' sake) do the practices the
    other examples are addressed to."""
    ward = WardFactory(
        name="Klinik for Ældresygdomme", code="441211000016000", ean="5790001987244", hospital__name="AUH"
    )
    for sor, ean, name in (
        ("330461000016004", "5790001353308", "Sundhedsplejen, Aabenraa kommune"),
        ("382871000016004", "", "Arden Lægehus"),
        ("1017421000016003", "", "2100 Lægehuset Østerbro"),
    ):
        MedcomUnit.objects.create(sor_code=sor, ean=ean, name=name, municipality=municipality("0580"))
    citizen = Citizen.objects.create(cpr=CPR, name="Bruno Test Elmer", municipality=municipality("0580"))
    admission = services.admit_citizen(
        citizen,
        ward,
        at=datetime.fromisoformat("2023-01-01T10:00+01:00"),
        expected_stay="over_48h",
        actor=services.Actor.system(),
    )
    return {
        "admission": admission,
        "nurse": staff_user("sygeplejerske", ward=ward),
        "visitator": staff_user("visitator", municipality=municipality("0580")),
        "stranger": staff_user("fremmed", municipality=municipality("0101")),
    }


def km_event(admission, message_id):
    return MedcomMessage.objects.get(message_id=message_id).events.get()


def test_a_received_attachment_downloads_for_those_taking_part_each_download_logged(aabenraa):
    admission = aabenraa["admission"]
    result = services.receive_message(example(R_B))
    km = km_event(admission, result.message_id)
    [pdf] = km.data["content"]["medcom"]["attachments"]
    url = reverse("km_attachment", args=[admission.pk, km.sequence, pdf["index"]])
    expected = read_message(example(R_B)).communication.segments[pdf["index"]].data
    for user in (aabenraa["visitator"], aabenraa["nurse"]):
        before = AccessLog.objects.filter(user=user, path=url).count()
        response = logged_in(user).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content == base64.b64decode(expected) and response.content.startswith(b"%PDF")
        assert "attachment" in response["Content-Disposition"] and CPR not in response["Content-Disposition"]
        assert AccessLog.objects.filter(user=user, path=url, citizen=admission.citizen).count() == before + 1


def test_a_stranger_gets_404_for_an_attachment_and_for_an_export(aabenraa):
    admission = aabenraa["admission"]
    km = km_event(admission, services.receive_message(example(R_B)).message_id)
    stranger = logged_in(aabenraa["stranger"])
    for url in (
        reverse("km_attachment", args=[admission.pk, km.sequence, 2]),
        reverse("km_export", args=[admission.pk, km.sequence]),
    ):
        assert stranger.get(url).status_code == 404
    assert not AccessLog.objects.filter(user=aabenraa["stranger"]).exists()


def test_no_such_attachment_is_404(aabenraa):
    admission = aabenraa["admission"]
    km = km_event(admission, services.receive_message(example(R_B)).message_id)
    client = logged_in(aabenraa["visitator"])
    for seq, n in ((km.sequence, 0), (km.sequence, 9), (1, 0)):  # a text segment, none, not a KM
        assert client.get(reverse("km_attachment", args=[admission.pk, seq, n])).status_code == 404


def test_the_admission_page_shows_each_thread_new_reply_forward_and_where_each_fact_came_from(aabenraa):
    admission = aabenraa["admission"]
    services.receive_message(example(S_A))
    services.receive_message(example(R_C))
    services.send_km(
        admission,
        at=datetime.fromisoformat("2024-09-10T10:00+02:00"),
        sender="municipality",
        subject="Plejeforløbsplan ok",
        text="Tak, vi er klar.",
        actor=services.Actor.for_user(aabenraa["visitator"]),
    )
    page = logged_in(aabenraa["visitator"]).get(reverse("admission", args=[admission.pk])).content.decode()
    assert "Korrespondance (KM) i tråde" in page
    assert "Ny besked" in page and "Videresendt" in page
    assert "Kritisk tilstand" in page and "Akut ambulant" in page and "Undersøgelsessvar" in page
    # Where it came from: the MedCom message id and sender, or typed by whom.
    assert "MedCom-besked care-communication-message 0ebb6284-eb20-45eb-8113-6620d2d08608" in page
    assert "Klinik for Ældresygdomme, AUH, Skejby (SOR 441211000016000)" in page
    assert "Kilde: indtastet af" in page
    # Only a KM written here is offered as a CareCommunication download.
    assert page.count("Hent som CareCommunication (FHIR)") == 1


def _export(client, admission, event) -> tuple[dict, object]:
    response = client.get(reverse("km_export", args=[admission.pk, event.sequence]))
    assert response.status_code == 200 and response["Content-Type"] == "application/fhir+json"
    body = response.content
    Bundle.model_validate(json.loads(body))  # fhir.resources' R4B models
    return json.loads(body), read_message(body)  # and our own reader, MedCom's rules included


def test_a_km_written_on_the_board_exports_as_a_care_communication_that_reads_back(aabenraa):
    admission = aabenraa["admission"]
    event = services.send_km(
        admission,
        at=datetime.fromisoformat("2024-09-10T10:00+02:00"),
        sender="municipality",
        subject="Plejeforløbsplan ok",
        text="Tak, vi er klar til udskrivelsen.",
        actor=services.Actor.for_user(aabenraa["visitator"]),
    )
    client = logged_in(aabenraa["visitator"])
    bundle, message = _export(client, admission, event)
    assert message.event == "care-communication-message" and message.current.activity == "new-message"
    assert (message.sender.sor, message.sender.ean) == ("330461000016004", "5790001353308")
    assert (message.receiver.sor, message.receiver.ean) == ("441211000016000", "5790001987244")
    assert message.patient.cpr == CPR
    km = message.communication
    assert (km.topic, km.category) == ("Plejeforløbsplan ok", "carecoordination")
    assert [s.text for s in km.segments] == ["Tak, vi er klar til udskrivelsen."]
    # The same KM is the same message (its MessageHeader.id), in a new bundle, each time it is downloaded.
    again, second = _export(client, admission, event)
    assert second.message_id == message.message_id and again["id"] != bundle["id"]
    assert AccessLog.objects.filter(user=aabenraa["visitator"], action="export").count() == 2
    # Received through MedCom, it comes into the board as the same KM (a municipality's unit to the ward).
    assert message.communication.thread_id.startswith("urn:uuid:")


def test_a_reply_written_on_the_board_carries_thread_category_and_episode_of_care_on(aabenraa):
    admission = aabenraa["admission"]
    original = read_message(example(TEK_B))
    received = km_event(admission, services.receive_message(example(TEK_B)).message_id)
    client = logged_in(aabenraa["visitator"])
    admission.refresh_from_db()
    post = {
        "km-at": "2024-09-10T10:00",
        "km-at_fold": "0",
        "km-expected_version": admission.version,
        "km-subject": "andet",
        "km-other_subject": "Svar på resultater",
        "km-text": "Tak for resultaterne.",
        "km-answer": f"reply:{received.sequence}",
    }
    response = client.post(reverse("admission_action", args=[admission.pk, "km"]), post)
    assert response.status_code == 302, response.content.decode()[:2000]
    reply = admission.events.order_by("-sequence").first()
    _bundle, message = _export(client, admission, reply)
    assert message.current.activity == "reply-message"
    assert message.referenced_message_id == original.message_id
    km = message.communication
    assert km.thread_id == original.communication.thread_id
    assert km.category == original.communication.category
    assert km.episode_of_care == original.communication.episode_of_care
    # Back to the sender of the answered message, from its receiver; the old segment and the new one.
    assert (message.sender, message.receiver) == (original.receiver, original.sender)
    assert [s.text for s in km.segments][-1] == "Tak for resultaterne." and len(km.segments) == 2


def test_a_forward_keeps_thread_and_episode_and_goes_to_the_other_side(aabenraa):
    admission = aabenraa["admission"]
    original = read_message(example(TEK_B))
    received = km_event(admission, services.receive_message(example(TEK_B)).message_id)
    thread = services.carecommunication.thread_of(received, services.carecommunication.FORWARD)
    forward = services.send_km(
        admission,
        at=datetime.fromisoformat("2024-09-10T10:00+02:00"),
        sender="municipality",
        subject="Resultater fra hjemmesygeplejen",
        text="Til orientering.",
        medcom=thread,
        actor=services.Actor.for_user(aabenraa["visitator"]),
    )
    _bundle, message = _export(logged_in(aabenraa["visitator"]), admission, forward)
    assert message.current.activity == "forward-message"
    assert message.referenced_message_id == original.message_id
    assert message.communication.episode_of_care == original.communication.episode_of_care
    assert message.receiver.sor == "441211000016000"  # the ward, the admission's other side


def test_a_km_that_cannot_be_addressed_is_refused_with_a_line_not_a_500(aabenraa):
    admission = aabenraa["admission"]
    MedcomUnit.objects.filter(sor_code="330461000016004").update(ean="")
    event = services.send_km(
        admission,
        at=datetime.fromisoformat("2024-09-10T10:00+02:00"),
        sender="municipality",
        subject="Plejeforløbsplan ok",
        actor=services.Actor.for_user(aabenraa["visitator"]),
    )
    response = logged_in(aabenraa["visitator"]).get(reverse("km_export", args=[admission.pk, event.sequence]))
    assert response.status_code == 409 and "EAN" in response.content.decode()


def test_a_received_km_is_not_exported_again(aabenraa):
    admission = aabenraa["admission"]
    km = km_event(admission, services.receive_message(example(S_A)).message_id)
    response = logged_in(aabenraa["visitator"]).get(reverse("km_export", args=[admission.pk, km.sequence]))
    assert response.status_code == 409
