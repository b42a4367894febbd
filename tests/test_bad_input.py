"""Issue 11, bad input: a clear error, never a 500, nothing half-written (GUIDE.md "Bad input")."""

import pytest
import time_machine
from django.test import Client

from coordination.models import Admission, Event
from tests.conftest import cph
from tests.factories import municipality

HTMX = {"HX-Request": "true"}


def logged_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.fixture
def at_noon():
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False) as traveller:
        yield traveller


def post_action(client, admission, name, **fields):
    admission.refresh_from_db()
    data = {f"{name}-{key}": value for key, value in fields.items()}
    data.setdefault(f"{name}-expected_version", admission.version)
    return client.post(f"/admissions/{admission.pk}/actions/{name}/", data, headers=HTMX)


def test_a_board_search_with_a_nul_character_is_a_board_not_a_500(nurse, admission, at_noon):
    response = logged_in(nurse).get("/?q=%00")
    assert response.status_code == 200


def test_a_board_filter_with_an_enormous_number_is_ignored(nurse, admission, at_noon):
    response = logged_in(nurse).get("/?ward=99999999999999999999999&hospital=-1&municipality=1e400")
    assert response.status_code == 200


def test_a_new_admission_in_year_1_is_refused_with_a_clear_message(nurse, ward, at_noon):
    response = logged_in(nurse).post(
        "/admissions/new/",
        {
            "new-cpr": "0101451234",
            "new-name": "Karen Hansen",
            "new-municipality": municipality("0219").pk,
            "new-residence": "own_home",
            "new-expected_stay": "over_48h",
            "new-ward": ward.pk,
            "new-at": "0001-01-01T00:00",
        },
    )
    assert response.status_code == 200
    assert "2000" in response.content.decode()
    assert not Admission.objects.exists()


def test_a_pfp_date_in_year_1_is_refused_at_the_form(nurse, admission, at_noon):
    before = Event.objects.count()
    response = post_action(
        logged_in(nurse), admission, "pfp", at="2026-02-03T11:00", faerdigbehandlet_date="0001-01-01"
    )
    assert response.status_code == 200
    assert "2000" in response.content.decode()
    assert Event.objects.count() == before


def test_a_login_with_a_very_long_username_is_refused_not_a_500(db):
    response = Client(raise_request_exception=False).post(
        "/login/", {"username": "x" * 300, "password": "forkert"}
    )
    assert response.status_code == 200


def test_an_anonymous_htmx_request_with_a_crlf_in_the_path_gets_a_clean_redirect(db):
    response = Client(raise_request_exception=False).get("/indbakke/1/%0d%0aX/", headers=HTMX)
    assert response.status_code == 204
    assert "\n" not in response["HX-Redirect"] and "\r" not in response["HX-Redirect"]


def test_a_usr_appointment_in_year_9999_is_refused_and_the_pdfs_still_print(nurse, admission, at_noon):
    response = post_action(
        logged_in(nurse),
        admission,
        "usr",
        at="2026-02-03T11:00",
        appt_1_at="9999-12-31T23:59-05:00",
        appt_1_what="Kontrol",
    )
    assert response.status_code == 200
    client = logged_in(nurse)
    for pdf in ("usr.pdf", "usr-kommune.pdf", "pfp.pdf", "aftalekort.pdf"):
        assert client.get(f"/admissions/{admission.pk}/{pdf}").status_code in (200, 404)


# --- The hour that comes twice in October and the hour that does not exist in March ---------------------


def test_a_time_in_the_repeated_hour_asks_before_or_after_the_change_and_records_the_one_chosen(
    nurse, admission
):
    client = logged_in(nurse)
    with time_machine.travel(cph("2026-10-25 12:00"), tick=False):
        response = post_action(client, admission, "contact", at="2026-10-25T02:30")
        body = response.content.decode()
        assert response.status_code == 200
        assert "Klokken 02:30 findes to gange natten til 25.10.2026" in body
        assert 'name="contact-at_fold"' in body and "Efter skiftet til vintertid" in body
        assert not Event.objects.filter(type="municipality_contacted").exists()

        post_action(client, admission, "contact", at="2026-10-25T02:30", at_fold="1")
        after = Event.objects.get(type="municipality_contacted")
        # the second 02:30 is winter time, +01:00: 01:30 UTC
        assert after.occurred_at.isoformat() == "2026-10-25T01:30:00+00:00"

        post_action(client, admission, "contact", at="2026-10-25T02:30", at_fold="0")
        first = Event.objects.filter(type="municipality_contacted").order_by("-sequence").first()
        # the first 02:30 is still summer time, +02:00: 00:30 UTC
        assert first.occurred_at.isoformat() == "2026-10-25T00:30:00+00:00"


