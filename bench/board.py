"""Benchmark of the screens people keep open all day (issue 15): not a test, it prints a Markdown table.

    python bench/board.py [--admissions N] [--runs R]

Builds (once) its own PostgreSQL database `sektorovergang_bench_board_N` with N demo admissions recorded
through the services (`seed_demo`'s path: the figure "loading" below is that path's speed), then reports,
in-process through the whole middleware stack (`django.test.Client`):
- the municipality board of the municipality with most rows and the hospital board (a coordinator's), each
  with the median and p95 server time over R requests and its SQL query count;
- the floor: a minimal view rendering a trivial template from one query through the same middleware, and
  each board's ratio to it;
- the unchanged poll (the board's 204), the admission page, one event appended through a service (a KM),
  the rules engine's timelines per second (pure, on timelines already in memory) and through
  `replay_timeline`'s path.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.pop("REDIS_URL", None)  # reminders and e-mails run eagerly: nothing waits on a broker here


def ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def floor_view(request):
    """The floor every screen is measured against: one query, a trivial template, the same middleware."""
    from django.http import HttpResponse
    from django.template import engines

    from coordination.models import Region

    template = engines["django"].from_string("<html><body><p>{{ count }} regioner</p></body></html>")
    return HttpResponse(template.render({"count": Region.objects.count()}, request))


def _urlpatterns():
    from django.urls import path

    from config.urls import urlpatterns

    return [path("bench/floor/", floor_view), *urlpatterns]


urlpatterns = []  # filled in main(), once Django is set up; this module is the ROOT_URLCONF while it runs


def measure(client, url: str, runs: int, before=None, **headers) -> dict:
    """Median and p95 of `runs` requests (each after `before()`, not timed), and one request's queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before = before or (lambda: None)
    headers = {"secure": True, **headers}  # as behind TLS: no redirect to https
    first = client.get(url, **headers)  # warm: templates compiled, caches filled
    if first.status_code not in (200, 204):
        raise SystemExit(f"{url}: HTTP {first.status_code}, not a page to measure")
    times = []
    for _ in range(runs):
        before()
        t0 = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - t0) * 1000)
    before()
    with CaptureQueriesContext(connection) as queries:
        client.get(url, **headers)
    times.sort()
    return {
        "status": response.status_code,
        "median": statistics.median(times),
        "p95": times[max(0, int(len(times) * 0.95) - 1)],
        "queries": len(queries),
        "bytes": len(response.content),
    }


def load(count: int) -> float:
    """Records `count` demo admissions through the services; returns admissions per second."""
    from django.utils import timezone

    from coordination.demo import demo_timelines
    from coordination.management.commands.load_timelines import load_line

    now = timezone.now()
    timelines = demo_timelines(count, 1, now)
    t0 = time.perf_counter()
    for timeline in timelines:
        load_line(timeline, now=now)
    return count / (time.perf_counter() - t0)


def _replay_inputs(count: int) -> list[dict]:
    """Demo timelines in REPLAY.md's input shape (profile, now, citizen, events)."""
    from django.utils import timezone

    from coordination.demo import demo_timelines

    now = timezone.now()
    return [
        {"profile": t["profile"], "now": now.isoformat(), "citizen": t["citizen"], "events": t["events"]}
        for t in demo_timelines(count, 2, now)
    ]


