"""The board and the admission page as seen on a desktop (1400 px), a ward tablet (768 px) and a visitator's
phone (390 px) (issue 14, "See"): sorted by a header click, polled, filtered and acted on through htmx with
no content-security-policy violation in the console, no serious or critical axe-core violation at any
width, and screenshots of each in tests/artifacts/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coordination import services
from tests import test_browser as shared
from tests.factories import CitizenFactory, WardFactory, municipality, staff_user
from tests.test_browser import _action, _axe, _open_admission, _page, _shot, _submit, expect

pytestmark = shared.pytestmark
_sync_orm_beside_playwright = shared._sync_orm_beside_playwright

WIDTHS = (1400, 768, 390)
OVERLAPS = """form => {
  const boxes = [...document.querySelectorAll(form + ' .field select, ' + form + ' .field input, '
                                              + form + ' .field textarea')]
    .filter(e => e.type !== 'hidden').map(e => [e.name, e.getBoundingClientRect()]);
  const hit = [];
  for (const [a, r] of boxes) for (const [b, s] of boxes)
    if (a < b && r.left < s.right - 1 && s.left < r.right - 1 && r.top < s.bottom - 1 && s.top < r.bottom - 1)
      hit.push([a, b]);
  return hit;
}"""


@pytest.fixture
def nurse_board(live_server):
    ward = WardFactory(name="Medicinsk afdeling M1", hospital__name="Nordsjællands Hospital")
    staff_user("sygeplejerske", ward=ward)
    actor = services.Actor(side="hospital", organisation=str(ward))
    now = timezone.now()
    for name, hours_ago in (("Bo Berg", 30), ("Anna Andersen", 2), ("Åse Ørum", 10)):
        at = now - timedelta(hours=hours_ago)
        citizen = CitizenFactory(name=name, municipality=municipality("0219"))
        admission = services.admit_citizen(
            citizen, ward, at=at, expected_stay="over_48h", actor=actor, now=at
        )
        services.send_message(admission, "ADVIS-IND", at=at, actor=actor, now=at)


def _csp_watch(page) -> list:
    seen = []
    page.on(
        "console",
        lambda m: (
            seen.append(m.text) if "Content Security Policy" in m.text or "violates" in m.text else None
        ),
    )
    page.on("pageerror", lambda e: seen.append(str(e)))
    return seen


def test_the_board_and_admission_page_hold_the_policy_at_every_width(browser, live_server, nurse_board):
    page = _page(browser, live_server, "sygeplejerske")
    csp = _csp_watch(page)
    page.reload()
    # what could write an inline style is off: htmx's indicator <style>, and settling a "style" attribute
    settle = page.evaluate("[htmx.config.includeIndicatorStyles, htmx.config.attributesToSettle]")
    assert settle == [False, ["class", "width", "height"]]
    # the new-admission form at 1400 px: no control runs over another (the ward list over the time)
    page.locator("summary", has_text="Ny indlæggelse").click()
    _shot(page, "see_new_admission_1400")
    overlaps = page.evaluate(OVERLAPS, "#new-admission")
    assert overlaps == [], overlaps
    page.locator("summary", has_text="Ny indlæggelse").click()
    # a poll (every second in the tests) after a change on the server re-renders the rows
    page.wait_for_timeout(2500)
    # a filter through htmx
    page.select_option("#id_scope", "mine")
    page.wait_for_url("**scope=mine**")
    # a sort by the citizen header, twice: A–Å, then Å–A; the URL keeps it
    page.locator("th a.sort", has_text="Borger").click()
    page.wait_for_url("**sort=name**")
    names = page.locator("#live a.citizen")
    expect(names.first).to_have_text("Anna Andersen")
    expect(page.locator('th[aria-sort="ascending"]')).to_contain_text("Borger")
    page.locator("th a.sort", has_text="Borger").click()
    page.wait_for_url("**sort=-name**")
    expect(names.first).to_have_text("Åse Ørum")
    expect(page.locator("#id_sort")).to_have_value("-name")
    page.wait_for_timeout(2500)  # polls of the sorted board
    expect(names.first).to_have_text("Åse Ørum")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        _shot(page, f"see_board_{width}")
        _axe(page, f"board at {width} px")
        # the next deadline and its owner are on screen at every width
        deadline = page.locator("#live tbody tr").first.locator("td.col-next")
        box = deadline.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (width, box)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width + 1, f"the board is cut at {width} px ({wide} px wide)"
    page.set_viewport_size({"width": 1400, "height": 900})
    _open_admission(page, "Åse Ørum")  # the read (R-READ) is an htmx post on load
    # an action through htmx: the nurse sends a KM; the admission's body is swapped in with the notice
    form = _action(page, "Korrespondancemeddelelse (KM)")
    form.locator("select[name=km-subject]").select_option(index=1)
    text = form.locator("textarea")
    if text.count():
        text.first.fill("Borgeren spørger til sin hjemtransport.")
    _submit(form, "Send KM")
    expect(page.locator(".notice")).to_contain_text("Registreret: Korrespondancemeddelelse")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        _shot(page, f"see_admission_{width}")
        _axe(page, f"admission at {width} px")
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width + 1, f"the admission page is cut at {width} px ({overflow} px wide)"
    assert csp == [], csp


def test_the_console_watch_sees_an_inline_style_the_policy_refuses(browser, live_server, nurse_board):
    page = _page(browser, live_server, "sygeplejerske")
    csp = _csp_watch(page)
    page.evaluate("""document.body.insertAdjacentHTML('beforeend', '<p style="color: red">x</p>')""")
    page.wait_for_timeout(300)
    assert any("style-src" in text for text in csp), csp
