"""Whose figures a manager sees (issue 13, "Managers' pages"): a region's manager every hospital and every
municipality of the region, a hospital's or a municipality's manager its own; the header names the region as a
region; managers get no course list."""

import pytest
from django.contrib.auth.models import Group

from coordination.models import Region
from tests.conftest import cph
from tests.factories import logged_in, municipality, staff_user
from tests.report_timelines import event, load, stay

FB_CSV = "/tal/faerdigbehandling/?start=2026-01-01&end=2026-01-31&by=hospital&by=municipality&period=year"
HOLBAEK = "Holbæk Sygehus"
NORD = "Nordsjællands Hospital"


def manager(username, **organisation):
    user = staff_user(username, **organisation)
    user.groups.add(Group.objects.get(name="Leder"))
    return user


def waited(admitted_at, *, hospital, municipality_code, profile):
    # færdigbehandlet 12 January, left 14 January: 2 days (13 and 14 January)
    return stay(
        admitted_at,
        event("2026-01-12T10:00:00+01:00", "faerdigbehandlet", date="2026-01-12", waiting_for=["plejebolig"]),
        event("2026-01-14T11:00:00+01:00", "left_ward"),
        hospital=hospital,
        municipality=municipality_code,
        profile=profile,
    )


@pytest.fixture
def history(db, time_machine):
    time_machine.move_to(cph("2026-02-01 12:00"), tick=False)
    load(
        [
            # a Hillerød citizen (Hovedstaden) at a hospital of Region Sjælland
            waited(
                "2026-01-10T10:00:00+01:00", hospital=HOLBAEK, municipality_code="0219", profile="sjaelland"
            ),
            # a Holbæk citizen (Sjælland) at the same hospital
            waited(
                "2026-01-10T10:00:00+01:00", hospital=HOLBAEK, municipality_code="0316", profile="sjaelland"
            ),
            # a Hillerød citizen at a Hovedstaden hospital
            waited(
                "2026-01-10T10:00:00+01:00", hospital=NORD, municipality_code="0219", profile="hovedstaden"
            ),
        ]
    )


def rows(user):
    return logged_in(user).get(FB_CSV + "&table=periods&format=csv").content.decode().splitlines()[1:]


def test_a_region_manager_sees_every_hospital_and_every_municipality_of_the_region(history):
    hovedstaden = manager("leder.h", region=Region.objects.get(slug="hovedstaden"))
    # its hospital, and its municipality's citizen at another region's hospital; not Sjælland's own citizen
    assert rows(hovedstaden) == [
        f"{HOLBAEK},Hillerød,2026,1,2,2.0,,0,0",
        f"{NORD},Hillerød,2026,1,2,2.0,,0,0",
    ]
    sjaelland = manager("leder.s", region=Region.objects.get(slug="sjaelland"))
    # every admission at its hospital, whichever municipality the citizen lives in
    assert rows(sjaelland) == [f"{HOLBAEK},Hillerød,2026,1,2,2.0,,0,0", f"{HOLBAEK},Holbæk,2026,1,2,2.0,,0,0"]


def test_a_municipalitys_manager_sees_its_citizens_at_every_hospital(history):
    hilleroed = manager("leder.hil", municipality=municipality("0219"))
    assert rows(hilleroed) == [f"{HOLBAEK},Hillerød,2026,1,2,2.0,,0,0", f"{NORD},Hillerød,2026,1,2,2.0,,0,0"]


def test_the_header_calls_a_region_a_region(db):
    page = logged_in(manager("leder.h", region=Region.objects.get(slug="hovedstaden"))).get(
        "/tal/faerdigbehandling/"
    )
    header = page.content.decode().split("<main")[0]
    assert 'class="side side-region">Region</span>' in header
    assert ">Hospital</span>" not in header


def test_a_manager_gets_no_course_list_and_no_link_to_it(db):
    user = manager("leder.hil", municipality=municipality("0219"))
    client = logged_in(user)
    assert client.get("/forloeb/").status_code == 403
    assert "Mine forløb" not in client.get("/tal/faerdigbehandling/").content.decode()
