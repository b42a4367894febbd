"""R-MON-TIMELY figures and `report_timeliness` (CONTRACTS.md): met, late, missed and open per rule, by the
Copenhagen date of the due, around the daylight-saving changes."""

import json

import pytest

from coordination.models import Obligation
from tests.conftest import cph
from tests.report_timelines import event, load, message, run_report, stay

LOADED_AT = cph("2026-11-10 12:00")
NORD = "Nordsjællands Hospital"
HERLEV = "Herlev og Gentofte Hospital"

HISTORY = [
    # Summer time starts 29 Mar 02:00 -> 03:00. Advis 28 Mar 20:00 +01:00 (19:00Z) + 8 elapsed hours
    # = 29 Mar 05:00 +02:00 (03:00Z), not 04:00 by the wall clock.
    stay("2026-03-28T20:00:00+01:00", message("2026-03-29T04:30:00+02:00", "MILR")),  # met, 30 min before
    stay("2026-03-28T20:00:00+01:00", message("2026-03-29T04:30:00+01:00", "MILR")),  # 05:30 +02:00: late
    stay("2026-03-28T21:00:00+01:00"),  # due 29 Mar 06:00 +02:00, never sent: missed
    # Summer time ends 25 Oct 03:00 -> 02:00. Advis 24 Oct 20:00 +02:00 (18:00Z) + 8 h = 25 Oct 03:00 +01:00.
    stay(
        "2026-10-24T20:00:00+02:00",
        message("2026-10-25T02:30:00+01:00", "MILR"),  # met (the wall clock would say 04:00 was the due)
        hospital=HERLEV,
        ward="Geriatrisk afsnit",
        municipality="0157",
    ),
    stay(
        "2026-10-24T20:00:00+02:00",
        message("2026-10-25T03:30:00+01:00", "MILR"),  # late
        hospital=HERLEV,
        ward="Geriatrisk afsnit",
        municipality="0157",
    ),
    # Advis 24 Oct 16:30 +02:00 -> due 25 Oct 00:30 +02:00, which is 24 Oct 22:30 UTC: a 25 Oct due.
    stay("2026-10-24T16:30:00+02:00", message("2026-10-24T18:00:00+02:00", "MILR")),
    # Loaded at 10 Nov 12:00: advis at 10:00 -> due 18:00 still ahead: open.
    stay("2026-11-10T10:00:00+01:00"),
    # A need for further coordination: R-PFP-COORD, "hurtigst muligt", has no due.
    stay(
        "2026-11-02T10:00:00+01:00", event("2026-11-02T12:00:00+01:00", "coordination_identified", reason="x")
    ),
]


@pytest.fixture
def history(db, time_machine):
    time_machine.move_to(LOADED_AT, tick=False)
    load(HISTORY)


def report(*args):
    code, out, err = run_report("report_timeliness", *args)
    assert code == 0, err
    return out.splitlines()


def milr(lines):
    return [line for line in lines if line.startswith("R-MILR") or line.startswith("rule")]


def test_met_late_and_missed_when_summer_time_starts(history):
    assert milr(report("--from", "2026-03-29", "--to", "2026-03-29")) == [
        "rule,met,late,missed,open",
        "R-MILR,1,1,1,0",
    ]


def test_a_due_counts_on_its_copenhagen_date_when_summer_time_ends(history):
    # 25 Oct holds the two DST ones and the one due 00:30 +02:00 (still 24 Oct in UTC); 24 Oct holds none.
    assert milr(report("--from", "2026-10-25", "--to", "2026-10-25")) == [
        "rule,met,late,missed,open",
        "R-MILR,2,1,0,0",
    ]
    assert milr(report("--from", "2026-10-24", "--to", "2026-10-24")) == ["rule,met,late,missed,open"]


def test_an_obligation_with_its_due_ahead_is_open(history):
    assert milr(report("--from", "2026-11-10", "--to", "2026-11-10")) == [
        "rule,met,late,missed,open",
        "R-MILR,0,0,0,1",
    ]


def test_grouped_by_owner_hospital_and_municipality_in_the_contracts_column_order(history):
    lines = report("--from", "2026-10-25", "--to", "2026-10-25", "--by", "municipality,hospital,rule,owner")
    assert lines[0] == "rule,owner,hospital,municipality,met,late,missed,open"
    assert f"R-MILR,municipality,{HERLEV},0157,1,1,0,0" in lines
    assert f"R-MILR,municipality,{NORD},0219,1,0,0,0" in lines


def test_json_carries_the_same_figures(history):
    code, out, _ = run_report(
        "report_timeliness", "--from", "2026-03-29", "--to", "2026-03-29", "--format", "json"
    )
    assert code == 0
    assert {"rule": "R-MILR", "met": 1, "late": 1, "missed": 1, "open": 0} in json.loads(out)


def test_obligations_without_a_due_are_not_counted(history):
    assert Obligation.objects.filter(rule="R-PFP-COORD", due_at__isnull=True).count() == 1
    lines = report("--from", "2020-01-01", "--to", "2030-12-31")
    assert not [line for line in lines if line.startswith("R-PFP-COORD,")]
    counted = sum(sum(int(n) for n in line.split(",")[1:]) for line in lines[1:])
    assert counted == Obligation.objects.filter(due_at__isnull=False).count()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, complaint",
    [
        (["--from", "2026-02-30", "--to", "2026-03-01"], "--from"),
        (["--from", "2026-03-01", "--to", "2026-02-01"], "før"),
        (["--from", "2026-01-01", "--to", "2026-01-31", "--by", "rule,colour"], "--by"),
    ],
)
def test_unusable_input_exits_2(args, complaint):
    code, out, err = run_report("report_timeliness", *args)
    assert (code, out) == (2, "")
    assert complaint in err
