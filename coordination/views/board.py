"""The board: the admissions the logged-in user takes part in (the shared patient board grows from here)."""

from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone

from coordination.access import record_access
from coordination.models import Admission, Obligation


def board(request):
    now = timezone.now()
    admissions = (
        Admission.objects.active()
        .visible_to(request.user)
        .select_related("citizen", "ward__hospital", "municipality")
        .prefetch_related(
            Prefetch(
                "obligations",
                queryset=Obligation.objects.filter(status="open").order_by("due_at"),
                to_attr="open_obligations",
            )
        )
        .order_by("next_due_at", "admitted_at")
    )
    rows = [
        {"admission": a, "next": a.open_obligations[0] if a.open_obligations else None} for a in admissions
    ]
    record_access(request, [row["admission"] for row in rows])
    staff = getattr(request.user, "staff", None)
    return render(request, "coordination/board.html", {"rows": rows, "now": now, "staff": staff})
