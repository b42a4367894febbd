"""Benchmark of the reminder sweep (issue 7): its time and query count at 5,000 active and 100,000 historic
admissions. Not a test: prints the figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sektorovergang_bench python bench/sweep.py

Uses its own PostgreSQL database (created and migrated when missing; filled once, by bulk inserts, since
this measures the sweep and not the services). Without DATABASE_URL: postgres://…/sektorovergang_bench.

Prints Markdown bullets against the target (issue 15: under 200 ms): the first sweep, which catches up three
days of reminder points, and the steady state, a sweep a minute later (what beat runs every minute), each
the median of ROUNDS rounds from no reminders.
"""

import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sektorovergang_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("LOG_LEVEL", "WARNING")

ACTIVE, HISTORIC, WARDS = 5_000, 100_000, 40
ROUNDS, MINUTES = 3, 5  # rounds from no reminders; steady-state sweeps, a minute apart, in each
BATCH = 5_000


def ensure_database() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def populate(now: datetime) -> None:
    from django.contrib.auth import get_user_model

    from coordination.models import (
        Admission,
        Citizen,
        Hospital,
        Municipality,
        Obligation,
        Region,
        StaffMember,
        Ward,
    )

    if Admission.objects.count() >= ACTIVE + HISTORIC:
        return
    t0 = time.perf_counter()
    region = Region.objects.get(slug="hovedstaden")
    munis = list(Municipality.objects.filter(region=region))
    hospital, _ = Hospital.objects.get_or_create(name="Benchhospital", defaults={"region": region})
    wards = [Ward.objects.get_or_create(hospital=hospital, name=f"Afsnit {i}")[0] for i in range(WARDS)]
    User = get_user_model()
    users = User.objects.bulk_create(User(username=f"bench{i}") for i in range(WARDS * 3 + len(munis) * 3))
    staff = [StaffMember(user=u, ward=wards[i % WARDS]) for i, u in enumerate(users[: WARDS * 3])]
    staff += [
        StaffMember(user=u, municipality=munis[i % len(munis)]) for i, u in enumerate(users[WARDS * 3 :])
    ]
    StaffMember.objects.bulk_create(staff)
    total = ACTIVE + HISTORIC
    Citizen.objects.bulk_create(
        (
            Citizen(cpr=f"{9_000_000_000 + i}", name=f"Borger {i}", municipality=munis[i % len(munis)])
            for i in range(total)
        ),
        batch_size=BATCH,
    )
    citizens = list(
        Citizen.objects.filter(cpr__startswith="9").order_by("cpr").values_list("pk", "municipality_id")
    )
    admissions = []
    for i, (citizen_id, muni_id) in enumerate(citizens):
        historic = i >= ACTIVE
        admitted = now - timedelta(days=400 - i % 390) if historic else now - timedelta(hours=2 + i % 200)
        admissions.append(
            Admission(
                citizen_id=citizen_id,
                ward=wards[i % WARDS],
                municipality_id=muni_id,
                admitted_at=admitted,
                left_at=admitted + timedelta(days=5) if historic else None,
                discharge_registered_at=admitted + timedelta(days=5) if historic else None,
            )
        )
    Admission.objects.bulk_create(admissions, batch_size=BATCH)
    ids = list(Admission.objects.order_by("citizen__cpr").values_list("pk", "admitted_at", "left_at"))
    rules = [
        ("R-MILR", "municipality"),
        ("R-READ", "municipality"),
        ("R-PFP-DATE", "hospital"),
        ("R-USR", "hospital"),
    ]

    def obligations():
        for n, (pk, admitted, left) in enumerate(ids):
            for k, (rule, owner) in enumerate(rules):
                if left is None:  # active: dues spread from three days ago to a day ahead, a third met
                    due = now + timedelta(minutes=(n * 37 + k * 611) % (4 * 24 * 60) - 3 * 24 * 60)
                    met = (n + k) % 3 == 0
                else:  # historic: met long ago, one in fifty left open (missed)
                    due = admitted + timedelta(hours=8 * (k + 1))
                    met = (n + k) % 50 != 0
                yield Obligation(
                    admission_id=pk,
                    key=rule,
                    rule=rule,
                    owner=owner,
                    label=rule,
                    due_at=due,
                    status="met" if met else "open",
                    met_at=due if met else None,
                )

    Obligation.objects.bulk_create(obligations(), batch_size=BATCH)
    print(f"filled in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


def main() -> None:
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from coordination import reminders
    from coordination.models import Admission, Notification, Obligation, Reminder

    call_command("migrate", verbosity=0)
    now = timezone.now().replace(second=0, microsecond=0)
    populate(now)
    import statistics

    print(
        f"- admissions: {Admission.objects.active().count()} active, "
        f"{Admission.objects.exclude(discharge_registered_at=None).count()} historic; "
        f"obligations: {Obligation.objects.count()}"
    )

    def timed(at):
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            created = reminders.sweep(at)
            return (time.perf_counter() - t0) * 1000, len(queries), created

    first, steady = [], []
    for _ in range(ROUNDS):
        Reminder.objects.all().delete()
        Notification.objects.all().delete()
        Admission.objects.update(reevaluate_at=None)
        first.append(timed(now))
        steady += [timed(now + timedelta(minutes=m)) for m in range(1, MINUTES + 1)]

    def line(label, runs):
        ms = statistics.median(r[0] for r in runs)
        verdict = "met" if ms < 200 else f"missed by {ms - 200:.0f} ms"
        queries = max(r[1] for r in runs)
        made = statistics.median(r[2] for r in runs)
        print(
            f"- {label}: median {ms:.0f} ms of {len(runs)} (target < 200 ms: {verdict}), "
            f"at most {queries} queries, {made:.0f} reminders"
        )

    line("first sweep (catching up 3 days)", first)
    line("steady state (the sweep a minute later)", steady)


if __name__ == "__main__":
    main()
