"""The admission page: header, obligations, periods, timeline, and the actions of the user's own side."""

import re

import pytest
import time_machine
from django.test import Client

from coordination.models import AccessLog, Event, UnreadMark
from tests.conftest import cph

HTMX = {"HX-Request": "true"}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(admission, rest=""):
    return f"/admissions/{admission.pk}/{rest}"


def post_action(client, admission, name, htmx=True, **fields):
    admission.refresh_from_db()
    data = {f"{name}-{key}": value for key, value in fields.items()}
    data.setdefault(f"{name}-expected_version", admission.version)
    return client.post(url(admission, f"actions/{name}/"), data, headers=HTMX if htmx else {})


def errors(body: str) -> list[str]:
    return re.findall(r'<ul class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', body)


@pytest.fixture
def at_noon():
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False) as traveller:
        yield traveller


def test_the_nurse_sees_header_obligations_and_timeline_with_both_times(admission, nurse, at_noon):
    body = logged_in(nurse).get(url(admission)).content.decode()
    assert "Karen Hansen" in body and admission.citizen.masked_cpr in body
    assert "Medicinsk afdeling" in body and "Hillerød Kommune" in body
    assert "R-MILR" in body and "overskredet" in body  # the MILR was due 22:21 the day before
    assert "skete 2. feb. 2026 14:21 · registreret 2. feb. 2026 14:21" in body
    assert "ADVIS-IND: Indlæggelsesadvis" in body


def test_a_stranger_gets_404_for_the_page_and_every_fragment_and_action(admission, outsider):
    client = logged_in(outsider)
    assert client.get(url(admission)).status_code == 404
    assert client.get(url(admission), headers=HTMX).status_code == 404
    assert client.post(url(admission, "read/"), headers=HTMX).status_code == 404
    assert client.post(url(admission, "unread/"), {"code": "PFP"}).status_code == 404
    assert client.post(url(admission, "actions/milr/"), {}).status_code == 404
    assert Event.objects.filter(admission=admission).count() == 2


def test_each_side_sees_only_its_own_actions(admission, nurse, visitator):
    nurse_page = logged_in(nurse).get(url(admission)).content.decode()
    visitator_page = logged_in(visitator).get(url(admission)).content.decode()
    assert "Send PFP" in nurse_page and "Send MILR" not in nurse_page
    assert "Send MILR" in visitator_page and "Send PFP" not in visitator_page
    assert "Registrér færdigbehandlet" in nurse_page and "Registrér færdigbehandlet" not in visitator_page
    # either side may record a phone agreement or a KM
    assert "Send KM" in nurse_page and "Send KM" in visitator_page


def test_a_municipality_user_posting_a_pfp_is_refused_and_nothing_is_saved(admission, visitator, at_noon):
    response = post_action(
        logged_in(visitator), admission, "pfp", at="2026-02-03T11:00", faerdigbehandlet_date="2026-02-06"
    )
    assert response.status_code == 403
    assert not Event.objects.filter(admission=admission, data__code="PFP").exists()


def test_the_visitator_sends_a_milr_and_gets_the_fresh_body_back(admission, visitator, at_noon):
    response = post_action(logged_in(visitator), admission, "milr", at="2026-02-03T11:30")
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<div id="admission">')
    assert "Registreret: Manuelt opdateret indlæggelsesrapport (MILR)" in body
    event = Event.objects.get(admission=admission, data__code="MILR")
    assert event.occurred_at == cph("2026-02-03 11:30") and event.recorded_at == cph("2026-02-03 12:00")
    assert event.recorded_by == visitator


def test_without_javascript_a_post_is_redirected_back_to_the_page(admission, visitator, at_noon):
    response = post_action(logged_in(visitator), admission, "milr", htmx=False, at="2026-02-03T11:30")
    assert response.status_code == 302 and response["Location"] == url(admission)


def test_a_pfp_without_a_date_shows_a_danish_error_next_to_the_field_and_saves_nothing(
    admission, nurse, at_noon
):
    body = post_action(logged_in(nurse), admission, "pfp", at="2026-02-03T11:00").content.decode()
    assert "Dette felt er påkrævet." in errors(body)
    assert re.search(r'id="id_pfp-faerdigbehandlet_date_error"', body)
    assert '<details open id="action-pfp">' in body
    assert not Event.objects.filter(admission=admission, data__code="PFP").exists()


def test_a_time_in_the_future_is_refused_next_to_the_time_field(admission, visitator, at_noon):
    body = post_action(logged_in(visitator), admission, "milr", at="2026-02-03T13:00").content.decode()
    assert "Tidspunktet ligger i fremtiden. Registrér hændelsen, når den er sket." in errors(body)
    assert not Event.objects.filter(admission=admission, data__code="MILR").exists()


