"""Storing the engine's course of forløbskoordination (R-FK, R-FK-QUALITY) beside the admission, in the
transaction of the event that changed it (called by `services.derived.store`)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from coordination import rules
from coordination.models import Admission, Forloeb


def store_forloeb(admission: Admission, fact: rules.ForloebFact | None) -> None:
    if fact is None:
        cached = Admission.forloeb.related
        if not (cached.is_cached(admission) and cached.get_cached_value(admission) is None):
            Forloeb.objects.filter(admission=admission).delete()  # unless it is known there is none
        return
    values = {
        "included_at": fact.included_at,
        "included_by": fact.included_by,
        "criteria": list(fact.criteria),
        "coordinator_username": fact.coordinator,
        "coordinator": get_user_model().objects.filter(username=fact.coordinator).first(),
        "coordinator_side": fact.coordinator_side,
        "visit_due_on": fact.visit_due_on,
        "visit_done_at": fact.visit_done_at,
        "ended_at": fact.ended_at,
        **{f"q_{name}": value for name, value in fact.quality.items()},
    }
    Forloeb.objects.update_or_create(admission=admission, defaults=values)
