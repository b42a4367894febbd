"""R-MON-FB and R-FB-FEE: færdigbehandlede admissions, days, average and fee per group and period.

One grouped query over `FaerdigbehandlingDay`: a day belongs to the period of its own date, an admission
counts in a period when its registration date or any paid day falls in it, voided periods have no rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, DecimalField, Exists, OuterRef, Q, Sum, Value, When
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear

from coordination.models import FaerdigbehandlingDay, FaerdigbehandlingPeriod, FeeTariff

from .common import GROUPS, check_range

FB_GROUPS = ("hospital", "municipality")
NO_REASON = "uden begrundelse"  # R-FB-REASON warns of it; counted so the table adds up
PERIODS = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


@dataclass(frozen=True)
class FaerdigbehandlingRow:
    keys: dict[str, str]
    period: date | None  # the first day of the month, quarter or year; None over the whole range
    admissions: int
    days: int
    fee: Decimal | None  # None when a day falls in a year without a tariff
    disputed_mofs: int = 0  # R-FB-DISPUTE: disputed periods with a date in the range
    disputed_days: int = 0

    @property
    def average_days(self) -> Decimal:
        """Days per admission with one decimal, half up (seed 003: Hørsholm 2016, 21 / 22 = 1.0)."""
        if not self.admissions:
            return Decimal("0.0")
        return (Decimal(self.days) / Decimal(self.admissions)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def faerdigbehandling_rows(
    start: date,
    end: date,
    *,
    by: tuple[str, ...] = FB_GROUPS,
    period: str | None = None,
    scope: Q | None = None,
    tariffs: dict[int, Decimal] | None = None,
) -> list[FaerdigbehandlingRow]:
    """The figures over the dates from and including `start` up to and including `end`. `scope` limits the
    admissions (a manager's own hospital, municipality or region), as a filter on `admission__…`."""
    check_range(start, end)
    if tariffs is None:
        tariffs = fee_tariffs()
    rows = FaerdigbehandlingDay.objects.filter(day__gte=start, day__lte=end)
    if scope is not None:
        rows = rows.filter(scope)
    columns = [GROUPS[name] for name in by]
    if period is not None:
        rows = rows.annotate(bucket=PERIODS[period]("day"))
        columns.append("bucket")
    money = DecimalField(max_digits=14, decimal_places=2)
    # R-FB-FEE: each paid day at the tariff of its own year (a tariff changes on 1 January).
    fee = Sum(
        Case(
            *(When(paid=True, day__year=year, then=Value(rate)) for year, rate in tariffs.items()),
            default=Value(Decimal("0")),
            output_field=money,
        )
    )
    untariffed = Count("pk", filter=Q(paid=True) & ~Q(day__year__in=list(tariffs)))
    result = (
        rows.values(*columns)
        .annotate(
            admissions=Count("admission", distinct=True),
            days=Count("pk", filter=Q(paid=True)),
            fee=fee,
            untariffed=untariffed,
            disputed_mofs=Count("period", distinct=True, filter=Q(period__disputed=True)),
            disputed_days=Count("pk", filter=Q(paid=True, period__disputed=True)),
        )
        .order_by(*columns)
    )
    return [
        FaerdigbehandlingRow(
            keys={name: row[GROUPS[name]] for name in by},
            period=_as_date(row.get("bucket")),
            admissions=row["admissions"],
            days=row["days"],
            fee=None if row["untariffed"] else Decimal(row["fee"] or 0).quantize(Decimal("0.01")),
            disputed_mofs=row["disputed_mofs"],
            disputed_days=row["disputed_days"],
        )
        for row in result
    ]


def paid_days_per_month(start: date, end: date, *, scope: Q | None = None) -> list[tuple[str, date, int]]:
    """The paid days per municipality (code) and month, as `faerdigbehandling_rows(by=("municipality",),
    period="month")` counts them, without its distinct counts of admissions and periods: a plain grouped
    count that needs no sort (the chart of days; issue 15: a quarter of the page's time at 100,000
    admissions). A group whose days are all unpaid is kept, with 0."""
    check_range(start, end)
    rows = FaerdigbehandlingDay.objects.filter(day__gte=start, day__lte=end)
    if scope is not None:
        rows = rows.filter(scope)
    column = GROUPS["municipality"]
    return [
        (row[column], _as_date(row["bucket"]), row["days"])
        for row in rows.annotate(bucket=TruncMonth("day"))
        .values(column, "bucket")
        .annotate(days=Count("pk", filter=Q(paid=True)))
        .order_by(column, "bucket")
    ]


def fee_tariffs() -> dict[int, Decimal]:
    """R-FB-FEE: the tariff per day of each year, as an administrator set it."""
    return dict(FeeTariff.objects.values_list("year", "dkk_per_day"))


def _as_date(value) -> date | None:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def waiting_per_day(start: date, end: date, *, scope: Q | None = None) -> list[dict]:
    """R-MON-FB: the number of færdigbehandlede citizens waiting on each day, per municipality: admissions
    with a registration or a paid day on that date."""
    check_range(start, end)
    rows = FaerdigbehandlingDay.objects.filter(day__gte=start, day__lte=end)
    if scope is not None:
        rows = rows.filter(scope)
    return list(
        rows.values("admission__municipality__name", "day")
        .annotate(citizens=Count("admission", distinct=True))
        .order_by("admission__municipality__name", "day")
    )


def waiting_reasons(start: date, end: date, *, scope: Q | None = None) -> dict[str, int]:
    """R-MON-FB: what the færdigbehandlede waited for (several reasons per period): the kept periods with a
    date in the range, grouped in the database by their list of reasons, then counted per reason."""
    check_range(start, end)
    in_range = FaerdigbehandlingDay.objects.filter(period=OuterRef("pk"), day__gte=start, day__lte=end)
    periods = FaerdigbehandlingPeriod.objects.filter(Exists(in_range), voided=False)
    if scope is not None:
        periods = periods.filter(scope)
    counted: dict[str, int] = {}
    for row in periods.values("waiting_for").annotate(n=Count("pk")).order_by():
        for reason in row["waiting_for"] or [NO_REASON]:
            counted[reason] = counted.get(reason, 0) + row["n"]
    return dict(sorted(counted.items(), key=lambda item: (-item[1], item[0])))


def precondition_rows(start: date, end: date, *, by: tuple[str, ...], scope: Q | None = None) -> list[dict]:
    """R-FB-PRECOND: MOFs registered in the range, and of them those on an admission where the engine warned
    that the PFP deadline (R-PFP-DATE) was missed at the registration (the fee may be disputed)."""
    check_range(start, end)
    mofs = FaerdigbehandlingPeriod.objects.filter(
        registered_on__gte=start, registered_on__lte=end, voided=False
    )
    if scope is not None:
        mofs = mofs.filter(scope)
    columns = [GROUPS[name] for name in by]
    return [
        {"keys": {name: row[GROUPS[name]] for name in by}, "mofs": row["mofs"], "precond": row["precond"]}
        for row in mofs.values(*columns)
        .annotate(
            mofs=Count("pk"),
            # The stored warning names its rule id (a JSON string); the text around it is not read.
            precond=Count("pk", filter=Q(admission__warnings__icontains='"R-FB-PRECOND"')),
        )
        .order_by(*columns)
    ]
