"""A region manager in a real browser (issue 13): lands on the figures, narrows the period, downloads a
table as CSV and XLSX and the report as PDF, and drills down from a timeliness number. axe-core checks both
pages. Same set-up as tests/test_browser.py (Debian's Chromium through Playwright)."""

from django.contrib.auth.models import Group

from coordination.models import AccessAction, AccessLog, Region
from tests.factories import PASSWORD, staff_user
from tests.report_timelines import load
from tests.test_browser import (  # noqa: F401  (the fixtures and markers of the browser tests)
    _axe,
    _shot,
    _sync_orm_beside_playwright,
    pytestmark,
)
from tests.test_reports_faerdigbehandling import HERLEV, HISTORY


def test_a_region_manager_walks_the_figures_a_drill_down_and_each_export(browser, live_server):  # noqa: F811
    load(HISTORY)
    manager = staff_user("leder.region", region=Region.objects.get(slug="hovedstaden"))
    manager.groups.add(Group.objects.get(name="Leder"))
    page = browser.new_context(
        viewport={"width": 1400, "height": 900}, locale="da", accept_downloads=True
    ).new_page()
    page.set_default_timeout(8000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "leder.region")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/tal/faerdigbehandling/")  # no board: the figures

    page.fill("#id_start", "2026-01-01")
    page.fill("#id_end", "2026-02-28")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url("**start=2026-01-01**")
    periods = page.locator(
        "section", has=page.get_by_role("heading", name="Færdigbehandlingsdage pr. periode")
    )
    assert HERLEV in periods.inner_text()
    assert page.locator("svg.chart").count() == 2
    _axe(page, "færdigbehandling figures")
    _shot(page, "figures-faerdigbehandling")

    with page.expect_download() as csv_download:
        periods.get_by_role("link", name="CSV").click()
    assert open(csv_download.value.path(), encoding="utf-8").readline().startswith("Hospital,Kommune,Periode")
    with page.expect_download() as xlsx_download:
        periods.get_by_role("link", name="XLSX").click()
    assert open(xlsx_download.value.path(), "rb").read(2) == b"PK"  # a zip: the XLSX workbook
    pdf_href = page.get_by_role("link", name="Hele rapporten som PDF").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}/tal/faerdigbehandling/{pdf_href}")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"

    page.get_by_role("link", name="Rettidighed").click()
    page.fill("#id_start", "2025-12-01")
    page.fill("#id_end", "2026-04-30")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url("**start=2025-12-01**")
    _axe(page, "timeliness figures")
    table = page.locator(
        "section", has=page.get_by_role("heading", name="Rettidighed pr. forpligtelse med frist")
    )
    table.locator("td a").first.click()
    page.wait_for_url("**/tal/rettidighed/forpligtelser/**")
    assert "af dem hører til borgere, du ikke deltager i forløbet for" in page.inner_text("main")
    assert "Karen Hansen" not in page.content()
    _axe(page, "timeliness drill-down")
    _shot(page, "figures-drilldown")
    assert AccessLog.objects.filter(user=manager, action=AccessAction.EXPORT).count() == 3


def test_a_region_manager_walks_the_forloeb_figures_and_each_export(browser, live_server):  # noqa: F811
    from tests.factories import municipality
    from tests.report_timelines import timeline
    from tests.test_reports_forloeb import BAD_COURSE, GOOD, in_group

    in_group(staff_user("fk.anna", municipality=municipality("0219")), "Forløbskoordinator")
    load([timeline(GOOD), timeline(BAD_COURSE)])
    manager = staff_user("leder.region", region=Region.objects.get(slug="hovedstaden"))
    manager.groups.add(Group.objects.get(name="Leder"))
    page = browser.new_context(
        viewport={"width": 1400, "height": 900}, locale="da", accept_downloads=True
    ).new_page()
    page.set_default_timeout(8000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "leder.region")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/tal/faerdigbehandling/")
    assert page.locator("header .side").inner_text() == "Region"
    assert page.get_by_role("link", name="Mine forløb").count() == 0

    page.get_by_role("link", name="Forløbskoordination").click()
    page.fill("#id_start", "2026-01-01")
    page.fill("#id_end", "2026-12-31")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url("**/tal/forloeb/?**start=2026-01-01**")
    courses = page.locator("section", has=page.get_by_role("heading", name="Koordinationsforløb pr. år"))
    assert "2026" in courses.inner_text()
    assert page.locator("svg.chart").count() == 2
    per_course = page.locator(
        "section", has=page.get_by_role("heading", name="Kvalitetsparametre pr. forløb")
    )
    assert "2 forløb hører til borgere, du ikke deltager i forløbet for" in per_course.inner_text()
    assert "Karen Hansen" not in page.content()
    _axe(page, "forløbskoordination figures")
    _shot(page, "figures-forloeb")

    quality = page.locator("section", has=page.get_by_role("heading", name="Kvalitetsparametre pr. år i alt"))
    with page.expect_download() as csv_download:
        quality.get_by_role("link", name="CSV").click()
    assert open(csv_download.value.path(), encoding="utf-8").readline().startswith("År,Kvalitetsparameter")
    with page.expect_download() as xlsx_download:
        courses.get_by_role("link", name="XLSX").click()
    assert open(xlsx_download.value.path(), "rb").read(2) == b"PK"
    pdf_href = page.get_by_role("link", name="Hele rapporten som PDF").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}/tal/forloeb/{pdf_href}")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"
    assert AccessLog.objects.filter(user=manager, action=AccessAction.EXPORT).count() == 3
