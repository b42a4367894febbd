"""R-FK-QUALITY's yearly evaluation (seed 004 "Evaluering"): the number of coordination courses per year and
the six quality parameters, counted in the database over what the engine derived and stored (`Forloeb`, one
row per course, its year the Copenhagen year of the inclusion). Nothing here judges a parameter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear

from coordination import rules
from coordination.models import Forloeb
from coordination.rules.calendar import COPENHAGEN

from .common import check_range, local_day_bounds

FK_GROUPS = {
    "hospital": "admission__ward__hospital__name",
    "municipality": "admission__municipality__code",
}


@dataclass(frozen=True)
class QualityCount:
    met: int
    not_met: int
    undecided: int  # does not apply, or not decided yet

    @property
    def decided(self) -> int:
        return self.met + self.not_met

    @property
    def share(self) -> float:
        return self.met / self.decided if self.decided else 0.0


@dataclass(frozen=True)
class ForloebRow:
    keys: dict[str, str]
    year: int
    courses: int
    by_hospital: int
    by_municipality: int
    ended: int
    visits_done: int
    quality: dict[str, QualityCount]


def courses_in(start: date, end: date, *, scope: Q | None = None):
    """The courses included from and including `start` up to and including `end` (Copenhagen dates)."""
    check_range(start, end)
    since, until = local_day_bounds(start, end)
    courses = Forloeb.objects.filter(included_at__gte=since, included_at__lt=until)
    return courses.filter(scope) if scope is not None else courses


def forloeb_rows(
    start: date, end: date, *, by: tuple[str, ...] = (), scope: Q | None = None
) -> list[ForloebRow]:
    """One grouped query: per year (and the chosen columns) the courses and, per parameter, how many met it,
    did not, and were not decided."""
    columns = [FK_GROUPS[name] for name in by]
    counts = {
        "courses": Count("pk"),
        "by_hospital": Count("pk", filter=Q(included_by=rules.HOSPITAL)),
        "by_municipality": Count("pk", filter=Q(included_by=rules.MUNICIPALITY)),
        "ended": Count("pk", filter=Q(ended_at__isnull=False)),
        "visits_done": Count("pk", filter=Q(visit_done_at__isnull=False)),
    }
    for name in rules.FK_QUALITY:
        counts[f"{name}_met"] = Count("pk", filter=Q(**{f"q_{name}": True}))
        counts[f"{name}_not_met"] = Count("pk", filter=Q(**{f"q_{name}": False}))
        counts[f"{name}_undecided"] = Count("pk", filter=Q(**{f"q_{name}__isnull": True}))
    result = (
        courses_in(start, end, scope=scope)
        .annotate(year=ExtractYear("included_at", tzinfo=COPENHAGEN))
        .values("year", *columns)
        .annotate(**counts)
        .order_by("year", *columns)
    )
    return [
        ForloebRow(
            keys={name: row[FK_GROUPS[name]] for name in by},
            year=row["year"],
            courses=row["courses"],
            by_hospital=row["by_hospital"],
            by_municipality=row["by_municipality"],
            ended=row["ended"],
            visits_done=row["visits_done"],
            quality={
                name: QualityCount(row[f"{name}_met"], row[f"{name}_not_met"], row[f"{name}_undecided"])
                for name in rules.FK_QUALITY
            },
        )
        for row in result
    ]
