"""Issue 14: a session that ends mid-form keeps the text, warns before the idle timeout, and the login
page's language switch works without a login.

View-level tests (the browser walks the same in tests/test_browser_session.py)."""

import re
import time

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client

from coordination import drafts
from coordination.middleware import IdleTimeoutMiddleware
from coordination.models import Event
from tests.conftest import cph
from tests.factories import PASSWORD, logged_in, staff_user

HTMX = {"HX-Request": "true"}
KM_TEXT = "Fru Hansen ønsker at tale med sin datter før udskrivelsen. Ring på 40 12 34 56."


@pytest.fixture
def at_noon():
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False) as traveller:
        yield traveller


def token_on_page(client, admission) -> str:
    body = client.get(f"/admissions/{admission.pk}/").content.decode()
    return re.search(r'name="draft_owner" value="([^"]+)"', body).group(1)


def km_post(admission, token, **extra) -> dict:
    return {
        "draft_owner": token,
        "km-at": "2026-02-03T11:55",
        "km-expected_version": admission.version,
        "km-subject": "andet",
        "km-other_subject": "Pårørende",
        "km-text": KM_TEXT,
        **extra,
    }


def log_in(client, user, next_):
    return client.post("/login/", {"username": user.username, "password": PASSWORD, "next": next_})


def kms(admission) -> int:
    return Event.objects.filter(admission=admission, type="message", data__code="KM").count()


def test_a_km_sent_after_the_session_was_deleted_returns_to_the_admission_page_with_the_text(
    nurse, admission, at_noon
):
    client = logged_in(nurse)
    token = token_on_page(client, admission)
    Session.objects.all().delete()  # the session ended while she typed

    response = client.post(f"/admissions/{admission.pk}/actions/km/", km_post(admission, token))

    page = f"/admissions/{admission.pk}/"
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={page}"  # the page, never the POST-only action URL
    assert kms(admission) == 0  # nothing recorded
    login = client.get(response["Location"])
    assert login.status_code == 200 and f'value="{page}"' in login.content.decode()

    back = log_in(client, nurse, page)
    assert back.status_code == 302 and back["Location"] == page
    body = client.get(page).content.decode()
    assert KM_TEXT in body and 'value="Pårørende"' in body
    assert '<details open id="action-km">' in body
    assert "Det, du skrev, er sat ind igen herunder. Intet er sendt eller registreret" in body
    assert kms(admission) == 0
    # Given back once: the next visit shows the empty form again.
    assert KM_TEXT not in client.get(page).content.decode()


def test_a_km_sent_after_the_idle_timeout_keeps_the_text_too(nurse, admission, at_noon):
    client = logged_in(nurse)
    token = token_on_page(client, admission)
    session = client.session
    session[IdleTimeoutMiddleware.KEY] = int(time.time()) - 9 * 3600  # nine hours without activity
    session.save()

    response = client.post(f"/admissions/{admission.pk}/actions/km/", km_post(admission, token))
    assert response["Location"] == f"/login/?next=/admissions/{admission.pk}/"
    assert kms(admission) == 0
    log_in(client, nurse, f"/admissions/{admission.pk}/")
    assert KM_TEXT in client.get(f"/admissions/{admission.pk}/").content.decode()


def test_an_htmx_post_after_the_session_ended_is_sent_to_the_login_for_the_admission_page(
    nurse, admission, at_noon
):
    client = logged_in(nurse)
    token = token_on_page(client, admission)
    Session.objects.all().delete()
    response = client.post(f"/admissions/{admission.pk}/actions/km/", km_post(admission, token), headers=HTMX)
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/login/?next=/admissions/{admission.pk}/"
    log_in(client, nurse, f"/admissions/{admission.pk}/")
    assert KM_TEXT in client.get(f"/admissions/{admission.pk}/").content.decode()


def test_another_person_logging_in_on_the_same_browser_never_sees_the_text(nurse, ward, admission, at_noon):
    colleague = staff_user("kollega", ward=ward)
    client = logged_in(nurse)
    token = token_on_page(client, admission)
    Session.objects.all().delete()
    client.post(f"/admissions/{admission.pk}/actions/km/", km_post(admission, token))

    log_in(client, colleague, f"/admissions/{admission.pk}/")
    assert KM_TEXT not in client.get(f"/admissions/{admission.pk}/").content.decode()
    assert drafts.SESSION_KEY not in client.session  # dropped unseen, not kept for later
    client.post("/logout/")
    log_in(client, nurse, f"/admissions/{admission.pk}/")
    assert KM_TEXT not in client.get(f"/admissions/{admission.pk}/").content.decode()


def test_a_post_without_a_valid_owner_token_is_not_kept(nurse, admission, at_noon):
    client = logged_in(nurse)
    other_admission_token = drafts.owner_token(nurse, admission.pk + 1)
    Session.objects.all().delete()
    for token in ("", "forged", other_admission_token):
        client.post(f"/admissions/{admission.pk}/actions/km/", km_post(admission, token))
        assert drafts.SESSION_KEY not in client.session
    log_in(client, nurse, f"/admissions/{admission.pk}/")
    assert KM_TEXT not in client.get(f"/admissions/{admission.pk}/").content.decode()