def test_an_ordinary_time_shows_no_before_or_after_choice(nurse, admission, at_noon):
    body = post_action(logged_in(nurse), admission, "contact", at="2026-02-03T25:00").content.decode()
    assert 'name="contact-at_fold"' not in body
    assert 'id="id_contact-at"' in body  # the time input keeps the field's id (its label points at it)


def test_a_time_in_the_hour_that_does_not_exist_in_spring_is_refused(nurse, admission):
    with time_machine.travel(cph("2027-03-28 12:00"), tick=False):
        response = post_action(logged_in(nurse), admission, "contact", at="2027-03-28T02:30")
    body = response.content.decode()
    assert "Klokken 02:30 findes ikke 28.03.2027" in body
    assert not Event.objects.filter(type="municipality_contacted").exists()


# --- A stale form for an action that is no longer offered ------------------------------------------------


@pytest.fixture
def departed(admission, nurse, at_noon):
    response = post_action(logged_in(nurse), admission, "departure", at="2026-02-03T11:30")
    assert response.status_code == 200
    admission.refresh_from_db()
    assert admission.left_at is not None
    return admission


def test_planning_a_discharge_in_a_form_left_open_after_the_departure_says_it_was_not_recorded(
    departed, nurse, at_noon
):
    before = Event.objects.filter(admission=departed).count()
    plan = dict(at="2026-02-03T11:45", discharge_at="2026-02-03T15:00", destination="own_home")
    response = post_action(logged_in(nurse), departed, "plan", **plan)
    body = response.content.decode()
    assert response.status_code == 200  # htmx swaps only a 2xx
    assert "«Planlæg udskrivning» kan ikke længere registreres: borgeren har forladt afsnittet." in body
    assert 'role="alert"' in body
    # A plain post (no htmx) gets the whole page with the message, as a conflict.
    departed.refresh_from_db()
    data = {f"plan-{k}": v for k, v in plan.items()} | {"plan-expected_version": departed.version}
    plain = logged_in(nurse).post(f"/admissions/{departed.pk}/actions/plan/", data)
    assert plain.status_code == 409
    assert "Intet er registreret." in plain.content.decode()
    assert Event.objects.filter(admission=departed).count() == before


def test_a_refusal_of_a_form_no_longer_on_the_page_is_shown_on_top(departed, visitator, at_noon):
    response = post_action(logged_in(visitator), departed, "milr", at="2026-02-03T11:50")
    body = response.content.decode()
    assert response.status_code == 200
    assert "kan ikke længere registreres" in body
    assert not Event.objects.filter(admission=departed, type="message", data__code="MILR").exists()


def test_a_form_without_the_version_it_was_shown_with_says_so_above_the_form(nurse, admission, at_noon):
    response = logged_in(nurse).post(
        f"/admissions/{admission.pk}/actions/contact/", {"contact-at": "2026-02-03T11:00"}, headers=HTMX
    )
    assert "Formularen er ufuldstændig eller forældet. Genindlæs siden" in response.content.decode()
    assert not Event.objects.filter(type="municipality_contacted").exists()


def test_an_event_stored_before_the_year_bound_came_still_reads(nurse, admission, at_noon):
    # A PFP with a date in 2150, as the old form let it through: the page still shows the admission.
    Event.objects.create(
        admission=admission,
        sequence=3,
        type="message",
        occurred_at=cph("2026-02-03 11:00"),
        recorded_at=cph("2026-02-03 11:00"),
        recorded_by_side="hospital",
        data={
            "code": "PFP",
            "coordination_needed": False,
            "faerdigbehandlet_date": "2150-01-01",
            "date_certain": False,
        },
    )
    Admission.objects.filter(pk=admission.pk).update(version=3)
    assert [e.type for e in admission.timeline()][-1] == "message"
    assert logged_in(nurse).get(f"/admissions/{admission.pk}/").status_code == 200


def test_the_pdfs_of_an_admission_print_even_with_a_usr_appointment_stored_in_year_9999(
    nurse, admission, at_noon
):
    # A USR stored before its dates were checked (year 9999 at -05:00 lies past datetime.max in Copenhagen).
    Event.objects.create(
        admission=admission,
        sequence=3,
        type="message",
        occurred_at=cph("2026-02-03 11:00"),
        recorded_at=cph("2026-02-03 11:00"),
        recorded_by_side="hospital",
        data={
            "code": "USR",
            "content": {"appointments": [{"at": "9999-12-31T23:59-05:00", "what": "Kontrol"}]},
        },
    )
    Admission.objects.filter(pk=admission.pk).update(version=3)
    client = logged_in(nurse)
    for pdf in ("usr.pdf", "usr-kommune.pdf", "aftalekort.pdf"):
        response = client.get(f"/admissions/{admission.pk}/{pdf}")
        assert response.status_code == 200, pdf
        assert response["Content-Type"] == "application/pdf"
