"""The managers' pages (issue 13): figures of the manager's own organisation, no citizen board, drill-down
only through the access rules, exports logged; a stranger gets no figure."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Group
from pypdf import PdfReader

from coordination.models import AccessAction, AccessLog, Hospital, Region
from tests.conftest import cph
from tests.factories import logged_in, municipality, staff_user
from tests.report_timelines import load, message, stay
from tests.test_reports_faerdigbehandling import HERLEV, HISTORY, NORD

LOADED_AT = cph("2026-04-15 12:00")
FB = "/tal/faerdigbehandling/"
TIMELY = "/tal/rettidighed/"
JANUARY = "?start=2026-01-01&end=2026-02-28&by=hospital&by=municipality&period=month"


def manager(username, **organisation):
    user = staff_user(username, **organisation)
    user.groups.add(Group.objects.get(name="Leder"))
    return user


@pytest.fixture
def history(db, time_machine):
    time_machine.move_to(LOADED_AT, tick=False)
    # Advis 14 Apr 08:00, MILR at 20:00: 12 hours, late (R-MILR: 8 hours).
    load([*HISTORY, stay("2026-04-14T08:00:00+02:00", message("2026-04-14T20:00:00+02:00", "MILR"))])


@pytest.fixture
def region_manager(history):
    return manager("leder.region", region=Region.objects.get(slug="hovedstaden"))


def test_a_manager_lands_on_the_figures_and_gets_no_board_or_new_admission_form(region_manager):
    client = logged_in(region_manager)
    assert client.get("/").url == "/tal/"
    assert client.get("/tal/").url == FB
    assert client.post("/admissions/new/", {}).url == "/tal/"
    page = client.get(FB + JANUARY).content.decode()
    assert "Ny indlæggelse" not in page


def test_the_region_manager_sees_every_hospital_and_municipality_and_no_citizen(region_manager):
    page = logged_in(region_manager).get(FB + JANUARY).content.decode()
    assert NORD in page and HERLEV in page
    assert "Hillerød" in page or "0219" in page
    assert "Karen Hansen" not in page


def test_a_hospitals_manager_sees_only_its_own_hospital(history):
    user = manager("leder.herlev", hospital=Hospital.objects.get(name=HERLEV))
    page = logged_in(user).get(FB + JANUARY).content.decode()
    assert HERLEV in page
    assert NORD not in page


def test_a_municipalitys_manager_sees_only_its_own_citizens_figures(history):
    user = manager("leder.kbh", municipality=municipality("0101"))
    response = logged_in(user).get(FB + JANUARY + "&table=periods&format=csv")
    lines = response.content.decode().splitlines()
    # Only the København row: Herlev, February, 2 admissions, 1 day (0.5); nothing of Hillerød's citizens.
    assert lines[1:] == [f"{HERLEV},København,2026-02,2,1,0.5,,0,0"]


@pytest.mark.parametrize(
    "url",
    [
        FB,
        FB + JANUARY + "&table=periods&format=csv",
        FB + JANUARY + "&format=pdf",
        TIMELY,
        TIMELY + "?start=2026-04-01&end=2026-04-30&table=timeliness&format=xlsx",
        TIMELY + "forpligtelser/?start=2026-04-01&end=2026-04-30&outcome=met&rule=R-MILR",
        "/tal/",
    ],
)
def test_a_visitator_of_another_municipality_gets_no_figure(history, url):
    stranger = staff_user("visitator.kbh", municipality=municipality("0101"))
    stranger.groups.add(Group.objects.get(name="Visitator"))
    response = logged_in(stranger).get(url)
    assert response.status_code == 403
    assert "Hillerød" not in response.content.decode() and NORD not in response.content.decode()


def test_an_export_is_logged_and_escapes_formulas(region_manager):
    client = logged_in(region_manager)
    response = client.get(FB + JANUARY + "&table=periods&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[0].startswith("Hospital,Kommune,Periode,Indlæggelser,Dage")
    response = client.get(FB + JANUARY + "&table=hospital_year&format=xlsx")
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    sheet = zipfile.ZipFile(io.BytesIO(response.content))
    assert HERLEV in sheet.read("xl/sharedStrings.xml").decode()
    logged = AccessLog.objects.filter(user=region_manager, action=AccessAction.EXPORT)
    assert [row.note for row in logged.order_by("at", "pk")] == [
        "faerdigbehandling periods csv",
        "faerdigbehandling hospital_year xlsx",
    ]


def test_cells_beginning_with_a_formula_sign_are_escaped():
    from coordination.reports.exports import to_csv, to_xlsx

    rows = [['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "Hillerød", 3]]
    assert to_csv(["a", "b", "c", "d", "e", "f"], rows).splitlines()[1] == (
        '"\'=HYPERLINK(""x"")",\'+1,\'-2,\'@SUM(A1),Hillerød,3'
    )
    strings = zipfile.ZipFile(io.BytesIO(to_xlsx("t", ["a"], rows))).read("xl/sharedStrings.xml").decode()
    assert "'=HYPERLINK" in strings and "'@SUM(A1)" in strings
    assert (
        "<f>"
        not in zipfile.ZipFile(io.BytesIO(to_xlsx("t", ["a"], rows)))
        .read("xl/worksheets/sheet1.xml")
        .decode()
    )


def test_the_report_as_pdf_holds_its_tables(region_manager):
    response = logged_in(region_manager).get(FB + JANUARY + "&format=pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Pr. hospital og år" in text and "Ventende færdigbehandlede pr. dag og kommune" in text
    assert AccessLog.objects.filter(action=AccessAction.EXPORT, note="faerdigbehandling pdf").count() == 1


def test_timeliness_drill_down_shows_counts_only_to_a_manager_who_sees_no_citizen(region_manager):
    client = logged_in(region_manager)
    page = client.get(TIMELY + "?start=2026-04-14&end=2026-04-14").content.decode()
    assert "R-MILR" in page
    detail = client.get(TIMELY + "forpligtelser/?start=2026-04-14&end=2026-04-14&outcome=late&rule=R-MILR")
    text = detail.content.decode()
    assert "1 forpligtelse i alt" in text
    assert "1 af dem hører til borgere" in text
    assert "Karen Hansen" not in text


def test_timeliness_drill_down_lists_the_admissions_a_hospital_manager_takes_part_in(history):
    user = manager("leder.nord", hospital=Hospital.objects.get(name=NORD))
    detail = logged_in(user).get(
        TIMELY + "forpligtelser/?start=2026-04-14&end=2026-04-14&outcome=late&rule=R-MILR"
    )
    text = detail.content.decode()
    assert "Karen Hansen" in text
    assert "hører til borgere" not in text
    assert AccessLog.objects.filter(user=user, action=AccessAction.VIEW).count() == 1


def test_each_chart_is_svg_with_a_title_its_numbers_in_a_table_and_the_same_svg_in_the_pdf(region_manager):
    client = logged_in(region_manager)
    page = client.get(FB + JANUARY).content.decode()
    assert page.count("<svg") == 2
    assert '<title id="chart-days-title">Færdigbehandlingsdage pr. måned pr. kommune</title>' in page
    assert "Tallene i diagrammet" in page
    assert "<script" not in page.split("<main", 1)[1]
    # Told apart without colour: each series its own dash pattern, named at the end of its line.
    days_svg = page[page.index("<svg") : page.index("</svg>")]
    assert (
        'stroke-dasharray="6 3"' in days_svg
        and ">København</text>" in days_svg
        and ">Hillerød</text>" in days_svg
    )
    pdf = client.get(FB + JANUARY + "&format=pdf").content
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Færdigbehandlingsdage pr. måned pr. kommune" in text and "København" in text
    timely = client.get(TIMELY + "?start=2026-04-01&end=2026-04-30").content.decode()
    assert "Andel til tiden pr. regel pr. måned" in timely and "R-MILR" in timely


def test_the_figures_pages_read_a_fixed_number_of_queries(region_manager, django_assert_num_queries):
    client = logged_in(region_manager)
    client.get("/login/")  # the first look of the session notes its activity
    # 1 session, 2 user with staff member and region (coordination.auth), 3 permissions, 4 waiting per day
    # (once, for the table and the chart), 5 municipality names, 6 tariffs, 7 periods table, 8-9 the two
    # year tables, 10 reasons, 11 names for the chart, 12 days chart, 13 the header's unread count with
    # 14 the admissions granted to the user (a list); whatever the number of rows.
    with django_assert_num_queries(14):
        client.get(FB + JANUARY)


def test_a_managers_board_poll_is_sent_to_the_figures_not_given_an_empty_board(region_manager):
    response = logged_in(region_manager).get("/", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"] == "/tal/"


def test_the_region_managers_header_calls_the_region_region_not_hospital(region_manager):
    page = logged_in(region_manager).get(FB + JANUARY).content.decode()
    assert 'class="side side-region">Region</span>' in page
    assert 'side-hospital">Hospital</span>' not in page
