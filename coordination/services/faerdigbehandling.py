"""Færdigbehandling: the registration (MOF), a resumed treatment and a disputed MOF (R-FB-*)."""

from __future__ import annotations

from datetime import date, datetime

from coordination.models import Admission, Event
from coordination.services.core import Actor, ServiceError, _append, recorder


def register_faerdigbehandlet(
    admission: Admission,
    *,
    at: datetime,
    faerdigbehandlet_on: date,
    waiting_for: list[str] | tuple[str, ...] = (),
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """The hospital registers the citizen færdigbehandlet; the MOF is sent (R-FB-REG, R-FB-FEE)."""
    return _append(
        admission,
        "faerdigbehandlet",
        at,
        {"date": faerdigbehandlet_on, "waiting_for": list(waiting_for)},
        actor,
        now,
        expected_version,
    )


resume_treatment = recorder(
    "treatment_resumed",
    "Behandling genoptaget: the fee stops; `error` voids the registration (R-FB-RESUME).",
    "reason",
)


def dispute_mof(
    admission: Admission,
    *,
    at: datetime,
    note: str,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """Mark the MOF disputed, with a note for the samordningskonsulenter; days unchanged (R-FB-DISPUTE)."""
    if not note.strip():
        raise ServiceError("service.dispute_note", field="note")
    return _append(admission, "mof_disputed", at, {"note": note.strip()}, actor, now, expected_version)
