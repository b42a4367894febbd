"""Benchmark of the printouts: `python bench/printouts.py` (not a test).

Builds a throw-away SQLite database with demo data, then reports
- the citizen's USR copy: median of 20 warm renders (after two warm-up renders), and the other documents;
- the downtime board with 200 rows: median of 5 warm renders, and its page count.

Prints Markdown bullets, each figure against its target (issue 15: the citizen's USR under 300 ms warm).

With `--out DIR` the PDFs are also written there, to look at (`pdftoppm -png`).
"""

import os
import statistics
import sys
import tempfile
import time
from io import BytesIO, StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
_db = Path(tempfile.mkdtemp(prefix="bench-printouts-")) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{_db}"
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from coordination.models import Admission, Event  # noqa: E402
from coordination.printouts import aftalekort, nedbrud, pfp, usr  # noqa: E402


def timed(render, runs: int, warm_up: int = 2) -> tuple[float, bytes]:
    for _ in range(warm_up):
        render()
    times, pdf = [], b""
    for _ in range(runs):
        start = time.perf_counter()
        pdf = render()
        times.append(time.perf_counter() - start)
    return statistics.median(times), pdf


def main() -> None:
    out = Path(sys.argv[sys.argv.index("--out") + 1]) if "--out" in sys.argv else None
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", "--admissions", "260", stdout=StringIO(), stderr=StringIO())
    print(f"- demo data: {Admission.objects.count()} admissions in {time.perf_counter() - started:.1f} s")
    now = timezone.now()

    # The richest USR of the demo: most medicine, help and appointments.
    event = max(
        Event.objects.filter(type="message", data__code="USR").select_related("admission"),
        key=lambda e: sum(len(e.data["content"].get(k, [])) for k in ("medicine", "help", "appointments")),
    )
    admission = event.admission
    for name, render, runs in [
        ("USR, citizen's copy", lambda: usr.render_citizen_copy(admission, now=now), 20),
        ("USR, municipality's copy", lambda: usr.render_municipality_copy(admission, now=now), 10),
        ("PFP", lambda: pfp.render(admission, now=now), 10),
        ("aftalekort", lambda: aftalekort.render(admission, now=now), 10),
    ]:
        median, pdf = timed(render, runs)
        pages = len(PdfReader(BytesIO(pdf)).pages)
        size = len(pdf) // 1024
        if out:
            (
                out / f"{name.split(',')[0].lower()}{'-kommune' if 'municipality' in name else ''}.pdf"
            ).write_bytes(pdf)
        ms = median * 1000
        target = ""
        if name == "USR, citizen's copy":
            target = f"; target < 300 ms: {'met' if ms < 300 else f'missed by {ms - 300:.0f} ms'}"
        print(f"- {name} PDF, warm: median {ms:.0f} ms of {runs} renders ({pages} pages, {size} KiB{target})")

    active = Admission.objects.active()
    ids = list(active.order_by("pk").values_list("pk", flat=True)[:200])
    assert len(ids) == 200, f"only {len(ids)} active admissions"
    rows = nedbrud.board_rows(Admission.objects.filter(pk__in=ids))

    def board() -> bytes:
        return nedbrud.render(nedbrud.board_rows(Admission.objects.filter(pk__in=ids)), unit="Bench", now=now)

    median, pdf = timed(board, 5, warm_up=1)
    pages = len(PdfReader(BytesIO(pdf)).pages)
    if out:
        (out / "nedbrud.pdf").write_bytes(pdf)
    print(
        f"- downtime board, {len(rows)} rows (query + render): median {median * 1000:.0f} ms of 5 renders, "
        f"{median * 1000 / len(rows):.1f} ms a row ({pages} pages, {len(pdf) // 1024} KiB; no target: the "
        "slowest printout, linear in its rows, WeasyPrint's table layout)"
    )


if __name__ == "__main__":
    main()
