"""`make bench`: every benchmark in one run, printed and written to docs/performance.md with the machine,
the date and the commit (issue 15). Not a test: figures are reported, never asserted.

    python bench/run.py [--sizes 500,2000,10000] [--historic 100000] [--quick]

The boards are measured on PostgreSQL databases of each size (active admissions; the largest also with
`--historic` discharged ones), built once by bench/data.py and kept for the next run. Each benchmark is its
own script (board, throughput, loading, sweep, reports, printouts) and runs in its own process, so one that
fails is reported and the others still run.
"""

import argparse
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "performance.md"


def _run(title: str, args: list[str]) -> str:
    print(f"== {title}", file=sys.stderr)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # each script picks its own database
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    output = done.stdout.strip()
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        output += f"\n\n(failed with exit code {done.returncode}: {last})"
    print(output)
    return f"## {title}\n\n{output}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="Run every benchmark and write docs/performance.md.")
    parser.add_argument("--sizes", default="500,2000,10000", help="active admissions of each database")
    parser.add_argument("--historic", type=int, default=100_000, help="discharged ones in the largest")
    parser.add_argument("--quick", action="store_true", help="fewer runs and shorter loads (a rehearsal)")
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    sizes = [int(size) for size in args.sizes.split(",")]
    runs = ["--runs", "10" if args.quick else "40"]
    sections = []
    for size in sizes:
        historic = args.historic if size == sizes[-1] else 0
        title = f"Board, poll, admission page, events, engine: {size:,} active" + (
            f" and {historic:,} historic admissions" if historic else " admissions"
        )
        sections.append(
            _run(title, ["bench/board.py", "--admissions", str(size), "--historic", str(historic), *runs])
        )
    largest = ["--admissions", str(sizes[-1]), "--historic", str(args.historic)]
    seconds = ["--seconds", "5", "--poll-seconds", "30"] if args.quick else []
    sections += [
        _run(
            "Throughput (gunicorn and wrk; 500 polling boards)",
            ["bench/throughput.py", *largest, *seconds],
        ),
        _run("Loading timelines (bulk and event by event)", ["bench/loading.py"]),
        _run("Reminder sweep (5,000 active, 100,000 historic)", ["bench/sweep.py"]),
        _run("Reports", ["bench/reports.py"]),
        _run("Printouts", ["bench/printouts.py"]),
    ]
    header = (
        "# Performance\n\n"
        f"Measured by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit or 'unknown'}, "
        f"on {platform.node()} ({os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}). Medians unless marked; one run on a shared machine, so read the "
        "ratios rather than the milliseconds. Targets are in issue 15; a missed target is said below.\n"
    )
    notes = (ROOT / "bench" / "notes.md").read_text()
    OUT.write_text("\n".join([header, *sections, notes]))
    print(f"written to {OUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