def staff_user(username: str, **organisation):
    from django.contrib.auth import get_user_model

    from coordination.models import StaffMember

    user, _ = get_user_model().objects.get_or_create(username=username)
    StaffMember.objects.update_or_create(user=user, defaults=organisation)
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admissions", type=int, default=500, help="active admissions")
    parser.add_argument("--historic", type=int, default=0, help="discharged admissions besides")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ and (ROOT / "bench" / "data.py").exists():
        sys.path.insert(0, str(ROOT / "bench"))
        import data  # bench/data.py: the benchmark databases at the sizes

        os.environ["DATABASE_URL"] = data.ensure_database(args.admissions, args.historic)
    url = os.environ.setdefault(
        "DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/sektorovergang_bench_board_{args.admissions}"
    )
    ensure_database(url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from coordination import rules, services
    from coordination.models import Admission
    from coordination.timelines import replay

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.ROOT_URLCONF = __name__
    urlpatterns.extend(_urlpatterns())
    call_command("migrate", verbosity=0)
    loading = None
    if Admission.objects.count() < args.admissions:
        loading = load(args.admissions - Admission.objects.count())
    active = Admission.objects.active()
    # The municipality whose board is nearest 150 rows (issue 15), the hospital with most.
    sizes = list(active.values("municipality").annotate(n=Count("pk")).order_by("-n"))
    top = min(sizes, key=lambda m: abs(m["n"] - 150))
    hospital = active.values("ward__hospital").annotate(n=Count("pk")).order_by("-n").first()
    visitator = staff_user("bench.visitator", municipality_id=top["municipality"])
    coordinator = staff_user("bench.koordinator", hospital_id=hospital["ward__hospital"])

    rows = []
    clients = {}
    for who, user in (("visitator", visitator), ("koordinator", coordinator)):
        client = Client()
        client.force_login(user)
        clients[who] = client
    floor = measure(clients["visitator"], "/bench/floor/", args.runs)
    rows.append(("floor view (one query, trivial template)", floor, None))
    from django.core.cache import caches

    from coordination import board_state

    def one_changed(owner):
        """Before each request: one admission of this board changed (an event), so its rows are read."""
        some = active.filter(**owner).order_by("pk").first()

        def change():  # what the engine's store does to the admission's row, and its places' generations
            Admission.objects.filter(pk=some.pk).update(changed_at=timezone.now())
            board_state._bump(board_state.admission_places(some))

        return change

    def nothing_kept():
        for name in ("board-live", "board-rows"):
            caches[name].clear()

    from coordination.board import board_admissions

    def shown(user, active_count: int) -> str:
        """The rows its board shows: the active admissions and the discharged ones its side still owes."""
        return f"{board_admissions(user, user.staff).count()} rows, {active_count} active"

    for where, who, rows_count, owner in (
        ("municipality", "visitator", top["n"], {"municipality_id": top["municipality"]}),
        ("hospital", "koordinator", hospital["n"], {"ward__hospital_id": hospital["ward__hospital"]}),
    ):
        rows_count = shown(visitator if who == "visitator" else coordinator, rows_count)
        for state, before in (
            ("nothing changed (kept)", None),
            ("one admission changed", one_changed(owner)),
            ("nothing kept (caches emptied)", nothing_kept),
        ):
            figures = measure(clients[who], "/", args.runs, before=before)
            label = f"{where} board ({rows_count}), {state}"
            rows.append((label, figures, figures["median"] / floor["median"]))
    # The unchanged poll: the token of the page just shown, asked again by htmx (with its X-Poll header).
    page = clients["visitator"].get("/", secure=True).content.decode()
    token = page.split("v=", 1)[1].split('"', 1)[0].split("&", 1)[0] if "v=" in page else ""
    poll = measure(clients["visitator"], f"/?v={token}", args.runs, HTTP_HX_REQUEST="true", HTTP_X_POLL="1")
    rows.append(("unchanged poll (204)", poll, poll["median"] / floor["median"]))
    admission = active.filter(municipality_id=top["municipality"]).order_by("-pk").first()
    page = measure(clients["visitator"], f"/admissions/{admission.pk}/", args.runs)
    events = admission.events.count()
    rows.append((f"admission page ({events} events)", page, page["median"] / floor["median"]))

    # One event appended through a service: a KM from the municipality, with everything it re-derives;
    # its notification task queued for a worker as in production (Celery's in-memory broker here), and
    # once more with the task run in this process (eager), as the tests run it.
    from celery import current_app

    actor = services.Actor.for_user(visitator)
    appended = {}
    for mode, eager in (("queued", False), ("eager", True)):
        current_app.conf.task_always_eager = eager
        times, queries = [], 0
        for n in range(20):
            now = timezone.now()
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                services.send_km(
                    admission, at=now, sender="municipality", subject="andet", text=f"bench {n}", actor=actor
                )
                times.append((time.perf_counter() - t0) * 1000)
            queries = len(captured)
            admission.refresh_from_db()
        appended[mode] = (statistics.median(times), queries)
    current_app.conf.task_always_eager = True

    # The engine alone, on timelines already in memory, and through replay's path (in a rolled-back
    # transaction, as `replay_timeline` runs).
    sample = list(active.select_related("ward__hospital__region")[:200])
    inputs = [(a.timeline(), a.admitted_citizen(), a.ward.hospital.region.rules_profiles()) for a in sample]
    now = timezone.now()
    t0 = time.perf_counter()
    for events, citizen, profiles in inputs:
        rules.evaluate(events, citizen, profiles, now)
    engine_rate = len(inputs) / (time.perf_counter() - t0)
    replays = [rules.parse_timeline(t) for t in _replay_inputs(40)]
    t0 = time.perf_counter()
    for timeline in replays:
        replay(timeline)
    replay_rate = len(replays) / (time.perf_counter() - t0)

    print(
        f"Active admissions: {active.count()}, all admissions: {Admission.objects.count()}; "
        f"runs per figure: {args.runs}"
    )
    print()
    print("| screen | median ms | p95 ms | queries | × floor |")
    print("|---|---:|---:|---:|---:|")
    for label, figures, ratio in rows:
        shown_ratio = "" if ratio is None else f"{ratio:.1f}"
        print(
            f"| {label} | {figures['median']:.1f} | {figures['p95']:.1f} | {figures['queries']} | "
            f"{shown_ratio} |"
        )
    print()
    (appended, queries), (eager_ms, eager_queries) = appended["queued"], appended["eager"]
    print(
        f"- event appended through a service (KM), its notification task queued for a worker: median "
        f"{appended:.1f} ms, {queries} queries; with the task run in the same process: {eager_ms:.1f} ms, "
        f"{eager_queries} queries"
    )
    print(f"- rules engine: {engine_rate:.0f} timelines/s (pure, {len(inputs)} real timelines)")
    print(f"- replay_timeline's path: {replay_rate:.1f} timelines/s ({len(replays)} demo timelines)")
    if loading is not None:
        print(f"- loading timelines through the services: {loading:.1f} admissions/s")
    print()
    print(_targets(rows, appended, floor))


def _targets(rows, appended: float, floor: dict) -> str:
    """Each of issue 15's targets for these screens beside what was measured here."""
    by_label = {label: figures for label, figures, _ in rows}

    def find(prefix: str, state: str) -> dict:
        return next(f for label, f in by_label.items() if label.startswith(prefix) and state in label)

    kept, changed = find("municipality", "kept"), find("municipality", "one admission")
    hospital, poll = find("hospital", "kept"), by_label["unchanged poll (204)"]
    hospital_changed = find("hospital", "one admission")

    def verdict(ok: bool, measured: float = 0, target: float = 0) -> str:
        if ok:
            return "met"
        return f"missed: {measured / target:.1f}× the target" if target else "missed"

    ratio_kept, ratio_changed = kept["median"] / floor["median"], changed["median"] / floor["median"]
    poll_ok = poll["median"] < 2 and poll["queries"] <= 1
    lines = [
        "| target | measured | |",
        "|---|---|---|",
        f"| municipality board ≤ 2× the floor view, ≤ 8 queries | {ratio_kept:.1f}× and {kept['queries']} "
        f"queries when nothing changed; {ratio_changed:.1f}× and {changed['queries']} queries after a change "
        f"| nothing changed: {verdict(ratio_kept <= 2 and kept['queries'] <= 8, ratio_kept, 2)}; after a "
        f"change: {verdict(ratio_changed <= 2 and changed['queries'] <= 8, ratio_changed, 2)} |",
        f"| whole-hospital board < 150 ms median | {hospital['median']:.0f} ms when nothing changed, "
        f"{hospital_changed['median']:.0f} ms after a change | nothing changed: "
        f"{verdict(hospital['median'] < 150, hospital['median'], 150)}; after a change: "
        f"{verdict(hospital_changed['median'] < 150, hospital_changed['median'], 150)} |",
        f"| unchanged poll < 2 ms, ≤ 1 query | {poll['median']:.1f} ms, {poll['queries']} "
        f"{'query' if poll['queries'] == 1 else 'queries'} | {verdict(poll_ok, poll['median'], 2)} |",
        f"| an event appended < 20 ms | {appended:.1f} ms | {verdict(appended < 20, appended, 20)} |",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
