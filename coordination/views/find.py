"""Find and follow (issue 14): the search (/soeg/) over every admission the user may still see, discharged
and historic ones included, and the recently discharged (/udskrevne/). Both reach citizens only through
`Admission.objects.visible_to(user)` and log what they showed (access.record_access)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from coordination.access import record_access
from coordination.models import Admission

RECENT_DAYS = 14
RESULTS = 100
_DATE = re.compile(r"^(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})$")


def parse_query(text: str) -> Q | None:
    """The search's filter: an admission date (dd-mm-yyyy, d.m.yyyy), a CPR number or its start (with or
    without the dash), or part of the name. None: too little to search for."""
    text = (text or "").strip()
    found = _DATE.match(text)
    if found:
        day, month, year = (int(part) for part in found.groups())
        try:
            on = date(year, month, day)
        except ValueError:
            return None
        return Q(admitted_at__date=on)  # in the current time zone: Europe/Copenhagen
    digits = re.sub(r"[\s-]", "", text)
    if digits.isdigit():
        return Q(citizen__cpr__startswith=digits) if len(digits) >= 6 else None
    return Q(citizen__name__icontains=text) if len(text) >= 2 else None


def _listed(queryset):
    return queryset.select_related("citizen", "ward__hospital", "municipality")


def search(request):
    text = request.GET.get("q", "").strip()[:100]
    match = parse_query(text)
    rows = []
    if match is not None:
        found = Admission.objects.visible_to(request.user).filter(match)
        rows = list(_listed(found).order_by("-admitted_at", "-pk")[:RESULTS])
        record_access(request, rows)
    return render(
        request,
        "coordination/search.html",
        {"q": text, "searched": bool(text), "too_short": bool(text) and match is None, "rows": rows},
    )


def recently_discharged(request):
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    left = Admission.objects.visible_to(request.user).filter(left_at__gte=since)
    rows = list(_listed(left).order_by("-left_at", "-pk")[:RESULTS])
    record_access(request, rows)
    return render(request, "coordination/discharged.html", {"rows": rows, "days": RECENT_DAYS})
