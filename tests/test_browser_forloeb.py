"""Forløbskoordination in a real browser (issue 13): the visitator includes a citizen with a named coordinator
on the admission page; the coordinator finds the citizen under "Mine forløb", sets the due of the follow-up
home visit, and sees it among the obligations. axe-core checks the section and the list. Same set-up as
tests/test_browser.py."""

from django.contrib.auth.models import Group

from coordination import services
from coordination.models import Forloeb
from tests.conftest import cph
from tests.factories import CitizenFactory, WardFactory, municipality, staff_user
from tests.test_browser import (  # noqa: F401  (the fixtures and markers of the browser tests)
    _axe,
    _page,
    _shot,
    _sync_orm_beside_playwright,
    expect,
    pytestmark,
)


def test_a_visitator_includes_and_the_coordinator_sets_the_home_visit(browser, live_server):  # noqa: F811
    ward = WardFactory(name="Medicinsk afdeling", hospital__name="Nordsjællands Hospital")
    citizen = CitizenFactory(name="Karen Hansen", municipality=municipality("0219"))
    at = cph("2026-02-02 14:20")
    admission = services.admit_citizen(
        citizen, ward, at=at, expected_stay="over_48h", actor=services.Actor.system(), now=at
    )
    visitator = staff_user("visitator", municipality=municipality("0219"))
    visitator.groups.add(Group.objects.get(name="Visitator"))
    coordinator = staff_user("fk.bo", municipality=municipality("0101"))
    coordinator.first_name, coordinator.last_name = "Bo", "Koordinator"
    coordinator.save()
    coordinator.groups.add(Group.objects.get(name="Forløbskoordinator"))

    page = _page(browser, live_server, "visitator")
    page.goto(f"{live_server.url}/admissions/{admission.pk}/")
    page.locator("#admission details > summary", has_text="Inkludér i forløbskoordination").click()
    form = page.locator("#action-fk-include")
    form.get_by_label("Misbrug").check()
    form.get_by_label("Svagt eller intet netværk, enlig").check()
    form.get_by_label("Forløbskoordinator").select_option(label="Bo Koordinator – København Kommune")
    form.get_by_role("button", name="Inkludér").click()
    expect(page.locator("#h-forloeb + dl")).to_contain_text("Bo Koordinator")
    _axe(page, "admission with forløbskoordination")
    _shot(page, "admission-forloeb")
    assert Forloeb.objects.get(admission=admission).criteria == ["weak_network", "abuse"]

    mine = _page(browser, live_server, "fk.bo")
    mine.get_by_role("link", name="Mine forløb").click()
    expect(mine.locator("main table")).to_contain_text("Karen Hansen")
    _axe(mine, "mine forløb")
    mine.get_by_role("link", name="Karen Hansen").click()
    mine.wait_for_selector("#admission")
    mine.locator("#admission details > summary", has_text="Frist for opfølgende hjemmebesøg").click()
    mine.locator("#action-fk-plan").get_by_label("Hjemmebesøget senest").fill("2026-02-20")
    mine.locator("#action-fk-plan").get_by_role("button", name="Sæt frist").click()
    expect(mine.locator("#h-forloeb + dl")).to_contain_text("senest 20.02.2026")
    expect(mine.locator("#admission")).to_contain_text("Opfølgende hjemmebesøg efter udskrivelsen")
