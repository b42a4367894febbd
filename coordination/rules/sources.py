"""Where each fact in force came from (issue 12): the event that states it.

The screens show, beside a fact such as the agreed discharge time, the event it was taken from, and through
that event the MedCom message and its sender, or who typed it. Which event states a fact is the engine's
judgement (the newest plan, the newest agreement, the open period's registration …), so it is made here,
once, with the facts themselves.
"""

from __future__ import annotations

from .course import Course, Entry
from .types import Period


def fact_sources(course: Course, open_period: Period | None) -> dict[str, int | str]:
    """Fact name (as the Evaluation names it) -> the id of the accepted event that states it."""
    registration = None
    if open_period is not None:
        registration = course.newest(
            lambda e: e.type == "faerdigbehandlet" and e.at == open_period.registered_at
        )
    entries: dict[str, Entry | None] = {
        "admitted_at": course.admitted,
        "expected_faerdigbehandlet_on": course.newest(lambda e: e.is_message("PFP")),
        "planned_discharge_at": course.newest_plan,
        "agreed_discharge_at": course.newest_agreement,
        "left_at": course.left,
        "discharge_registered_at": course.first_of("discharge_registered"),
        "faerdigbehandlet_on": registration,
        # The citizen's facts: recorded with the admission, then changed by `citizen_changed` events.
        "citizen": course.newest(lambda e: e.type in ("admitted", "citizen_changed")),
    }
    return {
        name: entry.event.id
        for name, entry in entries.items()
        if entry is not None and entry.event.id is not None
    }
