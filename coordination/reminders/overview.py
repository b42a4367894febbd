"""R-MON-FB: the weekly overview of waiting færdigbehandlede citizens to each municipality's visitation."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from coordination.models import (
    Admission,
    FaerdigbehandlingPeriod,
    Municipality,
    StaffMember,
    WeeklyOverview,
)
from coordination.queueing import queue_mail
from coordination.rules.calendar import COPENHAGEN as CPH
from coordination.vocabulary import WaitingReason, labels


def waiting_faerdigbehandlede(admissions) -> list[dict]:
    """Citizens registered færdigbehandlet and still in hospital: date, days so far and why they wait."""
    today = timezone.now().astimezone(CPH).date()
    periods = (
        FaerdigbehandlingPeriod.objects.filter(
            admission__in=admissions, ended_on__isnull=True, voided=False, admission__left_at__isnull=True
        )
        .select_related("admission__citizen", "admission__ward__hospital", "admission__municipality")
        .order_by("registered_on", "pk")
    )
    return [
        {
            "admission": p.admission,
            "registered_on": p.registered_on,
            "days": p.days_at(today),
            "reasons": labels(WaitingReason, p.waiting_for),
            "waiting_for": list(p.waiting_for),
        }
        for p in periods
    ]


def overview_send_at(now: datetime) -> tuple[date, datetime]:
    """This week's Monday (Copenhagen) and the instant the overview is due: Monday at WEEKLY_OVERVIEW_TIME."""
    today = now.astimezone(CPH).date()
    monday = today - timedelta(days=today.weekday())
    at = getattr(settings, "WEEKLY_OVERVIEW_TIME", time(7, 0))
    return monday, datetime.combine(monday, at, tzinfo=CPH)


def make_weekly_overviews(now: datetime | None = None) -> int:
    """Once a week per municipality with staff: the overview row (unique per week), then its e-mails.
    Beat calls this often; the wall-clock moment is computed here, never as a crontab entry."""
    now = now or timezone.now()
    monday, due = overview_send_at(now)
    if now < due:
        return 0
    with_staff = Exists(StaffMember.objects.filter(municipality=OuterRef("pk")))
    done = Exists(WeeklyOverview.objects.filter(municipality=OuterRef("pk"), week_start=monday))
    munis = Municipality.objects.filter(with_staff).exclude(done)
    made = 0
    for muni in munis:
        waiting = waiting_faerdigbehandlede(Admission.objects.filter(municipality=muni))
        _, created = WeeklyOverview.objects.get_or_create(
            municipality=muni, week_start=monday, defaults={"created_at": now, "citizens": len(waiting)}
        )
        made += created
    if made:
        queue_mail()
    return made
