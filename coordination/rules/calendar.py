"""Copenhagen local time, elapsed hours, weekdays and the end of a day.

RULES.md "How an obligation is judged": times of day are wall-clock times in Europe/Copenhagen, "N hours
after" is elapsed time, both right across the daylight-saving changes; "the end of day X" is 00:00 local
time of the following day; a weekday (hverdag) is Monday-Friday that is not a Danish public holiday.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

COPENHAGEN = ZoneInfo("Europe/Copenhagen")

# The years a time or date given by a person or a file may fall in (issue 11), in one place for the forms,
# the services, replay_timeline and load_timelines: a typing slip such as year 1 or 9999 is refused with a
# clear message instead of reaching the deadlines (arithmetic next to datetime.min/max overflows).
FIRST_YEAR, LAST_YEAR = 2000, 2100


def in_accepted_range(moment: date) -> bool:
    """Whether a date (or a time, by its own calendar date) lies in the years FIRST_YEAR..LAST_YEAR."""
    return FIRST_YEAR <= moment.year <= LAST_YEAR


def local(moment: datetime) -> datetime:
    """The same instant expressed in Copenhagen time (carrying the offset in force then)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: the rules only work with aware times")
    return moment.astimezone(COPENHAGEN)


def local_date(moment: datetime) -> date:
    """The Copenhagen calendar date of an instant."""
    return local(moment).date()


def at_local(day: date, clock: time) -> datetime:
    """Wall-clock `clock` on `day` in Copenhagen.

    A time that does not exist (02:30 on the last Sunday of March) or exists twice (02:30 on the last Sunday
    of October) is read with fold=0, i.e. with the offset before the change, and then normalised through
    UTC, so a skipped 02:30 becomes 03:30 +02:00 and an ambiguous one is its first occurrence (+02:00).
    """
    naive = datetime.combine(day, clock.replace(tzinfo=None, fold=0))
    return naive.replace(tzinfo=COPENHAGEN).astimezone(UTC).astimezone(COPENHAGEN)


def instant(moment: datetime) -> datetime:
    """The instant in UTC, for comparing and subtracting.

    Python compares and subtracts two datetimes that share one tzinfo object by their wall clocks, so two
    Copenhagen times on either side of a DST change would be an hour off; in UTC they never are.
    """
    if moment.tzinfo is None:
        raise ValueError("naive datetime: the rules only work with aware times")
    return moment.astimezone(UTC)


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time from `start` to `end`, right across DST changes."""
    return instant(end) - instant(start)


def add_hours(moment: datetime, hours: float) -> datetime:
    """`hours` elapsed hours after `moment` (arithmetic in UTC: a DST change neither adds nor drops one)."""
    return local(moment.astimezone(UTC) + timedelta(hours=hours))


def end_of_day(day: date) -> datetime:
    """The end of `day`: 00:00 Copenhagen time on the following day."""
    return at_local(day + timedelta(days=1), time(0, 0))


def in_daily_window(moment: datetime, start: time, end: time) -> bool:
    """Whether the local time of `moment` is in [start, end), a window that may run past midnight."""
    clock = local(moment).time().replace(tzinfo=None)
    if start <= end:
        return start <= clock < end
    return clock >= start or clock < end


@lru_cache(maxsize=64)
def _danish_public_holidays(year: int) -> frozenset[date]:
    # Only the `holidays` library's default "public" category: the helligdage. Grundlovsdag, juleaftensdag,
    # nytårsaftensdag and 1. maj are only "optional" there, and are ordinary weekdays by law, so they stay
    # weekdays here. Store bededag is in the calendar up to 2023 and gone from 2024, as in law.
    return frozenset(holidays.country_holidays("DK", years=year).keys())


def is_public_holiday(day: date) -> bool:
    return day in _danish_public_holidays(day.year)


def is_weekday(day: date) -> bool:
    """Monday-Friday and not a Danish public holiday (hverdag)."""
    return day.weekday() < 5 and not is_public_holiday(day)


def first_weekday_after(day: date) -> date:
    """The first weekday strictly after `day` ("efterfølgende hverdag", "førstkommende hverdag")."""
    candidate = day + timedelta(days=1)
    while not is_weekday(candidate):
        candidate += timedelta(days=1)
    return candidate


def next_local_midnight(moment: datetime) -> datetime:
    """The first 00:00 Copenhagen time after `moment` (when the local date changes next)."""
    return end_of_day(local_date(moment))
