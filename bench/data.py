"""Benchmark databases at a region's sizes (issue 15): not a test.

    python bench/data.py --active 500 --historic 100000

`ensure_database(active, historic)` returns the DATABASE_URL of the PostgreSQL database
`sektorovergang_bench_{active}_{historic}`, building it once: `historic` admissions discharged a month to
three years ago (coordination.demo.historic_timelines: the figures, the sweep and the reports have a past to
read) and `active` demo admissions on the boards with the demo users (`seed_demo`), all recorded through the
bulk loading path (one evaluation and one transaction per timeline) in as many processes as there are cores.
A database is marked complete (a comment on it) only when everything loaded; one that is not is built again.

At 10,000 active the demo's spread puts about 2,100 admissions at the largest hospital (Bispebjerg og
Frederiksberg) and 160–600 at a municipality (median about 225; København about 1,550 and Frederiksberg about
1,400, the two big ones).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("LOG_LEVEL", "WARNING")
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
COMPLETE = "sektorovergang bench data: complete"
SEED = 1


def database_name(active: int, historic: int) -> str:
    return f"sektorovergang_bench_{active}_{historic}"


def ensure_database(active: int, historic: int, *, jobs: int | None = None) -> str:
    """The DATABASE_URL of the benchmark database of this size, built first when missing or incomplete."""
    import psycopg

    name = database_name(active, historic)
    url = f"{SERVER}/{name}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if row is not None and row[0] == COMPLETE:
            return url
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("REDIS_URL", None)  # the inbox items are made in the loading processes, nothing waits on a broker
    command = [sys.executable, __file__, "--active", str(active), "--historic", str(historic), "--child"]
    if jobs:
        command += ["--jobs", str(jobs)]
    subprocess.run(command, env=env, check=True)
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"COMMENT ON DATABASE \"{name}\" IS '{COMPLETE}'")
    return url


def build(active: int, historic: int, jobs: int | None) -> None:
    """In the child process, on the new empty database named by DATABASE_URL."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from coordination.demo import demo_timelines, historic_timelines
    from coordination.management.commands._parallel import default_jobs, in_processes
    from coordination.management.commands.seed_demo import _load

    jobs = jobs or default_jobs()
    call_command("migrate", verbosity=0)
    now = timezone.now()
    t0 = time.perf_counter()
    taken = {timeline["where"]["cpr"] for timeline in demo_timelines(active, SEED, now)}
    past = historic_timelines(historic, SEED, now, taken=taken)
    work = list(enumerate(past, start=1))
    failures = in_processes(work, partial(_load, now=now), jobs=jobs, fast_commit=True)
    if failures:
        raise SystemExit(f"{len(failures)} historic timelines failed, the first: {failures[0]}")
    print(f"{historic} historic admissions in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    t0 = time.perf_counter()
    call_command("seed_demo", f"--admissions={active}", f"--seed={SEED}", f"--jobs={jobs}", verbosity=0)
    print(f"{active} active admissions in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--active", type=int, default=500)
    parser.add_argument("--historic", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=None, help="processes (default: the cores)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        build(args.active, args.historic, args.jobs)
        return
    t0 = time.perf_counter()
    url = ensure_database(args.active, args.historic, jobs=args.jobs)
    print(url)
    print(f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
