"""R-FK-QUALITY's yearly evaluation (seed 004): courses per year and the six quality parameters in total and
per course, from timelines recorded through `load_timelines`; CSV/XLSX/PDF like the other reports; per
course only what the reader may see."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Group

from coordination.models import AccessAction, AccessLog, Hospital, Region
from coordination.reports.forloeb import forloeb_rows
from tests.conftest import cph
from tests.factories import logged_in, municipality, staff_user
from tests.report_timelines import event, load, message, timeline
from tests.test_rules_forloeb import GOOD_COURSE

LOADED_AT = cph("2026-04-15 12:00")
HERLEV = "Herlev og Gentofte Hospital"
URL = "/tal/forloeb/?start=2025-01-01&end=2026-12-31"


def fk(at, coordinator="fk.anna", by="municipality"):
    return event(at, "fk_included", by=by, criteria=["reduced_function"], coordinator=coordinator)


def admitted(at):
    return {"at": at, "type": "admitted", "expected_stay": "over_48h", "somatic": True}


BAD_COURSE = [
    admitted("2026-03-02T10:00:00+01:00"),
    message("2026-03-02T10:01:00+01:00", "ADVIS-IND"),
    fk("2026-03-02T12:00:00+01:00", by="hospital"),
    # R-MILR due 18:01; the MILR at 19:00 is late
    message("2026-03-02T19:00:00+01:00", "MILR"),
    event(
        "2026-03-03T09:05:00+01:00",
        "discharge_planned",
        discharge_at="2026-03-06T11:00:00+01:00",
        needs_changed=False,
        practical_help_only=False,
        municipal_nursing=True,
        destination="own_home",
    ),
    # R-PFP-DATE due 5 March 13:00 (the planned 6 March); færdigbehandlet at 14:00 without a PFP: overdue
    event("2026-03-05T14:00:00+01:00", "faerdigbehandlet", date="2026-03-05", waiting_for=["hjemmepleje"]),
    # left with no PFP, no joint plan and no USR before the departure
    event("2026-03-06T11:00:00+01:00", "left_ward"),
    message("2026-03-06T12:00:00+01:00", "USR"),
    event("2026-03-07T10:00:00+01:00", "epikrise_sent", on_time=False),
    event("2026-03-09T10:00:00+01:00", "fk_ended", note="Genindlagt"),
]
# Included at 00:30 on 1 January 2026 Copenhagen time (23:30 UTC on 31 December): a 2026 course. Still
# admitted: only the ILR is decided (the MILR at 23:00 on time: advis 22:01 + 8 h = due 06:01).
NEW_YEAR_COURSE = [
    admitted("2025-12-31T22:00:00+01:00"),
    message("2025-12-31T22:01:00+01:00", "ADVIS-IND"),
    message("2025-12-31T23:00:00+01:00", "MILR"),
    fk("2026-01-01T00:30:00+01:00", coordinator="fk.kbh"),
]
# 2025: no MILR (overdue), left with nothing, ended without an epikrise.
OLD_COURSE = [
    admitted("2025-06-02T10:00:00+02:00"),
    message("2025-06-02T10:01:00+02:00", "ADVIS-IND"),
    fk("2025-06-02T12:00:00+02:00"),
    event("2025-06-04T10:00:00+02:00", "left_ward"),
    event("2025-06-09T10:00:00+02:00", "fk_ended", note="Flyttet"),
]
GOOD = [*GOOD_COURSE, event("2026-03-07T10:00:00+01:00", "fk_visit_done")]
GOOD.insert(-2, event("2026-03-06T11:30:00+01:00", "fk_visit_planned", due_on="2026-03-09"))
GOOD.append(event("2026-03-08T10:00:00+01:00", "fk_ended", note="Klarer sig"))


def in_group(user, name):
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def history(db, time_machine):
    time_machine.move_to(LOADED_AT, tick=False)
    in_group(staff_user("fk.anna", municipality=municipality("0219")), "Forløbskoordinator")
    in_group(staff_user("fk.kbh", municipality=municipality("0101")), "Forløbskoordinator")
    load(
        [
            timeline(GOOD),
            timeline(BAD_COURSE),
            timeline(NEW_YEAR_COURSE, hospital=HERLEV, ward="Akutmodtagelsen", municipality="0101"),
            timeline(OLD_COURSE),
        ]
    )


def test_courses_per_year_and_the_six_parameters_in_total(history):
    rows = {r.year: r for r in forloeb_rows(cph("2025-01-01 00:00").date(), cph("2026-12-31 00:00").date())}
    assert sorted(rows) == [2025, 2026]
    old, new = rows[2025], rows[2026]
    assert (old.courses, old.by_hospital, old.by_municipality, old.ended, old.visits_done) == (1, 0, 1, 1, 0)
    # 2026: GOOD (municipality, visit, ended), BAD (hospital, ended), NEW_YEAR (municipality, open)
    assert (new.courses, new.by_hospital, new.by_municipality, new.ended, new.visits_done) == (3, 1, 2, 2, 1)
    counts = {name: (q.met, q.not_met, q.undecided) for name, q in new.quality.items()}
    assert counts == {
        "ilr": (2, 1, 0),  # GOOD and NEW_YEAR on time, BAD late
        "discharge_plan": (1, 1, 1),  # NEW_YEAR still admitted
        "pfp": (1, 1, 1),
        "mof": (1, 1, 1),  # NEW_YEAR has no MOF
        "usr": (1, 1, 1),  # NEW_YEAR: no discharge planned, no R-USR
        "epikrise": (1, 1, 1),  # BAD recorded late; NEW_YEAR not ended
    }
    assert new.quality["ilr"].share == pytest.approx(2 / 3)
    assert {name: (q.met, q.not_met, q.undecided) for name, q in old.quality.items()} == {
        "ilr": (0, 1, 0),  # the MILR never came
        "discharge_plan": (0, 1, 0),
        "pfp": (0, 1, 0),
        "mof": (0, 0, 1),  # no færdigmelding: does not apply
        "usr": (0, 1, 0),  # R-USR due at the departure, no USR
        "epikrise": (0, 1, 0),  # ended without a record
    }


def test_a_region_manager_gets_the_tables_as_csv_and_xlsx_and_no_citizen(history):
    manager = in_group(staff_user("leder.region", region=Region.objects.get(slug="hovedstaden")), "Leder")
    client = logged_in(manager)
    page = client.get(URL).content.decode()
    assert "Koordinationsforløb pr. år" in page and "Karen Hansen" not in page
    assert "4 forløb hører til borgere, du ikke deltager i forløbet for" in page
    assert page.count("<svg") == 2
    lines = client.get(URL + "&table=courses&format=csv").content.decode().splitlines()
    assert lines == [
        "År,Forløb,Inkluderet af hospitalet,Inkluderet af kommunen,Hjemmebesøg gennemført,Afsluttede",
        "2025,1,0,1,0,1",
        "2026,3,1,2,1,2",
    ]
    quality = client.get(URL + "&table=quality&format=csv").content.decode().splitlines()
    assert quality[0] == (
        "År,Kvalitetsparameter,Forløb,Opfyldt,Ikke opfyldt,Ikke relevant eller ikke afgjort,Andel opfyldt"
    )
    assert "2026,Rettidige oplysninger ved indlæggelsen (ILR),3,2,1,0,0.6666666666666666" in quality
    xlsx = client.get(URL + "&table=quality&format=xlsx")
    assert (
        "Epikrise rettidigt til egen læge"
        in zipfile.ZipFile(io.BytesIO(xlsx.content)).read("xl/sharedStrings.xml").decode()
    )
    assert client.get(URL + "&format=pdf").content[:4] == b"%PDF"
    notes = AccessLog.objects.filter(user=manager, action=AccessAction.EXPORT).order_by("pk")
    assert [n.note for n in notes] == [
        "forloeb courses csv",
        "forloeb quality csv",
        "forloeb quality xlsx",
        "forloeb pdf",
    ]


def test_per_hospital_and_municipality(history):
    manager = in_group(staff_user("leder.region", region=Region.objects.get(slug="hovedstaden")), "Leder")
    lines = (
        logged_in(manager)
        .get(URL + "&by=municipality&table=courses&format=csv")
        .content.decode()
        .splitlines()
    )
    assert lines[1:] == ["Hillerød,2025,1,0,1,0,1", "København,2026,1,0,1,0,0", "Hillerød,2026,2,1,1,1,2"]


def test_per_course_lists_by_name_only_what_the_reader_takes_part_in_and_logs_it(history):
    manager = in_group(staff_user("leder.herlev", hospital=Hospital.objects.get(name=HERLEV)), "Leder")
    client = logged_in(manager)
    page = client.get(URL).content.decode()
    # Herlev's manager sees only Herlev's figures: one course, named (the hospital takes part in it)
    assert "Karen Hansen" in page and "hører til borgere" not in page
    assert AccessLog.objects.filter(user=manager, action=AccessAction.VIEW).count() == 1
    csv = client.get(URL + "&table=per_course&format=csv").content.decode().splitlines()
    assert csv[1].startswith(
        "2026-01-01,Karen Hansen,Herlev og Gentofte Hospital,København,opfyldt,ikke afgjort"
    )
    assert (
        AccessLog.objects.filter(user=manager, action=AccessAction.EXPORT, citizen__isnull=False).count() == 1
    )


def test_a_visitator_of_another_municipality_gets_no_figure_of_the_courses(history):
    stranger = in_group(staff_user("visitator.kbh", municipality=municipality("0101")), "Visitator")
    for url in (URL, URL + "&table=per_course&format=csv", URL + "&format=pdf"):
        response = logged_in(stranger).get(url)
        assert response.status_code == 403
        assert "Karen Hansen" not in response.content.decode()