def test_a_post_to_a_page_without_an_admission_returns_to_the_board(db):
    response = Client().post("/indbakke/alle-laest/")
    assert response["Location"] == "/login/?next=/"


def test_a_get_without_login_still_returns_to_the_page_asked_for(admission):
    response = Client().get(f"/admissions/{admission.pk}/?x=1")
    assert response["Location"] == f"/login/?next=/admissions/{admission.pk}/%3Fx%3D1"


# --- The warning before the idle timeout ---------------------------------------------------------------


def test_the_page_tells_the_banner_how_long_the_session_has_left(nurse, admission, settings):
    settings.SESSION_IDLE_SECONDS = 600
    settings.SESSION_WARNING_SECONDS = 120
    body = logged_in(nurse).get(f"/admissions/{admission.pk}/").content.decode()
    banner = re.search(r'<div id="session-warning"[^>]*>', body).group(0)
    assert 'role="alert"' in banner and " hidden" in banner
    assert 'data-warning="120"' in banner and 'data-idle="600"' in banner
    remaining = int(re.search(r'data-remaining="(\d+)"', banner).group(1))
    assert 590 <= remaining <= 600
    assert ">Bliv logget ind</button>" in body
    assert "<script>" not in body and " style=" not in body  # the CSP holds: static JS only


def test_the_login_page_has_no_banner(db):
    assert 'id="session-warning"' not in Client().get("/login/").content.decode()


def test_bliv_logget_ind_extends_the_session(nurse, settings):
    settings.SESSION_IDLE_SECONDS = 600
    client = logged_in(nurse)
    session = client.session
    session[IdleTimeoutMiddleware.KEY] = int(time.time()) - 500
    session.save()
    response = client.post("/session/forlaeng/")
    assert response.status_code == 200 and response.json() == {"remaining": 600}
    assert int(time.time()) - client.session[IdleTimeoutMiddleware.KEY] <= 1


def test_bliv_logget_ind_is_a_post_with_the_csrf_token(nurse):
    client = Client(enforce_csrf_checks=True)
    client.force_login(nurse)
    assert client.get("/session/forlaeng/").status_code == 405
    assert client.post("/session/forlaeng/").status_code == 403
    client.get("/")  # the page sets the CSRF cookie; the banner carries the token
    token = client.cookies["csrftoken"].value
    assert client.post("/session/forlaeng/", headers={"X-CSRFToken": token}).status_code == 200


def test_a_poll_does_not_extend_the_session_and_after_the_timeout_logs_out(nurse, settings):
    settings.SESSION_IDLE_SECONDS = 600
    client = logged_in(nurse)
    session = client.session
    session[IdleTimeoutMiddleware.KEY] = int(time.time()) - 601
    session.save()
    response = client.get("/indbakke/antal/", headers={**HTMX, "X-Poll": "1"})
    assert response.status_code == 204 and response["HX-Redirect"].startswith("/login/")
    assert client.get("/").status_code == 302


# --- The login page's language switch ------------------------------------------------------------------


def test_the_language_switch_works_on_the_login_page_and_keeps_next(nurse, admission):
    client = Client()
    page = f"/admissions/{admission.pk}/"
    login_url = f"/login/?next={page}"
    body = client.get(login_url).content.decode()
    assert f'name="next" value="/login/?next={page}"' in body  # the switch returns to this login page

    switched = client.post("/i18n/setlang/", {"language": "en", "next": f"/login/?next={page}"})
    assert switched.status_code == 302 and switched["Location"] == login_url
    english = client.get(login_url).content.decode()
    assert "<h1>Log in</h1>" in english and f'name="next" value="{page}"' in english

    landed = log_in(client, nurse, page)
    assert landed["Location"] == page
    assert client.get(page).status_code == 200

    client.post("/i18n/setlang/", {"language": "da", "next": page})
    assert "Handlinger" in client.get(page).content.decode()


def test_the_language_switch_after_the_idle_timeout_is_not_sent_to_the_login_loop(nurse, settings):
    client = logged_in(nurse)
    session = client.session
    session[IdleTimeoutMiddleware.KEY] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert switched["Location"] == "/"
    assert client.get("/")["Location"] == "/login/?next=/"


def test_a_kept_form_no_longer_offered_is_named_not_dropped_silently(
    nurse, admission, hospital_actor, at_noon
):
    from coordination import services

    client = logged_in(nurse)
    token = token_on_page(client, admission)
    Session.objects.all().delete()
    data = {"draft_owner": token, "pfp-at": "2026-02-03T11:55", "pfp-faerdigbehandlet_date": "2026-02-05"}
    client.post(f"/admissions/{admission.pk}/actions/pfp/", data)
    # Meanwhile the citizen left the ward: a PFP can no longer be sent (R-FLOW).
    services.record_departure(
        admission, at=cph("2026-02-03 11:58"), actor=hospital_actor, now=cph("2026-02-03 11:58")
    )
    log_in(client, nurse, f"/admissions/{admission.pk}/")
    body = client.get(f"/admissions/{admission.pk}/").content.decode()
    assert (
        "Du blev logget ud, før «Plejeforløbsplan (PFP)» blev sendt, og det kan ikke længere registreres her"
        in body
    )
