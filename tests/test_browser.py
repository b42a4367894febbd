"""The whole course in a real browser, as two people side by side: the nurse on her ward and the visitator of
the citizen's municipality, each on their own board. Playwright (Python) drives Debian's Chromium
(`apt-get install chromium`; no browser download). Screenshots go to tests/artifacts/ (not committed), and
axe-core checks the login page, the board and the admission page for serious or critical WCAG violations."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import PASSWORD, WardFactory, municipality, staff_user

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT = 8000  # ms: one refresh (the tests poll every second) with room to spare

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

# The marks of every browser test module (tests/test_browser_*.py import them, and the `browser` fixture).
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
pytestmark = BROWSER_MARKS


@pytest.fixture(autouse=True)
def _sync_orm_beside_playwright(settings):
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself are plain.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    settings.BOARD_POLL_SECONDS = 1
    ARTIFACTS.mkdir(exist_ok=True)
    yield
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _page(browser, live_server, username, language="da"):
    context = browser.new_context(
        viewport={"width": 1400, "height": 900},
        locale=language,
        extra_http_headers={"Accept-Language": language},
    )
    page = context.new_page()
    page.set_default_timeout(WAIT)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def _axe(page, name):
    """No serious or critical violation of WCAG 2.1 A/AA on this page."""
    # Evaluated through the DevTools protocol, which the page's content security policy does not block
    # (a <script> tag would be); the app keeps its real CSP during the whole course.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"],
    )
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"{name}: {bad}"


def _shot(page, name, full_page=True):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def _open_admission(page, name):
    page.get_by_role("link", name=name).click()
    page.wait_for_selector("#admission")
    # the receiving side's read (R-READ) is posted on load; let it land before using the forms
    page.wait_for_selector('#admission [hx-trigger="load"]', state="detached")


def _action(page, summary):
    """Open the action form whose summary names `summary`: the one due now is open already; the others are
    behind "Andre handlinger" (issue 14), opened first."""
    action = (
        page.locator("#admission .actions details[id^=action-]")
        .filter(has=page.locator("summary", has_text=summary))
        .first
    )
    group = page.locator("#other-actions")
    if (
        group.count()
        and not group.evaluate("g => g.open")
        and group.locator(f"#{action.get_attribute('id')}").count()
    ):
        group.locator(":scope > summary").click()
    if not action.evaluate("d => d.open"):
        action.locator(":scope > summary").click()
    return action


def _submit(form, label):
    form.get_by_role("button", name=label).click()


def test_a_whole_course_by_two_people_side_by_side(browser, live_server):
    ward = WardFactory(
        name="Medicinsk afdeling M1", hospital__name="Nordsjællands Hospital", phone="48 29 10 00"
    )
    staff_user("sygeplejerske", ward=ward)
    staff_user("visitator", municipality=municipality("0219"))
    today = timezone.localdate()
    nurse = _page(browser, live_server, "sygeplejerske")
    visitator = _page(browser, live_server, "visitator")

    login = browser.new_page()
    login.goto(f"{live_server.url}/login/")
    _axe(login, "login")
    _shot(login, "login_da")

    # The nurse admits: citizen by CPR, name and municipality; the advis goes out with it.
    nurse.locator("summary", has_text="Ny indlæggelse").click()
    nurse.fill("#id_new-cpr", "010145-1234")
    nurse.fill("#id_new-name", "Karen Hansen")
    nurse.select_option("#id_new-municipality", label="Hillerød Kommune")
    nurse.select_option("#id_new-expected_stay", "over_48h")
    nurse.get_by_role("button", name="Registrér indlæggelse").click()
    nurse.wait_for_url("**/admissions/*/")
    expect(nurse.locator("h1")).to_contain_text("Karen Hansen")

    # ... and it is on the visitator's board within one refresh, marked with the unread advis.
    row = visitator.locator("tr", has_text="Karen Hansen")
    expect(row).to_contain_text("Ulæste beskeder: ADVIS-IND", timeout=WAIT)
    expect(row).to_contain_text("010145-••••")
    _axe(visitator, "board (visitator)")

    # The visitator sends a MILR.
    _open_admission(visitator, "Karen Hansen")
    form = _action(visitator, "Manuelt opdateret indlæggelsesrapport (MILR)")
    _submit(form, "Send MILR")
    expect(visitator.locator(".notice")).to_contain_text("Registreret: Manuelt opdateret indlæggelsesrapport")
    expect(visitator.locator(".notice")).to_be_focused()
    _shot(visitator, "admission_visitator_da")

    nurse.goto(f"{live_server.url}/")
    row = nurse.locator("tr", has_text="Karen Hansen")
    expect(row).to_contain_text("Ulæste beskeder: MILR")

    # The nurse sends a PFP with a certain date.
    _open_admission(nurse, "Karen Hansen")
    form = _action(nurse, "Plejeforløbsplan (PFP)")
    form.locator("input[name=pfp-faerdigbehandlet_date]").fill((today + timedelta(days=2)).isoformat())
    form.get_by_label("Datoen er sikker").check()
    _submit(form, "Send PFP")
    expect(nurse.locator(".notice")).to_contain_text("Registreret: Plejeforløbsplan")

    visitator.goto(f"{live_server.url}/")
    row = visitator.locator("tr", has_text="Karen Hansen")
    expect(row).to_contain_text("sendt v1")

    # The visitator acknowledges it ("Plejeforløbsplan ok").
    _open_admission(visitator, "Karen Hansen")
    form = _action(visitator, "Korrespondancemeddelelse (KM)")
    form.locator("select[name=km-subject]").select_option("Plejeforløbsplan ok")
    _submit(form, "Send KM")
    expect(visitator.locator(".notice")).to_contain_text("Registreret: Korrespondancemeddelelse")

    # The nurse's board (open, polling) shows the acknowledgement within one refresh.
    nurse.goto(f"{live_server.url}/")
    row = nurse.locator("tr", has_text="Karen Hansen")
    expect(row).to_contain_text("kvitteret")
    _shot(nurse, "board_nurse_da")
    _axe(nurse, "board (nurse)")

    # The nurse agrees the time by phone, registers færdigbehandlet, records the USR and the discharge.
    _open_admission(nurse, "Karen Hansen")
    form = _action(nurse, "Telefonaftale om udskrivningstidspunkt")
    form.locator("input[name=phone-discharge_at]").fill(f"{(today + timedelta(days=2)).isoformat()}T11:00")
    _submit(form, "Registrér aftale")
    expect(nurse.locator(".notice")).to_contain_text("Registreret: Telefonaftale")

    form = _action(nurse, "Registrér færdigbehandlet (MOF)")
    _submit(form, "Registrér færdigbehandlet")  # without the checklist: refused next to its items
    expect(nurse.locator("#action-fb .errorlist").first).to_contain_text("Bekræft punktet")
    form = nurse.locator("#action-fb")
    for box in form.locator(".checklist input[type=checkbox]").all():
        box.check()
    form.get_by_label("plejebolig").check()
    _submit(form, "Registrér færdigbehandlet")
    expect(nurse.locator(".notice")).to_contain_text("Registreret: Færdigbehandlet (MOF)")
    _axe(nurse, "admission (nurse)")
    _shot(nurse, "admission_nurse_da")

    visitator.goto(f"{live_server.url}/")
    expect(visitator.locator("tr", has_text="Karen Hansen")).to_contain_text("færdigbehandlet siden")
    _open_admission(visitator, "Karen Hansen")  # reads the MOF (R-READ)
    _axe(visitator, "admission (visitator)")

    form = _action(nurse, "Udskrivningsrapport (USR)")
    _submit(form, "Send USR")
    expect(nurse.locator(".notice")).to_contain_text("Registreret: Udskrivningsrapport")

    visitator.goto(f"{live_server.url}/")
    expect(visitator.locator("tr", has_text="Karen Hansen")).to_contain_text("Ulæste beskeder: USR")
    _shot(visitator, "board_visitator_da")
    # On paper: the board as printed on A4 landscape (297 × 210 mm at 96 dpi).
    visitator.emulate_media(media="print")
    visitator.set_viewport_size({"width": 1123, "height": 794})
    _shot(visitator, "board_print", full_page=False)
    visitator.emulate_media(media="screen")
    visitator.set_viewport_size({"width": 1400, "height": 900})

    form = _action(nurse, "Borgeren har forladt afsnittet")
    _submit(form, "Registrér")
    expect(nurse.locator(".notice")).to_contain_text("Registreret: Forlod afsnittet")
    form = _action(nurse, "Registrér udskrivning (udskrivningsadvis sendes)")
    _submit(form, "Registrér udskrivning")
    expect(nurse.locator(".notice")).to_contain_text("Registreret: Udskrivning registreret")

    # Discharged, but the municipality still owes a duty (the unread USR, R-READ): the citizen stays on the
    # visitator's board, marked as discharged (issue 14), instead of vanishing at the discharge.
    expect(visitator.locator("tr", has_text="Karen Hansen")).to_contain_text("Udskrevet")

    # The same screens in English (the language switcher in the header).
    nurse.goto(f"{live_server.url}/")
    nurse.select_option("#language", "en")
    nurse.wait_for_load_state()
    expect(nurse.locator("h1")).to_have_text("Board")
    _shot(nurse, "board_nurse_en")
    nurse.goto(f"{live_server.url}/?discharge=&q=")
    nurse.goto(f"{live_server.url}/admissions/{_admission_pk()}/")
    expect(nurse.locator("h2", has_text="Timeline")).to_be_visible()
    _shot(nurse, "admission_nurse_en")
    _axe(nurse, "admission (nurse, English)")


def _admission_pk():
    from coordination.models import Admission

    return Admission.objects.get(citizen__name="Karen Hansen").pk
