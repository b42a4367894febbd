"""Benchmark of loading timelines (issue 15): not a test, it prints a Markdown table.

    python bench/loading.py [--admissions N] [--demo M]

Loads the same N demo timelines (`load_timelines`' path, one transaction per timeline, one process) twice,
each into a fresh PostgreSQL database of its own: once recorded with one evaluation per timeline
(services/batch.py, in a loading run as `load_timelines` does) and once forced event by event, the way a
person's actions are recorded. Then the whole `seed_demo --admissions M` (default 10,000; `--jobs` the
cores, the issue's target: under 2 minutes), on a fresh database too; `--demo 0` leaves it out.
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
    from coordination.services import batch

    call_command("migrate", verbosity=0)
    if one_by_one:
        timelines._in_one_go = lambda *args: None
    now = timezone.now()
    lines = demo_timelines(count, 1, now)
    t0 = time.perf_counter()
    with batch.loading_run():
        for line in lines:
            load_line(line, now=now)
    return time.perf_counter() - t0, Event.objects.count()


def run_seed(count: int) -> tuple[float, int]:
    """In a child process on a fresh database: the whole `seed_demo --admissions count` (seconds, events)."""
    import io

    import django

    django.setup()
    from django.core.management import call_command

    from coordination.models import Event

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    call_command("seed_demo", f"--admissions={count}", stderr=io.StringIO())
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
    parser.add_argument("--demo", type=int, default=10000, help="seed_demo's admissions (0: leave out)")
    parser.add_argument("--child", choices=["bulk", "single", "seed"])
    args = parser.parse_args()
    if args.child == "seed":
        seconds, events = run_seed(args.demo)
        print(f"{seconds} {events}")
        return
    if args.child:
        seconds, events = run_one(args.admissions, one_by_one=args.child == "single")
        print(f"{seconds} {events}")
        return
    rows = []
    for mode in ("bulk", "single", "seed") if args.demo else ("bulk", "single"):
        url = fresh_database(f"sektorovergang_bench_loading_{mode}")
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                f"--admissions={args.admissions}",
                f"--demo={args.demo}",
                "--child",
                mode,
            ],
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            check=True,
        )
        seconds, events = done.stdout.split()[-2:]
        rows.append((mode, float(seconds), int(events)))
    print("Demo timelines, each in its own transaction:\n")
    print("| recording | admissions | seconds | admissions/s | events/s | ms per admission |")
    print("|---|---:|---:|---:|---:|---:|")
    labels = {
        "single": "event by event, one process",
        "bulk": "one evaluation per timeline, one process (load_timelines' path)",
        "seed": f"`seed_demo` whole, {os.cpu_count()} processes (--jobs), users included",
    }
    for mode, seconds, events in rows:
        count = args.demo if mode == "seed" else args.admissions
        print(
            f"| {labels[mode]} | {count} | {seconds:.1f} | {count / seconds:.1f} | {events / seconds:.0f} | "
            f"{1000 * seconds / count:.1f} |"
        )
    if args.demo:
        seconds = rows[-1][1]
        verdict = "met" if seconds < 120 else f"missed by {seconds - 120:.0f} s"
        print(f"\nTarget: {args.demo} demo admissions in under 2 minutes: {seconds:.0f} s ({verdict}).")


if __name__ == "__main__":
    main()
