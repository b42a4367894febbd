"""A session that ends mid-form, in a real browser (issue 14): the nurse's typed KM survives the end of her
session and is back on the admission page after she logs in again, with nothing recorded; the warning
banner appears before the idle timeout and "Bliv logget ind" extends the session; the login page's language
switch works before logging in and keeps where ?next= leads. axe-core finds no serious or critical
violation on the login page and with the banner shown; the console shows no CSP violation.
Launch and login as in tests/test_browser_find.py (Debian's Chromium, no download)."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from coordination import services
from coordination.middleware import IdleTimeoutMiddleware
from coordination.models import Admission, Event
from tests import test_browser as shared
from tests.factories import PASSWORD, CitizenFactory, WardFactory, municipality, staff_user
from tests.test_browser import (
    WAIT,
    _axe,
    _page,
    _shot,
    expect,
)
from tests.test_browser_see import _csp_watch

pytestmark = shared.pytestmark
_sync_orm_beside_playwright = shared._sync_orm_beside_playwright

KM_TEXT = "Fru Hansen vil gerne tale med sin datter, før hun udskrives. Datteren træffes på 40 12 34 56."


@pytest.fixture
def course(live_server) -> Admission:
    """Karen Hansen admitted three hours ago on the nurse's ward, the advis sent."""
    ward = WardFactory(name="Medicinsk afdeling M1", hospital__name="Nordsjællands Hospital")
    nurse = staff_user("sygeplejerske", ward=ward)
    staff_user("visitator", municipality=municipality("0219"))
    actor = services.Actor.for_user(nurse)
    now = timezone.now().replace(second=0, microsecond=0)
    citizen = CitizenFactory(name="Karen Hansen", municipality=municipality("0219"))
    admission = services.admit_citizen(
        citizen, ward, at=now - timedelta(hours=3), expected_stay="over_48h", actor=actor, now=now
    )
    services.send_message(admission, "ADVIS-IND", at=now - timedelta(hours=3), actor=actor, now=now)
    return Admission.objects.get(pk=admission.pk)


def _log_in(page, username="sygeplejerske"):
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()


def _type_km(page, live_server, admission):
    page.goto(f"{live_server.url}/admissions/{admission.pk}/")
    shared._action(page, "Korrespondancemeddelelse")
    form = page.locator("#action-km form")
    form.locator("select[name=km-subject]").select_option("andet")
    form.locator("input[name=km-other_subject]").fill("Pårørende")
    form.locator("textarea[name=km-text]").fill(KM_TEXT)
    return form


def _kms(admission) -> int:
    return Event.objects.filter(admission=admission, type="message", data__code="KM").count()


def _text_is_back(page, live_server, admission):
    page.wait_for_url(f"{live_server.url}/admissions/{admission.pk}/")
    form = page.locator("#action-km form")
    expect(form.locator("textarea[name=km-text]")).to_have_value(KM_TEXT)
    expect(form.locator("input[name=km-other_subject]")).to_have_value("Pårørende")
    expect(page.locator("#admission .notice[role=status]")).to_contain_text(
        "Intet er sendt eller registreret"
    )
    assert _kms(admission) == 0


def test_a_km_sent_after_the_session_ended_is_back_in_the_form_after_logging_in(browser, live_server, course):
    page = _page(browser, live_server, "sygeplejerske")
    csp = _csp_watch(page)
    form = _type_km(page, live_server, course)
    Session.objects.all().delete()  # the session ends while she types (the shift's timeout, a restart …)

    form.get_by_role("button", name="Send KM").click()
    page.wait_for_url(f"{live_server.url}/login/?next=/admissions/{course.pk}/")  # not the action URL: no 405
    assert _kms(course) == 0
    _axe(page, "login-after-expiry")
    _log_in(page)
    _text_is_back(page, live_server, course)
    _shot(page, "session-km-restored")

    # She checks it and sends it: now it is recorded, once.
    page.locator("#action-km form").get_by_role("button", name="Send KM").click()
    expect(page.locator("#admission .notice")).to_contain_text("Registreret")
    assert _kms(course) == 1
    assert csp == []


