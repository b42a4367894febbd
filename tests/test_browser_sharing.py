"""By keyboard alone in a real browser (issue 16): the nurse fills the USR form on the admission page and
sends it, then records the citizen's wishes about sharing (sundhedsloven § 41); the banner is at the top of
the page for both sides and the board flags it. No click: Tab moves, Space ticks, Enter opens and sends,
the rest is typed. axe-core finds no serious or critical violation. Launch setup as in tests/test_browser.py
(Debian's Chromium, no download)."""

from datetime import timedelta

from django.utils import timezone

from coordination import services
from coordination.models import Admission, Event
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

MAX_TABS = 400


def _course() -> Admission:
    """Karen Hansen admitted two days ago, the advis sent; discharge planned for tomorrow."""
    ward = WardFactory(name="Medicinsk afdeling M1", hospital__name="Nordsjællands Hospital")
    nurse = staff_user("sygeplejerske", ward=ward)
    staff_user("visitator", municipality=municipality("0219"))
    citizen = CitizenFactory(name="Karen Hansen", municipality=municipality("0219"))
    actor = services.Actor.for_user(nurse)
    now = timezone.now().replace(second=0, microsecond=0)
    admission = services.admit_citizen(
        citizen, ward, at=now - timedelta(days=2), expected_stay="over_48h", actor=actor, now=now
    )
    services.send_message(admission, "ADVIS-IND", at=now - timedelta(days=2), actor=actor, now=now)
    return Admission.objects.get(pk=admission.pk)


def _tab_to(page, selector: str) -> None:
    """Press Tab until the element matching `selector` has the focus (the way a keyboard user gets there)."""
    for _ in range(MAX_TABS):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def _open_action(page, name: str) -> None:
    """Open the action form `name` by keyboard: through "Andre handlinger" (issue 14) when it is in there."""
    inside = page.locator(f"#other-actions #action-{name}").count()
    if inside and not page.locator("#other-actions").evaluate("g => g.open"):
        _tab_to(page, "#other-actions > summary")
        page.keyboard.press("Enter")
    if not page.locator(f"#action-{name}").evaluate("d => d.open"):
        _tab_to(page, f"#action-{name} > summary")
        page.keyboard.press("Enter")


def _type_into(page, selector: str, text: str) -> None:
    _tab_to(page, selector)
    page.keyboard.type(text)


def test_the_nurse_fills_and_sends_the_usr_and_records_the_wishes_by_keyboard(browser, live_server):
    admission = _course()
    nurse = _page(browser, live_server, "sygeplejerske")
    nurse.goto(f"{live_server.url}/admissions/{admission.pk}/")
    nurse.wait_for_selector("#admission")

    # The USR: Enter on its summary opens the form; Tab from field to field, typing.
    _open_action(nurse, "usr")
    expect(nurse.locator("#action-usr")).to_have_attribute("open", "")
    _type_into(nurse, "#id_usr-summary", "Du blev indlagt med lungebetændelse og har det bedre.")
    _type_into(nurse, "#id_usr-function", "Du går selv med rollator.")
    _type_into(nurse, "#id_usr-med_1_name", "Furix 40 mg")
    _type_into(nurse, "#id_usr-med_1_dose", "1 tablet om morgenen")
    _tab_to(nurse, "#id_usr-med_1_not_in_fmk")
    nurse.keyboard.press("Space")
    expect(nurse.locator("#id_usr-med_1_not_in_fmk")).to_be_checked()
    _type_into(nurse, "#id_usr-appt_1_what", "Kontrol af lungerne")
    _type_into(nurse, "#id_usr-appt_1_where", "Lungeambulatoriet, indgang 14")
    _type_into(nurse, "#id_usr-wishes", "Vil gerne selv bestemme, hvornår hun går i bad.")
    _axe(nurse, "admission with the USR form open")
    _tab_to(nurse, "#action-usr button[type=submit]:not([name])")  # "Send USR", not "Gem kladde"
    nurse.keyboard.press("Enter")
    expect(nurse.locator(".notice")).to_contain_text("Registreret: Udskrivningsrapport (USR)")
    (usr,) = Event.objects.filter(admission=admission, data__code="USR")
    assert usr.data["content"]["medicine"][0]["name"] == "Furix 40 mg"
    assert usr.data["content"]["medicine"][0]["in_fmk"] is False
    assert usr.data["content"]["appointments"][0]["what"] == "Kontrol af lungerne"

    # The citizen's wishes: from the notice (focused after the swap) on by Tab.
    _open_action(nurse, "sharing")
    expect(nurse.locator("#action-sharing")).to_have_attribute("open", "")
    _tab_to(nurse, "#action-sharing input[name=sharing-declined][value=medicine]")
    nurse.keyboard.press("Space")
    _tab_to(nurse, "#action-sharing input[name=sharing-declined][value=appointments]")
    nurse.keyboard.press("Space")
    _type_into(nurse, "#id_sharing-note", "Vil selv fortælle hjemmeplejen om sin medicin.")
    expect(nurse.locator("#id_sharing-relatives_allowed")).to_be_checked()
    _type_into(nurse, "#id_sharing-relatives", "Hanne Jensen, datter, 20 30 40 50")
    _axe(nurse, "admission with the sharing form open")
    _tab_to(nurse, "#action-sharing button[type=submit]")
    nurse.keyboard.press("Enter")

    expect(nurse.locator(".notice")).to_contain_text("Registreret: Borgerens ønsker om videregivelse (§ 41)")
    banner = nurse.locator("#sharing")
    expect(banner).to_contain_text(
        "Borgeren har frabedt sig, at medicin ved udskrivelsen og fremtidige aftaler videregives til "
        "kommunen."
    )
    expect(banner).to_contain_text("Pårørende må kontaktes: Hanne Jensen, datter, 20 30 40 50.")
    _axe(nurse, "admission with the sharing banner")
    _shot(nurse, "admission_sharing_da")

    # The visitator sees the flag on the board and the banner on the page.
    visitator = _page(browser, live_server, "visitator")
    row = visitator.locator("table.board tbody tr", has_text="Karen Hansen")
    expect(row).to_contain_text("§ 41: begrænset deling")
    _axe(visitator, "board with the sharing flag")
    visitator.goto(f"{live_server.url}/admissions/{admission.pk}/")
    expect(visitator.locator("#sharing")).to_contain_text("Borgeren har frabedt sig")
    _axe(visitator, "the visitator's admission page with the sharing banner")