def test_a_second_person_with_the_old_version_gets_a_clear_message_and_the_fresh_state(
    admission, nurse, visitator, at_noon
):
    shown = admission.version
    post_action(logged_in(visitator), admission, "milr", at="2026-02-03T11:30")
    response = logged_in(nurse).post(
        url(admission, "actions/pfp/"),
        {
            "pfp-at": "2026-02-03T11:45",
            "pfp-expected_version": shown,
            "pfp-faerdigbehandlet_date": "2026-02-06",
            "pfp-date_certain": "on",
        },
        headers=HTMX,
    )
    body = response.content.decode()
    assert "Indlæggelsen er ændret af en anden, siden du åbnede den." in body
    assert "MILR: Manuelt opdateret indlæggelsesrapport" in body  # the fresh state
    assert not Event.objects.filter(admission=admission, data__code="PFP").exists()
    admission.refresh_from_db()
    assert f'name="pfp-expected_version" value="{admission.version}"' in body  # a deliberate retry works


def test_faerdigbehandlet_needs_every_item_of_the_readiness_checklist(admission, nurse, at_noon):
    client = logged_in(nurse)
    body = post_action(
        client, admission, "fb", at="2026-02-03T11:00", faerdigbehandlet_on="2026-02-03"
    ).content
    assert "Bekræft punktet, før borgeren registreres færdigbehandlet." in body.decode()
    assert not Event.objects.filter(admission=admission, type="faerdigbehandlet").exists()
    checklist = {f"check_{code}": "on" for code in _checklist_codes()}
    post_action(
        client,
        admission,
        "fb",
        at="2026-02-03T11:00",
        faerdigbehandlet_on="2026-02-03",
        waiting_for=["plejebolig", "hjaelpemidler"],
        **checklist,
    )
    event = Event.objects.get(admission=admission, type="faerdigbehandlet")
    assert event.data == {"date": "2026-02-03", "waiting_for": ["plejebolig", "hjaelpemidler"]}


def _checklist_codes():
    from coordination.rules import FB_CHECKLIST

    return [item.code for item in FB_CHECKLIST]


def test_a_pfp_with_a_coordination_reason_records_the_need_and_the_plan_together(admission, nurse, at_noon):
    post_action(
        logged_in(nurse),
        admission,
        "pfp",
        at="2026-02-03T11:00",
        faerdigbehandlet_date="2026-02-06",
        coordination_needed="on",
        reason="Trapper i hjemmet",
    )
    types = list(admission.events.order_by("sequence").values_list("type", flat=True))
    assert types[-2:] == ["coordination_identified", "message"]
    assert admission.events.get(type="coordination_identified").data == {"reason": "Trapper i hjemmet"}


def test_a_coordination_need_without_a_reason_is_refused_next_to_the_reason(admission, nurse, at_noon):
    body = post_action(
        logged_in(nurse),
        admission,
        "pfp",
        at="2026-02-03T11:00",
        faerdigbehandlet_date="2026-02-06",
        coordination_needed="on",
    ).content.decode()
    assert "Skriv hvorfor der er behov for yderligere koordinering." in errors(body)
    assert admission.events.count() == 2


def test_a_km_with_a_free_subject_keeps_its_text_beside_the_event(admission, visitator, at_noon):
    client = logged_in(visitator)
    body = post_action(client, admission, "km", at="2026-02-03T11:00", subject="andet").content.decode()
    assert "Skriv et emne for korrespondancen." in errors(body)
    body = post_action(
        client,
        admission,
        "km",
        at="2026-02-03T11:00",
        subject="andet",
        other_subject="Nøgle",
        text="Hos naboen",
    ).content.decode()
    event = Event.objects.get(admission=admission, data__code="KM")
    # The text lives in the event, as every message's text for people does (its content).
    assert event.data == {
        "code": "KM",
        "from": "municipality",
        "subject": "Nøgle",
        "content": {"text": "Hos naboen"},
    }
    assert "fra kommunen: »Nøgle«" in body and "Hos naboen" in body


def test_a_held_conference_keeps_its_minutes(admission, nurse, at_noon):
    client = logged_in(nurse)
    post_action(client, admission, "conference_plan", at="2026-02-03T09:00", conference_at="2026-02-03T10:00")
    body = post_action(
        client, admission, "conference_held", at="2026-02-03T11:00", minutes="Hjem fredag med hjemmepleje"
    ).content.decode()
    assert "Hjem fredag med hjemmepleje" in body
    held = Event.objects.get(admission=admission, type="conference_held")
    assert held.data["minutes"] == "Hjem fredag med hjemmepleje"


def test_opening_the_page_reads_nothing_by_itself_but_asks_for_an_explicit_post(
    admission, visitator, at_noon
):
    client = logged_in(visitator)
    body = client.get(url(admission)).content.decode()
    assert not Event.objects.filter(admission=admission, type="message_read").exists()
    assert f'hx-post="/admissions/{admission.pk}/read/" hx-trigger="load"' in body
    response = client.post(url(admission, "read/"), headers=HTMX)
    read = Event.objects.get(admission=admission, type="message_read")
    assert read.data == {"code": "ADVIS-IND", "by": "municipality"} and read.recorded_by == visitator
    assert response.status_code == 200 and 'hx-trigger="load"' not in response.content.decode()
    assert client.post(url(admission, "read/"), headers=HTMX).status_code == 204  # nothing left to read


