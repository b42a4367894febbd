"""Find and follow in a real browser (issue 14): a discharged citizen with an open municipal duty is on the
visitator's board and found by CPR in the search; an inbox item opens its admission at the message, and
reading it there clears it. axe-core finds no serious or critical violation on the search, the recently
discharged and the inbox. Launch setup as in tests/test_browser.py (Debian's Chromium, no download)."""

from datetime import timedelta

from django.utils import timezone

from coordination import reminders, services
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


def _discharged_course():
    """Karen Hansen admitted yesterday, a PFP three hours ago, left the ward an hour ago and discharged:
    the municipality still owes the read of the udskrivningsadvis (R-READ)."""
    ward = WardFactory(name="Medicinsk afdeling M1", hospital__name="Nordsjællands Hospital")
    nurse = staff_user("sygeplejerske", ward=ward)
    staff_user("visitator", municipality=municipality("0219"))
    citizen = CitizenFactory(name="Karen Hansen", municipality=municipality("0219"))
    actor = services.Actor.for_user(nurse)
    now = timezone.now().replace(second=0, microsecond=0)
    admission = services.admit_citizen(
        citizen, ward, at=now - timedelta(days=1), expected_stay="over_48h", actor=actor, now=now
    )
    services.send_message(admission, "ADVIS-IND", at=now - timedelta(days=1), actor=actor, now=now)
    pfp = services.send_pfp(
        admission,
        at=now - timedelta(hours=3),
        faerdigbehandlet_date=timezone.localdate(now),
        date_certain=True,
        coordination_needed=False,
        actor=actor,
        now=now,
    )
    services.record_departure(admission, at=now - timedelta(hours=1), actor=actor, now=now)
    services.register_discharge(admission, at=now - timedelta(minutes=50), actor=actor, now=now)
    reminders.process_event_notices()
    return Admission.objects.get(pk=admission.pk), pfp


def test_a_discharged_citizen_is_on_the_visitators_board_and_found_by_cpr(browser, live_server):
    admission, _pfp = _discharged_course()
    visitator = _page(browser, live_server, "visitator")
    row = visitator.locator("table.board tbody tr", has_text="Karen Hansen")
    expect(row).to_contain_text("Udskrevet")

    visitator.get_by_role("navigation").get_by_role("link", name="Søg").click()
    cpr = admission.citizen.cpr
    visitator.get_by_label("Navn, CPR-nummer eller indlæggelsesdato").fill(f"{cpr[:6]}-{cpr[6:]}")
    visitator.keyboard.press("Enter")
    found = visitator.locator("table.board tbody tr", has_text="Karen Hansen")
    expect(found).to_contain_text("Udskrevet")
    _axe(visitator, "search")
    _shot(visitator, "find-search")

    visitator.get_by_role("navigation").get_by_role("link", name="Senest udskrevne").click()
    expect(visitator.locator("table.board tbody tr", has_text="Karen Hansen")).to_be_visible()
    _axe(visitator, "recently-discharged")


def test_an_inbox_item_opens_its_admission_and_reading_clears_it(browser, live_server):
    admission, pfp = _discharged_course()
    visitator = _page(browser, live_server, "visitator")
    visitator.goto(f"{live_server.url}/indbakke/")
    _axe(visitator, "inbox")
    item = visitator.locator(".inbox-item.unread", has_text="Ny PFP")
    expect(item).to_have_count(1)  # one item per message and recipient
    item.get_by_role("link").click()
    visitator.wait_for_url(f"{live_server.url}/admissions/{admission.pk}/#event-{pfp.sequence}")
    expect(visitator.locator(f"#event-{pfp.sequence}")).to_contain_text("PFP")
    # the read is posted on load (R-READ); once it has landed, the inbox item is cleared
    visitator.wait_for_selector('#admission [hx-trigger="load"]', state="detached")
    visitator.goto(f"{live_server.url}/indbakke/")
    expect(visitator.locator(".inbox-item", has_text="Ny PFP")).not_to_have_class("inbox-item unread")
    expect(visitator.locator(".inbox-item.unread")).to_have_count(0)
