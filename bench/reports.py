"""Benchmark of the figures (issue 13): each report's time and query count at 100,000 historic admissions.
Not a test: prints the figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sektorovergang_bench python bench/reports.py

Uses the database of bench/sweep.py (5,000 active and 100,000 historic admissions with their obligations,
filled once by bulk inserts) and adds a færdigbehandling period with its dates to every historic admission:
one in ten voided, the rest 0-12 days, so periods cross month and year boundaries; and a course of
forløbskoordination to every tenth.

Prints a Markdown table: each report's median time of RUNS runs and its query count (issue 15 sets no
figure for the reports; what is slow is said in docs/performance.md).
"""

import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sweep  # noqa: E402  (sets the environment and fills the admissions)

BATCH = sweep.BATCH
RUNS = 3


def populate_periods() -> None:
    from coordination import rules
    from coordination.models import Admission, FaerdigbehandlingDay, FaerdigbehandlingPeriod
    from coordination.rules.calendar import local_date

    if FaerdigbehandlingPeriod.objects.exists():
        return
    t0 = time.perf_counter()
    historic = Admission.objects.exclude(discharge_registered_at=None).values_list("pk", "admitted_at")
    periods, dates = [], []
    for n, (pk, admitted) in enumerate(historic.iterator()):
        registered = local_date(admitted) + timedelta(days=n % 3)
        days = (n * 7) % 13
        voided = n % 10 == 0
        period = rules.Period(
            registered=registered,
            ended=registered + timedelta(days=days),
            days=0 if voided else days,
            voided=voided,
            waiting_for=("plejebolig",) if n % 2 else ("hjemmepleje", "hjaelpemidler"),
            registered_at=admitted,
        )
        periods.append(
            FaerdigbehandlingPeriod(
                admission_id=pk,
                registered_on=period.registered,
                registered_at=period.registered_at,
                ended_on=period.ended,
                days=period.days,
                voided=voided,
                waiting_for=list(period.waiting_for),
                disputed=n % 40 == 0,
            )
        )
        dates.append(period)
    stored = FaerdigbehandlingPeriod.objects.bulk_create(periods, batch_size=BATCH)
    FaerdigbehandlingDay.objects.bulk_create(
        (
            FaerdigbehandlingDay(period=row, admission_id=row.admission_id, day=day, paid=paid)
            for row, period in zip(stored, dates, strict=True)
            if not period.voided
            for day, paid in [(period.registered, False), *((d, True) for d in rules.fee_days(period))]
        ),
        batch_size=BATCH,
    )
    print(f"periods filled in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


def populate_courses() -> None:
    """Forløbskoordination (R-FK-QUALITY): a course on every tenth historic admission, its parameters spread
    over met, not met and undecided."""
    from coordination.models import Admission, Forloeb

    if Forloeb.objects.exists():
        return
    t0 = time.perf_counter()
    historic = Admission.objects.exclude(discharge_registered_at=None).values_list(
        "pk", "admitted_at", "left_at"
    )
    values = (True, False, None)
    courses = (
        Forloeb(
            admission_id=pk,
            included_at=admitted,
            included_by="hospital" if n % 2 else "municipality",
            criteria=["reduced_function"],
            coordinator_username="fk.bench",
            coordinator_side="municipality",
            visit_done_at=left if n % 3 else None,
            ended_at=left,
            q_ilr=values[n % 3],
            q_discharge_plan=values[(n + 1) % 3],
            q_pfp=values[(n + 2) % 3],
            q_mof=values[n % 2],
            q_usr=values[(n // 2) % 3],
            q_epikrise=values[(n // 3) % 3],
        )
        for n, (pk, admitted, left) in enumerate(historic.iterator())
        if n % 10 == 0
    )
    Forloeb.objects.bulk_create(courses, batch_size=BATCH)
    print(f"courses filled in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


def main() -> None:
    sweep.ensure_database()
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from coordination.models import Admission, FaerdigbehandlingDay, Obligation, Region
    from coordination.reports import faerdigbehandling_rows, timeliness_rows
    from coordination.reports.faerdigbehandling import waiting_per_day
    from coordination.reports.forloeb import forloeb_rows
    from coordination.reports.forloeb_tables import forloeb_charts, forloeb_tables
    from coordination.reports.tables import (
        faerdigbehandling_charts,
        faerdigbehandling_tables,
        timeliness_charts,
        timeliness_tables,
    )

    call_command("migrate", verbosity=0)
    now = timezone.now().replace(second=0, microsecond=0)
    sweep.populate(now)
    populate_periods()
    populate_courses()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"- admissions: {Admission.objects.exclude(discharge_registered_at=None).count()} historic; "
        f"obligations: {Obligation.objects.count()}; "
        f"færdigbehandling dates: {FaerdigbehandlingDay.objects.count()}"
    )
    region = Region.objects.get(slug="hovedstaden").pk
    scope, admission_scope = (
        Q(admission__ward__hospital__region_id=region),
        Q(ward__hospital__region_id=region),
    )
    today = timezone.localdate()
    start = today.replace(year=today.year - 1)
    cases = [
        (
            "report_faerdigbehandling, a year, hospital x municipality",
            lambda: faerdigbehandling_rows(start, today),
        ),
        (
            "færdigbehandling per municipality and month",
            lambda: faerdigbehandling_rows(start, today, by=("municipality",), period="month"),
        ),
        ("report_timeliness, a year, by rule", lambda: timeliness_rows(start, today, now=now)),
        (
            "timeliness by rule, owner, hospital, municipality",
            lambda: timeliness_rows(start, today, now=now, by=("rule", "owner", "hospital", "municipality")),
        ),
        (
            "færdigbehandling page (all tables and charts)",
            lambda: (
                waiting := waiting_per_day(start, today, scope=scope),  # as the view: once for both
                faerdigbehandling_tables(start, today, ("hospital", "municipality"), "month", scope, waiting),
                faerdigbehandling_charts(start, today, scope, waiting),
            ),
        ),
        (
            "timeliness page (all tables and charts)",
            lambda: (
                timeliness_tables(start, today, ("rule",), True, scope, admission_scope, now),
                timeliness_charts(start, today, scope, now),
            ),
        ),
        ("forløbskoordination per year (R-FK-QUALITY)", lambda: forloeb_rows(start, today, scope=scope)),
        (
            "forløbskoordination page (all tables and charts)",
            lambda: (
                forloeb_tables(start, today, ("hospital", "municipality"), scope, AnonymousUser()),
                forloeb_charts(start, today, scope),
            ),
        ),
    ]
    import statistics

    print("\n| report (a year, the whole region) | median | queries |\n|---|---:|---:|")
    for label, run in cases:
        times = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                run()
                times.append(time.perf_counter() - t0)
        print(f"| {label} | {statistics.median(times) * 1000:.0f} ms | {len(queries)} |")


if __name__ == "__main__":
    main()
