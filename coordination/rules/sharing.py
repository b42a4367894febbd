"""The citizen's wishes about sharing (seed 001: "respekterer patientens ønsker i forhold til udveksling af
oplysninger"; sundhedsloven § 41, RULES.md "Information and law").

No duty depends on them: they say what the USR for the municipality leaves out and whether the relatives
may be contacted. A change of mind is a new `sharing_wishes` event; the newest accepted one is in force (one
entered in error is gone from the course, so the one before it is in force again).
"""

from __future__ import annotations

from .calendar import local
from .course import Course
from .types import SharingFact


def in_force(course: Course) -> SharingFact | None:
    """The newest `sharing_wishes` of the course, or None when the citizen's wishes were never recorded."""
    entry = course.newest_of("sharing_wishes")
    if entry is None:
        return None
    return SharingFact(
        declined=tuple(entry.get("declined") or ()),
        note=str(entry.get("note") or ""),
        relatives_allowed=bool(entry.get("relatives_allowed")),
        relatives=str(entry.get("relatives") or ""),
        at=local(entry.at),
        event=entry.event.id if entry.event.id is not None else entry.index,
    )
