"""Benchmark of loading timelines (issue 15): not a test, it prints a Markdown table.

    python bench/loading.py [--admissions N]

Loads the same N demo timelines (`load_timelines`' path, one transaction per timeline) twice, each into a
fresh PostgreSQL database of its own: once recorded with one evaluation per timeline (services/batch.py, what
`load_timelines` and `seed_demo` do) and once forced event by event, the way a person's actions are recorded.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.pop("REDIS_URL", None)  # notifications run eagerly: nothing waits on a broker here
SERVER = os.environ.get("BENCH_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")


def run_one(count: int, one_by_one: bool) -> tuple[float, int]:
    """In a child process on a fresh database: (seconds, events recorded)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from coordination import timelines
    from coordination.demo import demo_timelines
    from coordination.management.commands.load_timelines import load_line
    from coordination.models import Event

    call_command("migrate", verbosity=0)
    if one_by_one:
        timelines._in_one_go = lambda *args: None
    now = timezone.now()
    lines = demo_timelines(count, 1, now)
    t0 = time.perf_counter()
    for line in lines:
        load_line(line, now=now)
    return time.perf_counter() - t0, Event.objects.count()


def fresh_database(name: str) -> str:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{SERVER}/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admissions", type=int, default=300)
    parser.add_argument("--child", choices=["bulk", "single"])
    args = parser.parse_args()
    if args.child:
        seconds, events = run_one(args.admissions, one_by_one=args.child == "single")
        print(f"{seconds} {events}")
        return
    rows = []
    for mode in ("bulk", "single"):
        url = fresh_database(f"sektorovergang_bench_loading_{mode}")
        done = subprocess.run(
            [sys.executable, __file__, "--admissions", str(args.admissions), "--child", mode],
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            check=True,
        )
        seconds, events = done.stdout.split()[-2:]
        rows.append((mode, float(seconds), int(events)))
    print(f"{args.admissions} demo timelines, each in its own transaction:\n")
    print("| recording | seconds | admissions/s | events/s | ms per admission |")
    print("|---|---:|---:|---:|---:|")
    for mode, seconds, events in rows:
        label = (
            "event by event"
            if mode == "single"
            else "one evaluation per timeline (load_timelines, seed_demo)"
        )
        print(
            f"| {label} | {seconds:.1f} | {args.admissions / seconds:.1f} | {events / seconds:.0f} | "
            f"{1000 * seconds / args.admissions:.0f} |"
        )
    per_admission = 1000 * rows[0][1] / args.admissions
    print(
        "\nTarget: 10,000 demo admissions in under 2 minutes (12 ms each); "
        f"measured {per_admission:.0f} ms each ({10000 * per_admission / 60000:.1f} minutes for 10,000). "
        "Per timeline: one evaluation, the store, the citizen and places looked up, the notification task."
    )


if __name__ == "__main__":
    main()
