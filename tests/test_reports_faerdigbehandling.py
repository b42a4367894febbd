"""R-MON-FB / R-FB-FEE figures and `report_faerdigbehandling` (CONTRACTS.md), from timelines recorded through
`load_timelines`."""

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest

from coordination.models import FeeTariff
from coordination.reports import faerdigbehandling_rows
from tests.conftest import cph
from tests.report_timelines import event, load, run_report, stay

NORD = "Nordsjællands Hospital"
HERLEV = "Herlev og Gentofte Hospital"
LOADED_AT = cph("2026-04-15 12:00")


def fb(at, day, *reasons):
    return event(at, "faerdigbehandlet", date=day, waiting_for=list(reasons) or ["plejebolig"])


def leaves(at):
    return [event(at, "left_ward"), event(at, "discharge_registered")]


HISTORY = [
    # Across new year: registered 28 Dec, left 3 Jan -> days 29, 30, 31 Dec and 1, 2, 3 Jan (6).
    stay(
        "2025-12-20T10:00:00+01:00",
        fb("2025-12-28T10:00:00+01:00", "2025-12-28"),
        *leaves("2026-01-03T11:00:00+01:00"),
    ),
    # Voided by mistake (R-FB-RESUME, error): counts nothing, not even the admission.
    stay(
        "2026-01-08T10:00:00+01:00",
        fb("2026-01-10T10:00:00+01:00", "2026-01-10"),
        event("2026-01-12T09:00:00+01:00", "treatment_resumed", reason="error"),
        *leaves("2026-01-15T11:00:00+01:00"),
    ),
    # A relapse, two periods: 21, 22 Jan (2) and 26, 27 Jan (2) -> one admission, 4 days.
    stay(
        "2026-01-18T10:00:00+01:00",
        fb("2026-01-20T10:00:00+01:00", "2026-01-20"),
        event("2026-01-22T09:00:00+01:00", "treatment_resumed", reason="relapse"),
        fb("2026-01-25T10:00:00+01:00", "2026-01-25"),
        *leaves("2026-01-27T11:00:00+01:00"),
    ),
    # Registered and gone the same day: 0 days, still one admission with færdigmelding (seed 003).
    stay(
        "2026-01-29T10:00:00+01:00",
        fb("2026-01-31T08:00:00+01:00", "2026-01-31"),
        *leaves("2026-01-31T15:00:00+01:00"),
    ),
    # Across a month end: 31 Jan (1) and 1, 2 Feb (2).
    stay(
        "2026-01-28T10:00:00+01:00",
        fb("2026-01-30T10:00:00+01:00", "2026-01-30", "hjemmepleje", "hjaelpemidler"),
        *leaves("2026-02-02T11:00:00+01:00"),
    ),
    # Herlev, København: 0 days and 1 day in February -> 1 / 2 = 0.5, an average below 1.
    stay(
        "2026-02-01T10:00:00+01:00",
        fb("2026-02-03T10:00:00+01:00", "2026-02-03"),
        *leaves("2026-02-03T16:00:00+01:00"),
        hospital=HERLEV,
        ward="Geriatrisk afsnit",
        municipality="0101",
    ),
    stay(
        "2026-02-01T10:00:00+01:00",
        fb("2026-02-04T10:00:00+01:00", "2026-02-04"),
        *leaves("2026-02-05T16:00:00+01:00"),
        hospital=HERLEV,
        ward="Geriatrisk afsnit",
        municipality="0101",
    ),
    # Still waiting when loaded: registered 10 Apr, open -> 11..15 Apr counted up to the clock's date (5).
    stay("2026-04-06T10:00:00+02:00", fb("2026-04-10T10:00:00+02:00", "2026-04-10")),
]


@pytest.fixture
def history(db, time_machine):
    time_machine.move_to(LOADED_AT, tick=False)
    load(HISTORY)


def rows(*args):
    code, out, err = run_report("report_faerdigbehandling", *args)
    assert code == 0, err
    return out.splitlines()


def test_days_belong_to_the_month_of_their_own_date_and_voided_registrations_count_nothing(history):
    # December: 29, 30, 31 Dec of the new-year stay.
    assert rows("--from", "2025-12-01", "--to", "2025-12-31") == [
        "hospital,municipality,admissions,days,average_days",
        f"{NORD},0219,1,3,3.0",
    ]
    # January, Nordsjælland: new year 3 + relapse 4 + same day 0 + month end 1 = 8 days over 4 admissions
    # (the voided one is not counted).
    assert rows("--from", "2026-01-01", "--to", "2026-01-31") == [
        "hospital,municipality,admissions,days,average_days",
        f"{NORD},0219,4,8,2.0",
    ]
    # February: month end 2 days (1 admission); Herlev 0 + 1 day over 2 admissions = 0.5.
    assert rows("--from", "2026-02-01", "--to", "2026-02-28", "--by", "hospital") == [
        "hospital,admissions,days,average_days",
        f"{HERLEV},2,1,0.5",
        f"{NORD},1,2,2.0",
    ]


