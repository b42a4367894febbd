"""The downtime board (seed 000 "Tekniske nedbrud": staff work from paper when the systems are down): the
active admissions of a ward or a municipality as they stand, A4 landscape, with each citizen's full CPR.

Printed from the board by whoever may see it, and written at every shift change by
`tasks.write_downtime_boards` so that the paper exists before the outage."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, QuerySet

from coordination.cpr import format_cpr
from coordination.models import Obligation
from coordination.printouts.base import render_pdf
from coordination.rules.calendar import local


def board_rows(admissions: QuerySet) -> list[dict]:
    """The active admissions in board order, each with its full CPR and its next open duty."""
    admissions = (
        admissions.active()
        .select_related("citizen", "ward__hospital", "municipality")
        .prefetch_related(
            Prefetch(
                "obligations",
                queryset=Obligation.objects.filter(status="open").order_by("due_at"),
                to_attr="open_obligations",
            )
        )
        .order_by("ward__hospital__name", "ward__name", "next_due_at", "admitted_at")
    )
    return [
        {
            "admission": a,
            "cpr": format_cpr(a.citizen.cpr),
            "next": a.open_obligations[0] if a.open_obligations else None,
        }
        for a in admissions
    ]


def render(rows: list[dict], *, unit: str, now: datetime, language: str = "da") -> bytes:
    """In the reader's language (a staff printout; the shift-change files are Danish)."""
    return render_pdf(
        "printouts/nedbrud.html", {"rows": rows, "unit": unit, "printed_at": local(now)}, language=language
    )
