"""The figures (R-MON-FB, R-FB-FEE, R-MON-TIMELY): grouped queries over what the engine derived and stored
(`Obligation`, `FaerdigbehandlingDay`). Nothing here works out a rule; it counts and sums."""

from .common import GROUPS, ReportInputError, parse_by, parse_day
from .faerdigbehandling import FaerdigbehandlingRow, faerdigbehandling_rows
from .timeliness import TimelinessRow, timeliness_rows

__all__ = [
    "GROUPS",
    "FaerdigbehandlingRow",
    "ReportInputError",
    "TimelinessRow",
    "faerdigbehandling_rows",
    "parse_by",
    "parse_day",
    "timeliness_rows",
]