def test_a_single_day_and_an_open_period_up_to_the_clocks_date(history):
    # 1 Jan alone: only the new-year stay has a day there.
    assert rows("--from", "2026-01-01", "--to", "2026-01-01", "--by", "municipality") == [
        "municipality,admissions,days,average_days",
        "0219,1,1,1.0",
    ]
    # April: the open period, registered 10 Apr, counts 11-15 Apr on the 15th.
    assert rows("--from", "2026-04-01", "--to", "2026-04-30") == [
        "hospital,municipality,admissions,days,average_days",
        f"{NORD},0219,1,5,5.0",
    ]


def test_json_has_the_same_keys_and_figures(history):
    code, out, _ = run_report(
        "report_faerdigbehandling", "--from", "2026-02-01", "--to", "2026-02-28", "--format", "json"
    )
    assert code == 0
    assert json.loads(out) == [
        {"hospital": HERLEV, "municipality": "0101", "admissions": 2, "days": 1, "average_days": 0.5},
        {"hospital": NORD, "municipality": "0219", "admissions": 1, "days": 2, "average_days": 2.0},
    ]


def test_the_average_is_rounded_half_up_to_one_decimal():
    # Seed 003, Hørsholm 2016: 21 days over 22 admissions is shown as 1.0 (0.954…); 1/8 = 0.125 -> 0.1.
    from coordination.reports.faerdigbehandling import FaerdigbehandlingRow

    assert FaerdigbehandlingRow({}, None, 22, 21, None).average_days == Decimal("1.0")
    assert FaerdigbehandlingRow({}, None, 8, 1, None).average_days == Decimal("0.1")
    assert FaerdigbehandlingRow({}, None, 4, 1, None).average_days == Decimal("0.3")  # 0.25 half up


def test_the_fee_takes_each_days_tariff_when_it_changes_on_1_january(history):
    FeeTariff.objects.create(year=2025, dkk_per_day=Decimal("2000.00"))
    FeeTariff.objects.create(year=2026, dkk_per_day=Decimal("2100.00"))
    by_year = faerdigbehandling_rows(date(2025, 12, 1), date(2026, 1, 31), by=("hospital",), period="year")
    # 2025: 3 days x 2000; 2026 (Jan): 8 days x 2100.
    assert [(r.period, r.admissions, r.days, r.fee) for r in by_year] == [
        (date(2025, 1, 1), 1, 3, Decimal("6000.00")),
        (date(2026, 1, 1), 4, 8, Decimal("16800.00")),
    ]
    # Over the whole range at once: the 3 December days at 2000, the 8 January days at 2100.
    (whole,) = faerdigbehandling_rows(date(2025, 12, 1), date(2026, 1, 31), by=("hospital",))
    assert (whole.admissions, whole.days, whole.fee) == (4, 11, Decimal("22800.00"))


def test_the_fee_is_unknown_for_a_year_without_tariff(history):
    FeeTariff.objects.create(year=2026, dkk_per_day=Decimal("2100.00"))
    (row,) = faerdigbehandling_rows(date(2025, 12, 1), date(2026, 1, 31), by=("hospital",))
    assert row.fee is None


def test_months_and_quarters_split_the_days(history):
    monthly = faerdigbehandling_rows(date(2025, 12, 1), date(2026, 2, 28), by=("hospital",), period="month")
    assert [(r.keys["hospital"], r.period, r.admissions, r.days) for r in monthly] == [
        (HERLEV, date(2026, 2, 1), 2, 1),
        (NORD, date(2025, 12, 1), 1, 3),
        (NORD, date(2026, 1, 1), 4, 8),
        (NORD, date(2026, 2, 1), 1, 2),
    ]
    quarters = faerdigbehandling_rows(
        date(2025, 10, 1), date(2026, 6, 30), by=("hospital",), period="quarter"
    )
    assert [(r.keys["hospital"], r.period, r.admissions, r.days) for r in quarters] == [
        (HERLEV, date(2026, 1, 1), 2, 1),
        (NORD, date(2025, 10, 1), 1, 3),
        (NORD, date(2026, 1, 1), 4, 10),
        (NORD, date(2026, 4, 1), 1, 5),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, complaint",
    [
        (["--from", "2026-13-01", "--to", "2026-12-31"], "--from"),
        (["--from", "2026-02-01", "--to", "1. marts"], "--to"),
        (["--from", "2026-03-01", "--to", "2026-02-01"], "før"),
        (["--from", "2026-01-01", "--to", "2026-01-31", "--by", "ward"], "--by"),
    ],
)
def test_unusable_input_exits_2_with_one_line_and_no_output(args, complaint):
    code, out, err = run_report("report_faerdigbehandling", *args)
    assert (code, out) == (2, "")
    assert complaint in err


def test_on_the_command_line_a_missing_bound_exits_2():
    done = subprocess.run(
        [sys.executable, "manage.py", "report_faerdigbehandling", "--to", "2026-01-31"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "--from" in done.stderr


def test_an_open_period_grows_by_a_day_at_each_copenhagen_midnight_through_the_sweep(history, time_machine):
    # Loaded on 15 Apr: the open period counts 11-15 Apr. The sweep after midnight re-derives it (the engine's
    # reevaluate_at is the next Copenhagen midnight), so on 17 Apr it counts 11-17 Apr.
    time_machine.move_to(cph("2026-04-17 00:05"), tick=False)
    code, _, err = run_report("sweep_reminders")
    assert code == 0, err
    assert rows("--from", "2026-04-01", "--to", "2026-04-30")[1] == f"{NORD},0219,1,7,7.0"