def test_a_poll_that_finds_the_session_ended_keeps_the_typed_text_too(browser, live_server, course):
    page = _page(browser, live_server, "sygeplejerske")
    _type_km(page, live_server, course)
    Session.objects.all().delete()
    # The header's inbox count refreshes itself (every minute, or now): it finds no session.
    page.evaluate("htmx.trigger(document.body, 'inbox-changed')")
    page.wait_for_url(f"{live_server.url}/login/?next=/admissions/{course.pk}/")
    _log_in(page)
    _text_is_back(page, live_server, course)


def test_another_person_on_the_same_computer_never_sees_the_text(browser, live_server, course):
    staff_user("kollega", ward=course.ward)
    page = _page(browser, live_server, "sygeplejerske")
    form = _type_km(page, live_server, course)
    Session.objects.all().delete()
    form.get_by_role("button", name="Send KM").click()
    page.wait_for_url(f"{live_server.url}/login/?next=/admissions/{course.pk}/")
    _log_in(page, "kollega")
    page.wait_for_url(f"{live_server.url}/admissions/{course.pk}/")
    shared._action(page, "Korrespondancemeddelelse")
    expect(page.locator("textarea[name=km-text]")).to_have_value("")
    assert KM_TEXT not in page.content()


def test_the_warning_appears_before_the_idle_timeout_and_bliv_logget_ind_extends_it(
    browser, live_server, course, settings
):
    settings.SESSION_IDLE_SECONDS = 40
    settings.SESSION_WARNING_SECONDS = 36
    page = _page(browser, live_server, "sygeplejerske")
    csp = _csp_watch(page)
    page.goto(f"{live_server.url}/admissions/{course.pk}/")
    banner = page.get_by_role("alert").filter(has_text="Du bliver snart logget ud")
    expect(banner).to_be_hidden()
    expect(banner).to_be_visible(timeout=15000)  # within seconds: 36 of the 40 are the warning
    expect(banner.locator("time")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    _axe(page, "session-warning")
    _shot(page, "session-warning")

    pressed = int(time.time())
    banner.get_by_role("button", name="Bliv logget ind").focus()
    page.keyboard.press("Enter")  # keyboard only
    expect(banner).to_be_hidden()
    # The session was extended on the server, from the moment she pressed.
    [session] = Session.objects.all()
    assert session.get_decoded()[IdleTimeoutMiddleware.KEY] >= pressed
    expect(banner).to_be_visible(timeout=15000)  # and the warning comes again before the new end
    page.get_by_role("button", name="Bliv logget ind").click()
    expect(banner).to_be_hidden()
    page.reload()
    assert page.url == f"{live_server.url}/admissions/{course.pk}/"
    assert csp == []


def test_the_login_page_switches_to_english_and_back_and_lands_where_next_said(browser, live_server, course):
    context = browser.new_context(locale="da", extra_http_headers={"Accept-Language": "da"})
    page = context.new_page()
    page.set_default_timeout(WAIT)
    csp = _csp_watch(page)
    page.goto(f"{live_server.url}/admissions/{course.pk}/")
    login = f"{live_server.url}/login/?next=/admissions/{course.pk}/"
    page.wait_for_url(login)
    _axe(page, "login-da")

    page.get_by_label("Sprog").select_option("en")  # submits itself (static/js/app.js)
    page.wait_for_url(login)
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    _axe(page, "login-en")
    _shot(page, "session-login-en")
    page.get_by_label("Language").select_option("da")
    page.wait_for_url(login)
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind")
    page.get_by_label("Sprog").select_option("en")
    page.wait_for_url(login)

    _log_in(page)
    page.wait_for_url(f"{live_server.url}/admissions/{course.pk}/")
    expect(page.get_by_role("heading", name="Actions")).to_be_visible()
    assert csp == []
    context.close()
