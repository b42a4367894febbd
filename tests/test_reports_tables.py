"""The tables of the managers' pages, from timelines through `load_timelines`: seed 003's layout rebuilt for
one hospital, disputed MOFs with their days, the reasons citizens waited, R-FB-PRECOND, R-MIDT-NOTICE."""

from datetime import date

import pytest
from django.db.models import Q

from coordination.models import Region
from coordination.reports.tables import faerdigbehandling_tables, timeliness_tables
from tests.conftest import cph
from tests.report_timelines import event, load, message, stay

NORD = "Nordsjællands Hospital"
HOVEDSTADEN = Q(admission__ward__hospital__region__slug="hovedstaden")
ADMISSIONS_HOVEDSTADEN = Q(ward__hospital__region__slug="hovedstaden")


def fb_stay(year: int, n: int, days: int, municipality="0223", reasons=("plejebolig",), *extra):
    """A stay in March of `year` registered færdigbehandlet on the 10th and gone `days` days later."""
    day = 1 + n % 9
    registered = date(year, 3, 10 + day)
    left = date(year, 3, 10 + day + days)
    return stay(
        f"{year}-03-{day:02d}T10:00:00+01:00",
        event(
            f"{registered}T09:00:00+01:00",
            "faerdigbehandlet",
            date=str(registered),
            waiting_for=list(reasons),
        ),
        *extra,
        event(f"{left}T14:00:00+01:00", "left_ward"),
        event(f"{left}T14:30:00+01:00", "discharge_registered"),
        municipality=municipality,
    )


def cells(table):
    return [[str(c) for c in row] for row in table.rows]


def by_name(tables, name):
    return next(t for t in tables if t.name == name)


@pytest.mark.django_db
def test_seed_003s_layout_for_nordsjaellands_hospital_and_hoersholm_is_rebuilt(time_machine):
    # Seed 003, Nordsjællands Hospital x Hørsholm: days 54, 57, 21 and admissions 31, 34, 22 (2014-2016).
    # 2014: 23 stays of 2 days + 8 of 1 = 54 over 31; 2015: 23 x 2 + 11 x 1 = 57 over 34;
    # 2016: 21 x 1 + 1 of 0 days = 21 over 22 (average 0.95 -> 1.0, as the seed shows it).
    time_machine.move_to(cph("2017-01-10 12:00"), tick=False)
    plan = {2014: [2] * 23 + [1] * 8, 2015: [2] * 23 + [1] * 11, 2016: [1] * 21 + [0]}
    load([fb_stay(year, n, days) for year, stays in plan.items() for n, days in enumerate(stays)])
    tables = faerdigbehandling_tables(
        date(2014, 1, 1), date(2016, 12, 31), ("hospital",), "year", HOVEDSTADEN
    )
    assert cells(by_name(tables, "hospital_municipality_year")) == [
        [NORD, "Hørsholm", "2014", "54", "–", "31", "–", "1,7"],
        [NORD, "Hørsholm", "2015", "57", "+3", "34", "+3", "1,7"],
        [NORD, "Hørsholm", "2016", "21", "-36", "22", "-12", "1,0"],
    ]
    assert cells(by_name(tables, "hospital_year"))[2] == [NORD, "2016", "21", "-36", "22", "-12", "1,0"]


@pytest.mark.django_db
def test_disputed_mofs_with_their_days_and_the_reasons_they_waited(time_machine):
    time_machine.move_to(cph("2026-04-15 12:00"), tick=False)
    dispute = event("2026-03-13T09:00:00+01:00", "mof_disputed", note="Borgeren var ikke færdigbehandlet")
    load(
        [
            fb_stay(2026, 1, 3, "0219", ("plejebolig", "hjaelpemidler"), dispute),  # 12 Mar, 3 days, disputed
            fb_stay(2026, 2, 2, "0219", ("plejebolig",)),
            fb_stay(2026, 3, 1, "0219", ()),  # no reason given (R-FB-REASON warns)
        ]
    )
    tables = faerdigbehandling_tables(
        date(2026, 3, 1), date(2026, 3, 31), ("hospital",), "month", HOVEDSTADEN
    )
    # Hospital, period, admissions, days, average, fee (no tariff), disputed MOFs, their days.
    assert cells(by_name(tables, "periods")) == [[NORD, "2026-03", "3", "6", "2,0", "–", "1", "3"]]
    assert cells(by_name(tables, "reasons")) == [
        ["plejebolig", "2"],
        ["hjælpemidler", "1"],
        ["uden begrundelse", "1"],
    ]


@pytest.mark.django_db
def test_mofs_sent_while_the_pfp_deadline_was_missed_and_discharges_on_the_faerdigbehandlet_date(
    time_machine,
):
    time_machine.move_to(cph("2026-04-15 12:00"), tick=False)
    pfp = message(
        "2026-03-03T09:00:00+01:00",
        "PFP",
        coordination_needed=True,
        faerdigbehandlet_date="2026-03-06",
        date_certain=False,
    )
    fb_late = event(
        "2026-03-06T10:00:00+01:00", "faerdigbehandlet", date="2026-03-06", waiting_for=["plejebolig"]
    )
    load(
        [
            # R-PFP-DATE: a certain date due 5 Mar 13:00, never sent -> overdue when færdigbehandlet on 6 Mar.
            stay("2026-03-02T10:00:00+01:00", pfp, fb_late, event("2026-03-06T15:00:00+01:00", "left_ward")),
            # Færdigbehandlet and discharged on 12 Mar: on the færdigbehandlet date (R-MIDT-NOTICE).
            fb_stay(2026, 2, 0, "0219"),
            # Registered on 12 Mar, left on 14 Mar.
            fb_stay(2026, 2, 2, "0219"),
        ]
    )
    tables = timeliness_tables(
        date(2026, 3, 1),
        date(2026, 3, 31),
        ("rule",),
        False,
        HOVEDSTADEN,
        ADMISSIONS_HOVEDSTADEN,
        cph("2026-04-15 12:00"),
    )
    assert cells(by_name(tables, "precond")) == [[NORD, "Hillerød", "3", "1", "33%"]]
    assert cells(by_name(tables, "notice")) == [["3", "2", "67%"]]
    messages = dict(cells(by_name(tables, "messages")))
    assert messages["MOF"] == "3" and messages["PFP"] == "1" and messages["ADVIS-UD"] == "2"


@pytest.mark.django_db
def test_a_region_scope_shows_nothing_of_another_region(time_machine):
    time_machine.move_to(cph("2026-04-15 12:00"), tick=False)
    load([fb_stay(2026, 1, 3, "0219")])
    sjaelland = Region.objects.get(slug="sjaelland").pk
    tables = faerdigbehandling_tables(
        date(2026, 3, 1),
        date(2026, 3, 31),
        ("hospital",),
        "month",
        Q(admission__ward__hospital__region_id=sjaelland),
    )
    assert all(table.rows == [] for table in tables)
