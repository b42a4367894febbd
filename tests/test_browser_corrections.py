"""Corrections in a real browser (issue 12, R-CORRECTION): the nurse marks a phone agreement entered in
error by keyboard alone; the page shows it struck through with her reason and the call to the municipality
(R-CALL-13) is open again. Also without JavaScript's help: the link opens the page with the form. axe-core
finds no serious or critical violation with the form open and after the correction. Launch setup as in
tests/test_browser.py (Debian's Chromium, no browser download)."""

from datetime import timedelta

from django.utils import timezone

from coordination import services
from coordination.models import Admission
from tests.factories import CitizenFactory, WardFactory, municipality, staff_user
from tests.test_browser import (
    BROWSER_MARKS,
    _axe,
    _page,
    _shot,
    _sync_orm_beside_playwright,  # noqa: F401  (the autouse fixture of the browser tests)
    expect,
)

pytestmark = BROWSER_MARKS


def _agreed_course():
    """Karen Hansen admitted yesterday; a plan for the day after tomorrow 14:00 (after 13:00: R-CALL-13),
    and the nurse's phone agreement an hour ago, which meets it."""
    ward = WardFactory(name="Medicinsk afdeling M1", hospital__name="Nordsjællands Hospital")
    nurse = staff_user("sygeplejerske", ward=ward)
    citizen = CitizenFactory(name="Karen Hansen", municipality=municipality("0219"))
    actor = services.Actor.for_user(nurse)
    now = timezone.now().replace(second=0, microsecond=0)
    admission = services.admit_citizen(
        citizen, ward, at=now - timedelta(days=1), expected_stay="over_48h", actor=actor, now=now
    )
    discharge_at = timezone.localtime(now + timedelta(days=2)).replace(hour=14, minute=0)
    services.plan_discharge(
        admission,
        at=now - timedelta(hours=2),
        discharge_at=discharge_at,
        needs_changed=False,
        practical_help_only=False,
        municipal_nursing=True,
        destination="own_home",
        actor=actor,
        now=now,
    )
    agreement = services.record_phone_agreement(
        admission, at=now - timedelta(hours=1), discharge_at=discharge_at, actor=actor, now=now
    )
    return Admission.objects.get(pk=admission.pk), agreement


def test_the_nurse_marks_a_phone_agreement_entered_in_error_by_keyboard(browser, live_server):
    admission, agreement = _agreed_course()
    nurse = _page(browser, live_server, "sygeplejerske")
    nurse.goto(f"{live_server.url}/admissions/{admission.pk}/")
    call = nurse.locator("#h-obligations + table tr", has_text="R-CALL-13")
    expect(call).to_contain_text("opfyldt")
    event = nurse.locator(f"#event-{agreement.sequence}")
    expect(event).to_contain_text("Aftalt udskrivning")

    # Keyboard only: focus the link, Enter opens the form with the reason field focused, type, Tab, Enter.
    link = event.get_by_role("link", name="Markér som fejlregistreret")
    link.focus()
    nurse.keyboard.press("Enter")
    reason = event.get_by_label("Begrundelse")
    expect(reason).to_be_focused()
    _axe(nurse, "admission with the correction form open")
    nurse.keyboard.type("Aftalen var med en anden borger")
    nurse.keyboard.press("Tab")
    expect(event.get_by_role("button", name="Markér som fejlregistreret")).to_be_focused()
    nurse.keyboard.press("Enter")

    expect(nurse.locator(".notice")).to_contain_text("Markeret som fejlregistreret: Telefonaftale")
    event = nurse.locator(f"#event-{agreement.sequence}")
    expect(event.locator("del")).to_contain_text("Aftalt udskrivning")
    expect(event).to_contain_text("Fejlregistreret")
    expect(event).to_contain_text("begrundelse: Aftalen var med en anden borger")
    # the obligation returns: no call agreed any more
    expect(nurse.locator("#h-obligations + table tr", has_text="R-CALL-13")).to_contain_text("åben")
    expect(event.get_by_role("link", name="Markér som fejlregistreret")).to_have_count(0)
    _axe(nurse, "admission after the correction")
    _shot(nurse, "admission_correction_da")


def test_without_javascript_the_link_opens_the_form_on_the_page(browser, live_server):
    admission, agreement = _agreed_course()
    context = browser.new_context(java_script_enabled=False, locale="da")
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "sygeplejerske")
    from tests.factories import PASSWORD

    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.goto(f"{live_server.url}/admissions/{admission.pk}/")
    page.locator(f"#event-{agreement.sequence}").get_by_role("link", name="Ret værdien").click()
    form = page.locator(f"#correction-{agreement.sequence} form")
    form.get_by_label("Aftalt udskrivningstidspunkt").fill(
        timezone.localtime(timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT15:30")
    )
    form.get_by_label("Begrundelse").fill("Tastefejl")
    form.get_by_role("button", name="Gem rettelsen").click()
    event = page.locator(f"#event-{agreement.sequence}")
    expect(event).to_contain_text("Rettet til")
    expect(event.locator("del")).to_contain_text("14:00")
    expect(event).to_contain_text("15:30")
    context.close()
