"""The figures equal what `replay_timeline` says of the same timelines (issue 13): random timelines recorded
with `load_timelines`, the reports compared obligation by obligation and day by day with the replays."""

import csv
import io
import random
from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from coordination import rules
from coordination.management.commands.load_timelines import load_line
from coordination.rules.calendar import COPENHAGEN, local_date
from coordination.services import ServiceError
from coordination.timelines import TimelineRefused, replay
from tests.conftest import cph
from tests.report_timelines import admitted, event, message, new_cpr, run_report, timeline

LOADED_AT = cph("2026-04-20 12:00")
PLACES = [
    ("Nordsjællands Hospital", "Medicinsk afdeling", "0219"),
    ("Nordsjællands Hospital", "Medicinsk afdeling", "0217"),
    ("Herlev og Gentofte Hospital", "Geriatrisk afsnit", "0157"),
    ("Herlev og Gentofte Hospital", "Kardiologisk afsnit", "0219"),
]
OUTCOMES = {"met": "met", "late": "late", "overdue": "missed", "open": "open"}


def random_timeline(rng: random.Random) -> dict:
    """Admission, advis, maybe MILR, færdigbehandlet, maybe resumed (relapse or error) and registered again,
    maybe the departure; between October 2025 and April 2026, both daylight-saving changes around."""
    start = cph("2025-10-01 00:00") + timedelta(minutes=rng.randrange(0, 60 * 24 * 180))
    at = start
    events = [admitted(at.isoformat()), message(at.isoformat(), "ADVIS-IND")]

    def later(low_hours, high_hours):
        nonlocal at
        at = (at + timedelta(minutes=rng.randrange(int(low_hours * 60), int(high_hours * 60)))).astimezone(
            COPENHAGEN
        )
        return at.isoformat()

    if rng.random() < 0.8:
        events.append(message(later(0.5, 14), "MILR"))
    stamp = later(6, 24 * 8)
    events.append(
        event(stamp, "faerdigbehandlet", date=local_date(at).isoformat(), waiting_for=["plejebolig"])
    )
    if rng.random() < 0.4:
        events.append(event(later(2, 24 * 4), "treatment_resumed", reason=rng.choice(["relapse", "error"])))
        if rng.random() < 0.6:
            stamp = later(25, 24 * 4)
            events.append(event(stamp, "faerdigbehandlet", date=local_date(at).isoformat()))
    if rng.random() < 0.75:
        events.append(event(later(1, 24 * 5), "left_ward"))
        events.append(event(later(0.2, 3.5), "discharge_registered"))
    hospital, ward, municipality = rng.choice(PLACES)
    return timeline(events, hospital=hospital, ward=ward, municipality=municipality, cpr=new_cpr())


def csv_rows(*args) -> list[dict]:
    code, out, err = run_report(*args)
    assert code == 0, err
    return list(csv.DictReader(io.StringIO(out)))


@pytest.mark.django_db
def test_the_reports_equal_the_replays_of_random_timelines(time_machine):
    time_machine.move_to(LOADED_AT, tick=False)
    rng = random.Random(13)
    loaded = []
    for _ in range(40):
        obj = random_timeline(rng)
        try:
            load_line(obj, now=LOADED_AT)
        except (ServiceError, TimelineRefused, rules.TimelineError):
            continue  # a refused line leaves nothing behind; it is not in the figures either
        loaded.append(obj)
    assert len(loaded) >= 30
    replays = [
        (obj["where"], replay(rules.parse_timeline({**obj, "now": LOADED_AT.isoformat()}))) for obj in loaded
    ]

    start, end = date(2025, 11, 1), date(2026, 3, 31)
    expected = Counter()
    for where, out in replays:
        for ob in out["obligations"]:
            if ob["due"] is None:
                continue
            due_day = local_date(datetime.fromisoformat(ob["due"]))
            if start <= due_day <= end:
                key = (ob["rule"], ob["owner"], where["hospital"], where["municipality"])
                expected[(*key, OUTCOMES[ob["status"]])] += 1
    actual = Counter()
    for row in csv_rows(
        "report_timeliness",
        "--from",
        str(start),
        "--to",
        str(end),
        "--by",
        "rule,owner,hospital,municipality",
    ):
        key = (row["rule"], row["owner"], row["hospital"], row["municipality"])
        for outcome in ("met", "late", "missed", "open"):
            if int(row[outcome]):
                actual[(*key, outcome)] += int(row[outcome])
    assert sum(expected.values()) > 50
    assert {outcome for *_, outcome in expected} == {"met", "late", "missed"}  # open: none due ahead by April
    assert actual == expected

    days, admissions = Counter(), {}
    for n, (where, out) in enumerate(replays):
        key = (where["hospital"], where["municipality"])
        for period in out["faerdigbehandling"]["periods"]:
            if period["voided"]:
                continue
            registered = date.fromisoformat(period["registered"])
            paid = [registered + timedelta(days=i) for i in range(1, period["days"] + 1)]
            in_range = [d for d in paid if start <= d <= end]
            days[key] += len(in_range)
            if in_range or start <= registered <= end:
                admissions.setdefault(key, set()).add(n)
    expected_fb = {key: (len(admissions[key]), days[key]) for key in admissions}
    actual_fb = {
        (row["hospital"], row["municipality"]): (int(row["admissions"]), int(row["days"]))
        for row in csv_rows("report_faerdigbehandling", "--from", str(start), "--to", str(end))
    }
    assert sum(d for _, d in expected_fb.values()) > 20
    assert actual_fb == expected_fb
