"""Say what is due now, and why (issue 14), in a real browser: a nurse opens an admission where a PFP with a
certain date is due; the first action shown is that PFP, open and marked "Nu"; the others are behind "Andre
handlinger"; she opens "Hvorfor?" beside the duty with the keyboard and reads this case's arithmetic. axe-core
finds no serious or critical violation. Launch setup as in tests/test_browser.py (Debian's Chromium)."""

from datetime import timedelta

from django.utils import formats, timezone

from coordination import services
from tests.factories import CitizenFactory, WardFactory, municipality, staff_user
from tests.test_browser import (
    BROWSER_MARKS,
    _axe,
    _open_admission,
    _page,
    _shot,
    _sync_orm_beside_playwright,  # noqa: F401  (the autouse fixture of the browser tests)
    expect,
)

pytestmark = BROWSER_MARKS


def _course_with_a_pfp_due():
    """Karen Hansen admitted yesterday for more than 48 hours; a PFP gave an uncertain færdigbehandlingsdato
    three days ahead: the PFP with a certain date is due at 13:00 the day before (R-PFP-DATE)."""
    ward = WardFactory(name="Medicinsk afdeling M1", hospital__name="Nordsjællands Hospital")
    nurse = staff_user("sygeplejerske", ward=ward)
    citizen = CitizenFactory(name="Karen Hansen", municipality=municipality("0219"))
    actor = services.Actor.for_user(nurse)
    now = timezone.now().replace(second=0, microsecond=0)
    admission = services.admit_citizen(
        citizen, ward, at=now - timedelta(days=1), expected_stay="over_48h", actor=actor, now=now
    )
    services.send_message(admission, "ADVIS-IND", at=now - timedelta(days=1), actor=actor, now=now)
    ready = timezone.localdate(now) + timedelta(days=3)
    services.send_pfp(
        admission,
        at=now - timedelta(hours=1),
        faerdigbehandlet_date=ready,
        date_certain=False,
        coordination_needed=False,
        actor=actor,
        now=now,
    )
    return ready


def test_the_nurse_sees_the_due_action_first_and_reads_why_by_keyboard(browser, live_server):  # noqa: F811
    ready = _course_with_a_pfp_due()
    nurse = _page(browser, live_server, "sygeplejerske")
    _open_admission(nurse, "Karen Hansen")

    # The first action shown is the one due: the PFP with a certain date, open and marked "Nu".
    actions = nurse.locator("#admission .actions")
    first = actions.locator("details[id^=action-]").first
    expect(first).to_have_attribute("id", "action-pfp")
    expect(first).to_have_attribute("open", "")
    expect(first.locator(":scope > summary")).to_contain_text("Nu: PFP med sikker dato sendes (R-PFP-DATE)")
    # The rest wait behind a collapsed "Andre handlinger".
    others = actions.locator("#other-actions")
    expect(others.locator(":scope > summary")).to_contain_text("Andre handlinger")
    expect(others.locator("#action-km")).to_be_hidden()
    # What the engine would refuse now is not offered at all.
    expect(nurse.locator("#action-discharge")).to_have_count(0)
    expect(nurse.locator("#action-dispute")).to_have_count(0)

    # "Hvorfor?" beside the duty, opened with the keyboard.
    row = nurse.locator("#admission table.list tbody tr", has_text="R-PFP-DATE")
    why = row.locator("details.why")
    why.locator("summary").focus()
    nurse.keyboard.press("Enter")
    expect(why).to_have_attribute("open", "")
    day = formats.date_format(ready, "SHORT_DATE_FORMAT")
    before = formats.date_format(ready - timedelta(days=1), "SHORT_DATE_FORMAT")
    expect(why).to_contain_text("PFP med sikker dato senest kl. 13 dagen før")
    expect(why).to_contain_text(
        f"Færdigbehandlingsdato {day} (fra PFP) → PFP med sikker dato senest kl. 13:00 dagen før ({before})"
    )
    _shot(nurse, "act_due_now_and_why")
    _axe(nurse, "admission with the action due now and Hvorfor? open")
