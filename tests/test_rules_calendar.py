"""Copenhagen local time, elapsed hours across DST, end of day and Danish weekdays."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from coordination.rules.calendar import (
    add_hours,
    at_local,
    end_of_day,
    first_weekday_after,
    in_daily_window,
    is_weekday,
    local,
)


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        # 20:00 +01:00 is 19:00Z; +8h = 03:00Z, after the March change (01:00Z) = 05:00 +02:00
        ("2026-03-28T20:00:00+01:00", 8, "2026-03-29T05:00:00+02:00"),
        # 22:00 +02:00 is 20:00Z; +8h = 04:00Z, after the October change (01:00Z) = 05:00 +01:00
        ("2026-10-24T22:00:00+02:00", 8, "2026-10-25T05:00:00+01:00"),
        # 24 elapsed hours across the March change end at 11:00 local, not 10:00
        ("2026-03-28T10:00:00+01:00", 24, "2026-03-29T11:00:00+02:00"),
        # ... and across the October change at 09:00 local
        ("2026-10-24T10:00:00+02:00", 24, "2026-10-25T09:00:00+01:00"),
        # an input in UTC comes out in Copenhagen time
        ("2026-02-02T13:21:00+00:00", 8, "2026-02-02T22:21:00+01:00"),
    ],
    ids=["march-8h", "october-8h", "march-24h", "october-24h", "utc-input"],
)
def test_elapsed_hours_are_counted_in_real_time_across_dst(start, hours, expected):
    result = add_hours(datetime.fromisoformat(start), hours)
    assert result.isoformat() == expected


@pytest.mark.parametrize(
    ("day", "clock", "expected"),
    [
        ("2026-03-28", time(13), "2026-03-28T13:00:00+01:00"),
        ("2026-03-29", time(13), "2026-03-29T13:00:00+02:00"),  # the March change day, afternoon: summer time
        ("2026-10-25", time(13), "2026-10-25T13:00:00+01:00"),  # the October change day, afternoon: winter
        # 02:30 does not exist on 29 March: read with the winter offset, it is 03:30 summer time
        ("2026-03-29", time(2, 30), "2026-03-29T03:30:00+02:00"),
        # 02:30 exists twice on 25 October: the first one (fold=0, still summer time)
        ("2026-10-25", time(2, 30), "2026-10-25T02:30:00+02:00"),
    ],
    ids=["winter", "march-change-day", "october-change-day", "march-gap", "october-ambiguous"],
)
def test_wall_clock_times_get_the_offset_of_that_day(day, clock, expected):
    assert at_local(date.fromisoformat(day), clock).isoformat() == expected


def test_the_end_of_a_day_is_local_midnight_of_the_next_even_when_the_clock_changes():
    assert end_of_day(date(2026, 3, 28)).isoformat() == "2026-03-29T00:00:00+01:00"
    assert end_of_day(date(2026, 3, 29)).isoformat() == "2026-03-30T00:00:00+02:00"
    assert end_of_day(date(2026, 10, 25)).isoformat() == "2026-10-26T00:00:00+01:00"


def test_local_rejects_a_naive_time():
    with pytest.raises(ValueError):
        local(datetime(2026, 1, 1, 12, 0))


@pytest.mark.parametrize(
    ("day", "weekday"),
    [
        ("2026-04-01", True),  # Wednesday before Easter
        ("2026-04-02", False),  # Skærtorsdag
        ("2026-04-03", False),  # Langfredag
        ("2026-04-06", False),  # 2. påskedag
        ("2026-05-14", False),  # Kristi himmelfartsdag
        ("2026-05-25", False),  # 2. pinsedag
        ("2026-12-25", False),  # Juledag
        ("2026-12-26", False),  # Saturday and 2. juledag
        ("2026-01-01", False),  # Nytårsdag
        ("2023-05-05", False),  # Store bededag 2023: still a public holiday
        ("2024-04-26", True),  # Store bededag abolished from 2024: an ordinary Friday
        ("2026-06-05", True),  # Grundlovsdag: not a helligdag, an ordinary weekday by law
        ("2026-12-24", True),  # Juleaftensdag: not a helligdag
        ("2026-12-31", True),  # Nytårsaftensdag: not a helligdag
        ("2026-05-01", True),  # 1. maj: not a public holiday
        ("2026-04-04", False),  # a Saturday
    ],
)
def test_weekdays_are_monday_to_friday_except_danish_public_holidays(day, weekday):
    assert is_weekday(date.fromisoformat(day)) is weekday


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-04-01", "2026-04-07"),  # Wed before Easter -> Thu/Fri/Sat/Sun/Mon all off -> Tuesday
        ("2026-12-24", "2026-12-28"),  # Thu 24 Dec -> 25/26 Dec, weekend -> Monday 28 Dec
        ("2026-12-23", "2026-12-24"),  # Wed 23 Dec -> juleaftensdag counts as a weekday
        ("2023-05-04", "2023-05-08"),  # Thu -> Store bededag 2023 -> weekend -> Monday
        ("2024-04-25", "2024-04-26"),  # Thu -> Friday 26 April 2024 is a weekday
        ("2026-02-06", "2026-02-09"),  # Friday -> Monday
    ],
)
def test_the_first_weekday_after_skips_weekends_and_holidays(day, expected):
    assert first_weekday_after(date.fromisoformat(day)) == date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        ("2026-02-02T22:59:00+01:00", False),
        ("2026-02-02T23:00:00+01:00", True),  # start included
        ("2026-02-03T03:00:00+01:00", True),
        ("2026-02-03T06:59:00+01:00", True),
        ("2026-02-03T07:00:00+01:00", False),  # end excluded
        ("2026-02-03T05:30:00+00:00", True),  # 06:30 Copenhagen
    ],
)
def test_a_window_over_midnight_includes_its_start_and_excludes_its_end(moment, inside):
    assert in_daily_window(datetime.fromisoformat(moment), time(23), time(7)) is inside
