"""The minimal board at /: behind login, and only the admissions the user takes part in."""

import pytest

from tests.factories import logged_in


@pytest.mark.django_db
def test_a_person_who_is_not_logged_in_is_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/")


@pytest.mark.django_db
def test_an_htmx_request_without_login_is_told_to_redirect_the_page(client):
    response = client.get("/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith("/login/")


@pytest.mark.django_db
def test_login_page_is_danish_and_has_djangos_fields(client):
    body = client.get("/login/").content.decode()
    assert 'name="username"' in body and 'name="password"' in body
    assert "Log ind" in body and 'lang="da"' in body


def test_nurse_sees_her_wards_admission_with_the_masked_cpr(admission, nurse):
    body = logged_in(nurse).get("/").content.decode()
    cpr = admission.citizen.cpr
    assert "Karen Hansen" in body
    assert f"{cpr[:6]}-••••" in body and cpr not in body
    # the next open duty with its owner in words, not colour alone
    assert "R-MILR" in body and "Kommune" in body


def test_visitator_of_the_citizens_municipality_sees_the_admission(admission, visitator):
    assert "Karen Hansen" in logged_in(visitator).get("/").content.decode()


def test_visitator_cannot_see_other_municipalitys_citizen(admission, outsider):
    body = logged_in(outsider).get("/").content.decode()
    assert "Karen Hansen" not in body
    assert admission.citizen.cpr[:6] not in body