def test_the_sending_side_reads_nothing_when_it_opens_the_page(admission, nurse):
    body = logged_in(nurse).get(url(admission)).content.decode()
    assert 'hx-trigger="load"' not in body


def test_mark_as_unread_is_the_users_own_flag_and_opening_clears_it(admission, visitator, at_noon):
    client = logged_in(visitator)
    client.post(url(admission, "read/"), headers=HTMX)
    body = client.post(url(admission, "unread/"), {"code": "ADVIS-IND"}, headers=HTMX).content.decode()
    assert "markeret som ulæst" in body and 'hx-trigger="load"' not in body
    assert "Ulæste beskeder" in client.get("/").content.decode()
    assert Event.objects.filter(admission=admission, type="message_read").count() == 1  # the fact stays
    assert client.post(url(admission, "read/"), headers=HTMX).status_code == 200
    assert not UnreadMark.objects.exists()


def test_viewing_and_changing_are_written_to_the_access_log(admission, visitator, at_noon):
    client = logged_in(visitator)
    client.get(url(admission))
    post_action(client, admission, "milr", at="2026-02-03T11:30")
    actions = set(AccessLog.objects.filter(user=visitator).values_list("action", flat=True))
    assert actions == {"view", "change"}


def test_a_whole_course_runs_through_the_forms_of_both_sides(admission, nurse, visitator):
    n, v = logged_in(nurse), logged_in(visitator)
    checklist = {f"check_{code}": "on" for code in _checklist_codes()}
    steps = [
        (v, "milr", {"at": "2026-02-02T16:00"}),
        (n, "pfp", {"at": "2026-02-03T09:00", "faerdigbehandlet_date": "2026-02-05", "date_certain": "on"}),
        (v, "km", {"at": "2026-02-03T10:00", "subject": "Plejeforløbsplan ok"}),
        (v, "contact", {"at": "2026-02-03T10:30"}),
        (
            n,
            "plan",
            {"at": "2026-02-03T11:00", "discharge_at": "2026-02-05T11:00", "destination": "own_home"},
        ),
        (n, "phone", {"at": "2026-02-03T11:30", "discharge_at": "2026-02-05T11:00"}),
        (
            n,
            "fb",
            {"at": "2026-02-04T09:00", "faerdigbehandlet_on": "2026-02-04", "waiting_for": "hjemmepleje"},
        ),
        (v, "dispute", {"at": "2026-02-04T10:00", "note": "Hjemmeplejen var klar"}),
        (n, "resume", {"at": "2026-02-04T11:00", "reason": "relapse"}),
        (
            n,
            "fb",
            {"at": "2026-02-05T08:00", "faerdigbehandlet_on": "2026-02-05", "waiting_for": "hjemmepleje"},
        ),
        (n, "usr", {"at": "2026-02-05T10:00"}),
        (n, "gop", {"at": "2026-02-05T10:05"}),
        (n, "departure", {"at": "2026-02-05T11:00"}),
        (n, "discharge", {"at": "2026-02-05T12:00"}),
        (v, "rehabilitation", {"at": "2026-02-06T09:00"}),
    ]
    with time_machine.travel(cph("2026-02-07 12:00"), tick=False):
        for client, name, fields in steps:
            if name == "fb":
                fields = {**fields, **checklist}
            response = post_action(client, admission, name, **fields)
            body = response.content.decode()
            assert response.status_code == 200 and not errors(body), (name, errors(body))
    admission.refresh_from_db()
    assert admission.discharge_registered_at == cph("2026-02-05 12:00")
    assert admission.events.count() == 2 + len(steps)


def test_a_read_receipt_by_the_other_side_in_between_is_no_conflict(admission, nurse, visitator, at_noon):
    nurse_client = logged_in(nurse)
    page = nurse_client.get(url(admission)).content.decode()
    shown_version = re.search(r'name="usr-expected_version" value="(\d+)"', page).group(1)
    logged_in(visitator).post(url(admission, "read/"), headers=HTMX)  # the visitator opens the page
    response = nurse_client.post(
        url(admission, "actions/usr/"),
        {"usr-at": "2026-02-03T11:00", "usr-expected_version": shown_version},
        headers=HTMX,
    )
    assert "Registreret: Udskrivningsrapport (USR)" in response.content.decode()
    assert Event.objects.filter(admission=admission, data__code="USR").exists()


def test_the_page_gives_the_numbers_to_call_as_the_administrator_entered_them(admission, nurse, at_noon):
    municipality, hospital = admission.municipality, admission.ward.hospital
    municipality.visitation_phone, municipality.night_phone = "38 21 40 00", "38 21 49 99"
    municipality.save()
    hospital.phone = "48 29 48 29"
    hospital.save()
    body = logged_in(nurse).get(url(admission)).content.decode()
    assert 'visitation <span class="nowrap">38 21 40 00</span>' in body
    assert 'om natten <span class="nowrap">38 21 49 99</span>' in body
    assert "hjemmepleje" not in body.split("Bopælskommune")[1].split("</dd>")[0]  # none entered: not shown
    assert 'hospitalets hovednummer <span class="nowrap">48 29 48 29</span>' in body
