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
