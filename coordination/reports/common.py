"""What both reports share: the grouping columns, the date bounds in Copenhagen time, input checks."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from coordination.rules.calendar import at_local

# Grouping column -> the stored field it reads, through the admission. The municipality is its official
# four-digit code (as load_timelines takes it); hospital and ward by name.
GROUPS = {
    "rule": "rule",
    "owner": "owner",
    "region": "admission__ward__hospital__region__name",
    "hospital": "admission__ward__hospital__name",
    "ward": "admission__ward__name",
    "municipality": "admission__municipality__code",
}


class ReportInputError(ValueError):
    """Unusable input for a report: a Danish line for the person (exit 2 on the command line)."""


def parse_day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError) as error:
        raise ReportInputError(f"{name} skal være en dato som ÅÅÅÅ-MM-DD, ikke {text!r}") from error


def parse_by(text: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """'hospital,municipality' -> the named columns in the report's own column order."""
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [n for n in names if n not in allowed]
    if not names or unknown:
        raise ReportInputError(f"--by kan være {', '.join(allowed)} (kommasepareret), ikke {text!r}")
    return tuple(n for n in allowed if n in names)


def check_range(start: date, end: date) -> None:
    if end < start:
        raise ReportInputError(f"--to ({end}) ligger før --from ({start})")


def local_day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """From Copenhagen midnight of `start` up to (not including) Copenhagen midnight after `end`: a day of
    23 or 25 hours at a daylight-saving change is still one day."""
    return (
        at_local(start, time(0)),
        at_local(end + timedelta(days=1), time(0)),
    )
