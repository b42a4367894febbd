"""Loading many timelines in several processes (`load_timelines --jobs`, `seed_demo --jobs`; issue 15).

Each timeline is still recorded on its own, in its own transaction, through `load_timelines`' path, and the
outcome does not depend on the number of processes: the same admissions with the same events (only the
rows' ids differ with the order the processes happen to write in). The hospitals and wards the timelines
name are made first, in this process, so that two processes never create the same one; then the work is
dealt out (timeline i to process i mod N) to processes forked from this one, each with its own database
connection and its own loading run (services.batch.Run). Failures come back with their line numbers and
are reported in order.

Processes are used only on PostgreSQL, outside a transaction (a process of its own cannot see what an open
transaction of this one wrote, nor join it) and when there is enough work to pay for them.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Callable

from django.db import connection, connections, transaction

from coordination import rules
from coordination.services import ServiceError, batch
from coordination.timelines import Where, place, region_for_profile

MIN_PER_PROCESS = 50  # below this a process costs more than it saves

# (number, line) pairs and the judge, left here for the forked processes (nothing is pickled but indexes).
_WORK: tuple[list[tuple[int, object]], Callable, dict] | None = None


def default_jobs() -> int:
    return os.cpu_count() or 1


def in_processes(
    work: list[tuple[int, object]], judge: Callable, *, jobs: int, fast_commit: bool = False
) -> list[tuple[int, str, str]]:
    """Judge every (number, item) of `work` with `judge(item)` -> (kind | None, why), in `jobs` processes
    when that pays; the failures as (number, kind, why), in the order of the numbers."""
    jobs = max(1, min(jobs, len(work) // MIN_PER_PROCESS))
    if jobs == 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return _judge_share(work, judge, fast_commit)
    _make_places(work)
    global _WORK
    _WORK = (work, judge, {"fast_commit": fast_commit, "jobs": jobs})
    connections.close_all()  # each process opens its own connection
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            shares = pool.map(_share, range(jobs))
    finally:
        _WORK = None
    return sorted(failure for share in shares for failure in share)


def _share(index: int) -> list[tuple[int, str, str]]:
    work, judge, options = _WORK
    try:
        return _judge_share(work[index :: options["jobs"]], judge, options["fast_commit"])
    finally:
        connections.close_all()


def _judge_share(work, judge, fast_commit: bool) -> list[tuple[int, str, str]]:
    failures = []
    with batch.loading_run(fast_commit=fast_commit):
        for number, item in work:
            kind, why = judge(item)
            if kind is not None:
                failures.append((number, kind, why))
    return failures


def _make_places(work) -> None:
    """Create, in one process and in a stable order, the hospitals and wards the timelines name (what
    `place` would create in each timeline's transaction). A timeline whose place is refused is left to its
    process, which reports it."""
    wanted = set()
    for _number, item in work:
        obj = _decoded(item)
        if not isinstance(obj, dict):
            continue
        where, profile = obj.get("where"), obj.get("profile")
        fields = ("hospital", "ward", "municipality")
        usable = isinstance(where, dict) and all(isinstance(where.get(f), str) for f in fields)
        if usable and isinstance(profile, str):
            wanted.add((profile, *(where[f] for f in fields)))
    for profile, hospital, ward, municipality in sorted(wanted):
        try:
            with transaction.atomic():
                place(Where(hospital, ward, municipality, cpr="-", name="-"), region_for_profile(profile))
        except (ServiceError, rules.TimelineError, ValueError):
            continue


def _decoded(item) -> object:
    if not isinstance(item, str):
        return item
    try:
        return json.loads(item)
    except ValueError:
        return None
