"""The figures as tables for the pages, the exports and the PDF: a title, a header and rows of cells (a cell
may link to the admissions behind it). Built from the grouped queries; nothing here counts anything."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext as _

from coordination.models import Admission, Event, FaerdigbehandlingPeriod, Municipality
from coordination.presentation import WAITING_LABELS
from coordination.rules.calendar import COPENHAGEN

from .charts import Chart
from .common import GROUPS, local_day_bounds
from .faerdigbehandling import (
    NO_REASON,
    faerdigbehandling_rows,
    fee_tariffs,
    paid_days_per_month,
    precondition_rows,
    waiting_per_day,
    waiting_reasons,
)
from .timeliness import timeliness_rows

OUTCOMES = ("met", "late", "missed", "open")


@dataclass
class Cell:
    value: object
    href: str = ""

    def __str__(self) -> str:
        return _text(self.value)


@dataclass
class Table:
    name: str
    title: str
    header: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""

    def plain_rows(self) -> list[list]:
        return [[c.value for c in row] for row in self.rows]


def _text(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, Decimal):
        # Danish figures: 6.000,00 kr.; an average keeps its one decimal (2,6 as seed 003 shows it).
        decimals = max(0, -value.as_tuple().exponent)
        return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",").replace("\u202f", ".")
    if isinstance(value, float):
        return f"{value:.0%}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _labels():
    return {
        "rule": _("Regel"),
        "owner": _("Ansvarlig"),
        "region": _("Region"),
        "hospital": _("Hospital"),
        "ward": _("Afsnit"),
        "municipality": _("Kommune"),
    }


PERIOD_FORMATS = {"month": "%Y-%m", "quarter": None, "year": "%Y"}


def _period_label(day: date, period: str) -> str:
    if period == "quarter":
        return f"{day.year} K{(day.month - 1) // 3 + 1}"
    return day.strftime(PERIOD_FORMATS[period])


def _key_cells(keys: dict, names: dict[str, str]) -> list[Cell]:
    """The grouping columns as people read them: a municipality by its name (the commands keep the code)."""
    return [Cell(names.get(v, v) if k == "municipality" else v) for k, v in keys.items()]


def _municipality_names() -> dict[str, str]:
    return dict(Municipality.objects.values_list("code", "name"))


def _change(now: int, before: int | None) -> str:
    return "–" if before is None else f"{now - before:+d}"


def faerdigbehandling_tables(
    start: date, end: date, by: tuple[str, ...], period: str, scope: Q, waiting_rows: list[dict] | None = None
) -> list[Table]:
    """`waiting_rows`: `waiting_per_day(start, end, scope=scope)` when the caller has it already (the page
    shows it as a table and as a chart; one of the page's slowest queries, issue 15)."""
    labels, names, tariffs = _labels(), _municipality_names(), fee_tariffs()
    main = Table(
        "periods",
        _("Færdigbehandlingsdage pr. periode"),
        [labels[b] for b in by]
        + [
            _("Periode"),
            _("Indlæggelser"),
            _("Dage"),
            _("Gns. dage"),
            _("Takst, kr."),
            _("Bestridte MOF"),
            _("Dage i bestridte MOF"),
        ],
    )
    for r in faerdigbehandling_rows(start, end, by=by, period=period, scope=scope, tariffs=tariffs):
        main.rows.append(
            _key_cells(r.keys, names)
            + [Cell(_period_label(r.period, period)), Cell(r.admissions), Cell(r.days), Cell(r.average_days)]
            + [Cell(r.fee), Cell(r.disputed_mofs), Cell(r.disputed_days)]
        )
    main.note = _(
        "Takst = dage gange taksten for dagens år; – når et år mangler en takst (sættes af en administrator)."
    )
    # Seed 003's layout: per year, days and admissions side by side, with the change from the year before.
    years_from = date(start.year - 1, 1, 1)
    years_to = date(end.year, 12, 31)
    tables = [main]
    for name, title, keys in (
        ("hospital_year", _("Pr. hospital og år"), ("hospital",)),
        ("hospital_municipality_year", _("Pr. hospital, bopælskommune og år"), ("hospital", "municipality")),
    ):
        rows = faerdigbehandling_rows(
            years_from, years_to, by=keys, period="year", scope=scope, tariffs=tariffs
        )
        seen = {(tuple(r.keys.values()), r.period.year): r for r in rows}
        table = Table(
            name,
            title,
            [labels[k] for k in keys]
            + [
                _("År"),
                _("Færdigbehandlingsdage"),
                _("Ændring"),
                _("Indlæggelser med færdigmelding"),
                _("Ændring"),
                _("Gns. dage"),
            ],
            note=_(
                "Hele kalenderår, sammenlignet med året før (som i Sundhedskoordinationsudvalgets tabeller)."
            ),
        )
        for r in rows:
            if r.period.year < start.year:
                continue
            before = seen.get((tuple(r.keys.values()), r.period.year - 1))
            table.rows.append(
                _key_cells(r.keys, names)
                + [Cell(r.period.year), Cell(r.days), Cell(_change(r.days, before and before.days))]
                + [
                    Cell(r.admissions),
                    Cell(_change(r.admissions, before and before.admissions)),
                    Cell(r.average_days),
                ]
            )
        tables.append(table)
    waiting = Table(
        "waiting", _("Ventende færdigbehandlede pr. dag og kommune"), [_("Kommune"), _("Dato"), _("Borgere")]
    )
    if waiting_rows is None:
        waiting_rows = waiting_per_day(start, end, scope=scope)
    for row in waiting_rows:
        waiting.rows.append(
            [Cell(row["admission__municipality__name"]), Cell(row["day"]), Cell(row["citizens"])]
        )
    tables.append(waiting)
    reasons = Table("reasons", _("Hvad de færdigbehandlede ventede på"), [_("Begrundelse"), _("Perioder")])
    reasons.rows = [
        [Cell(_reason_label(r)), Cell(n)] for r, n in waiting_reasons(start, end, scope=scope).items()
    ]
    reasons.note = _("En periode kan have flere begrundelser.")
    tables.append(reasons)
    return tables


def _reason_label(code: str) -> str:
    return str(_("uden begrundelse")) if code == NO_REASON else str(WAITING_LABELS.get(code, code))


def drilldown_href(start: date, end: date, outcome: str, keys: dict, month: date | None) -> str:
    query = {"start": start.isoformat(), "end": end.isoformat(), "outcome": outcome, **keys}
    if month is not None:
        query["month"] = month.isoformat()
    return reverse("figures_timeliness_detail") + "?" + urlencode(query)


def timeliness_tables(
    start: date, end: date, by: tuple[str, ...], monthly: bool, scope: Q, admission_scope: Q, now: datetime
) -> list[Table]:
    labels, names = _labels(), _municipality_names()
    main = Table(
        "timeliness",
        _("Rettidighed pr. forpligtelse med frist"),
        [labels[b] for b in by]
        + ([_("Måned")] if monthly else [])
        + [
            _("Til tiden"),
            _("For sent"),
            _("Overskredet"),
            _("Åbne"),
            _("I alt"),
            _("Andel til tiden"),
            _("Andel for sent"),
            _("Andel overskredet"),
        ],
    )
    for r in timeliness_rows(start, end, now=now, by=by, monthly=monthly, scope=scope):
        counts = [Cell(getattr(r, o), drilldown_href(start, end, o, r.keys, r.month)) for o in OUTCOMES]
        main.rows.append(
            _key_cells(r.keys, names)
            + ([Cell(r.month.strftime("%Y-%m"))] if monthly else [])
            + counts
            + [Cell(r.total), Cell(r.share("met")), Cell(r.share("late")), Cell(r.share("missed"))]
        )
    main.note = _("Overskredet: ikke opfyldt og fristen er passeret. Åbne: fristen er endnu ikke nået.")
    precond = Table(
        "precond",
        _("MOF sendt, mens fristen for plejeforløbsplanen var overskredet (R-FB-PRECOND)"),
        [
            labels["hospital"],
            labels["municipality"],
            _("MOF"),
            _("Heraf med fristen overskredet"),
            _("Andel"),
        ],
    )
    for row in precondition_rows(start, end, by=("hospital", "municipality"), scope=scope):
        share = row["precond"] / row["mofs"] if row["mofs"] else 0.0
        precond.rows.append(
            _key_cells(row["keys"], names) + [Cell(row["mofs"]), Cell(row["precond"]), Cell(share)]
        )
    precond.note = _("Kommunen kan gøre indsigelse mod taksten for disse (R-FB-PRECOND).")
    return [
        main,
        precond,
        _messages_table(start, end, admission_scope),
        _notice_table(start, end, scope),
    ]


# The messages that follow from an event (REPLAY.md) are counted under their own code.
_EVENT_MESSAGES = {
    "faerdigbehandlet": "MOF",
    "treatment_resumed": "MOF-GENOPTAGET",
    "discharge_registered": "ADVIS-UD",
}


def _messages_table(start: date, end: date, admission_scope: Q) -> Table:
    since, until = local_day_bounds(start, end)
    events = Event.objects.filter(
        Q(type="message") | Q(type__in=list(_EVENT_MESSAGES)), occurred_at__gte=since, occurred_at__lt=until
    ).filter(admission__in=Admission.objects.filter(admission_scope))
    counted: dict[str, int] = {}
    for row in events.values("type", "data__code").annotate(n=Count("pk")).order_by():
        code = row["data__code"] if row["type"] == "message" else _EVENT_MESSAGES[row["type"]]
        counted[code] = counted.get(code, 0) + row["n"]
    table = Table("messages", _("Sendte beskeder pr. kode"), [_("Kode"), _("Antal")])
    table.rows = [[Cell(code), Cell(n)] for code, n in sorted(counted.items())]
    return table


def _notice_table(start: date, end: date, scope: Q) -> Table:
    """R-MIDT-NOTICE: of the discharges after a færdigmelding (the period the departure ended), the share on
    the færdigbehandlet date itself (the aim in Midtjylland)."""
    since, until = local_day_bounds(start, end)
    ended_by_departure = (
        FaerdigbehandlingPeriod.objects.filter(scope, voided=False, admission__left_at__gte=since)
        .filter(admission__left_at__lt=until)
        .annotate(left_on=TruncDate("admission__left_at", tzinfo=COPENHAGEN))
        .filter(ended_on=F("left_on"))
    )
    figures = ended_by_departure.aggregate(
        discharges=Count("admission", distinct=True),
        same_day=Count("admission", distinct=True, filter=Q(registered_on=F("ended_on"))),
    )
    table = Table(
        "notice",
        _("Udskrevet på færdigbehandlingsdatoen (R-MIDT-NOTICE)"),
        [_("Udskrivninger efter færdigmelding"), _("På færdigbehandlingsdatoen"), _("Andel")],
    )
    share = figures["same_day"] / figures["discharges"] if figures["discharges"] else 0.0
    table.rows = [[Cell(figures["discharges"]), Cell(figures["same_day"]), Cell(share)]]
    return table


def keys_filter(params, allowed=tuple(GROUPS)) -> Q:
    """The drill-down's group: each given grouping column's value, as a filter on obligations."""
    q = Q()
    for name in allowed:
        if name in params:
            q &= Q(**{GROUPS[name]: params[name]})
    return q


# --- Charts beside the tables ---------------------------------------------------------------------------

MAX_SERIES = 6  # more lines than this are not readable without colour


def _months(start: date, end: date) -> list[date]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def _top(series: dict[str, list[float]], weight=sum) -> dict[str, list[float]]:
    return dict(sorted(series.items(), key=lambda item: (-weight(item[1]), item[0]))[:MAX_SERIES])


def faerdigbehandling_charts(
    start: date, end: date, scope: Q, waiting_rows: list[dict] | None = None
) -> list[Chart]:
    """`waiting_rows` as for `faerdigbehandling_tables`."""
    names = _municipality_names()
    months = _months(start, end)
    days: dict[str, list[float]] = {}
    # The chart shows days, not money: no tariffs needed.
    for code, month, paid in paid_days_per_month(start, end, scope=scope):
        series = days.setdefault(names.get(code, code), [0] * len(months))
        series[months.index(month)] = paid
    if waiting_rows is None:
        waiting_rows = waiting_per_day(start, end, scope=scope)
    seen = sorted({row["day"] for row in waiting_rows})
    # Every date from the first to the last, so a day nobody waited shows as 0 and time reads evenly.
    dates = (
        [date.fromordinal(n) for n in range(seen[0].toordinal(), seen[-1].toordinal() + 1)] if seen else []
    )
    waiting: dict[str, list[float]] = {}
    for row in waiting_rows:
        series = waiting.setdefault(row["admission__municipality__name"], [0] * len(dates))
        series[dates.index(row["day"])] = row["citizens"]
    return [
        Chart(
            "days",
            _("Færdigbehandlingsdage pr. måned pr. kommune"),
            [m.strftime("%Y-%m") for m in months],
            _top(days),
            _("dage"),
        ),
        Chart(
            "waiting",
            _("Ventende færdigbehandlede pr. dag pr. kommune"),
            [d.strftime("%d.%m") for d in dates],
            _top(waiting),
            _("borgere"),
        ),
    ]


def timeliness_charts(start: date, end: date, scope: Q, now: datetime) -> list[Chart]:
    months = _months(start, end)
    totals: dict[str, int] = {}
    shares: dict[str, list[float]] = {}
    for r in timeliness_rows(start, end, now=now, by=("rule",), monthly=True, scope=scope):
        rule = r.keys["rule"]
        shares.setdefault(rule, [0.0] * len(months))[months.index(r.month)] = r.share("met")
        totals[rule] = totals.get(rule, 0) + r.total
    top = sorted(shares, key=lambda rule: (-totals[rule], rule))[:MAX_SERIES]
    return [
        Chart(
            "timely",
            _("Andel til tiden pr. regel pr. måned"),
            [m.strftime("%Y-%m") for m in months],
            {rule: shares[rule] for rule in sorted(top)},
            _("til tiden"),
            percent=True,
        )
    ]
