"""R-MON-TIMELY: obligations with a due, by the Copenhagen date of the due, counted met on time, met late,
missed (not met, due passed: `overdue` in REPLAY.md) and open (not met, due ahead), judged at `now`.

One grouped query over `Obligation` as the engine stored it (status open/met/late; overdue is open with the
due passed, exactly as `Obligation.status_at`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from coordination.models import Obligation, ObligationStatus
from coordination.rules.calendar import COPENHAGEN

from .common import GROUPS, check_range, local_day_bounds

TIMELY_GROUPS = ("rule", "owner", "hospital", "municipality")
OUTCOMES_ORDER = ("met", "late", "missed", "open")


@dataclass(frozen=True)
class TimelinessRow:
    keys: dict[str, str]
    month: date | None
    met: int
    late: int
    missed: int
    open: int

    @property
    def total(self) -> int:
        return self.met + self.late + self.missed + self.open

    def share(self, field: str) -> float:
        return getattr(self, field) / self.total if self.total else 0.0


def timeliness_obligations(start: date, end: date, *, scope: Q | None = None):
    check_range(start, end)
    since, until = local_day_bounds(start, end)
    obligations = Obligation.objects.filter(due_at__gte=since, due_at__lt=until)
    return obligations.filter(scope) if scope is not None else obligations


def outcome_filter(outcome: str, now: datetime) -> Q:
    """Which stored obligations count as this outcome at `now` (the drill-down uses the same filter)."""
    return {
        "met": Q(status=ObligationStatus.MET),
        "late": Q(status=ObligationStatus.LATE),
        # One that can no longer be met (R-FLOW, the engine's `possible`) is missed already (issue 14).
        "missed": Q(status=ObligationStatus.OPEN) & (Q(due_at__lt=now) | Q(possible=False)),
        "open": Q(status=ObligationStatus.OPEN, due_at__gte=now, possible=True),
    }[outcome]


def timeliness_rows(
    start: date,
    end: date,
    *,
    now: datetime,
    by: tuple[str, ...] = ("rule",),
    monthly: bool = False,
    scope: Q | None = None,
) -> list[TimelinessRow]:
    obligations = timeliness_obligations(start, end, scope=scope)
    columns = [GROUPS[name] for name in by]
    if monthly:
        obligations = obligations.annotate(month=TruncMonth("due_at", tzinfo=COPENHAGEN))
        columns.append("month")
    result = (
        obligations.values(*columns)
        .annotate(
            **{
                outcome: Count("pk", filter=outcome_filter(outcome, now))
                for outcome in ("met", "late", "missed", "open")
            }
        )
        .order_by(*columns)
    )
    return [
        TimelinessRow(
            keys={name: row[GROUPS[name]] for name in by},
            month=row["month"].date() if monthly else None,
            met=row["met"],
            late=row["late"],
            missed=row["missed"],
            open=row["open"],
        )
        for row in result
    ]
