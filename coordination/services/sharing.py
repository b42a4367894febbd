"""The citizen's wishes about sharing (seed 001; sundhedsloven § 41): the hospital records what the citizen
has declined to have passed on to the municipality, and whether and whom the relatives may be contacted.
A change of mind is a new event; the newest is in force (rules/sharing.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from coordination import rules
from coordination.models import Admission, Event
from coordination.services.core import Actor, ServiceError, _append


def record_sharing_wishes(
    admission: Admission,
    *,
    declined: Iterable[str] = (),
    note: str = "",
    relatives_allowed: bool,
    relatives: str = "",
    at: datetime,
    actor: Actor,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Event:
    """The citizen's wishes about sharing, as the hospital heard them: the USR sections declined
    (rules.SHARING_SECTIONS), a note, and the relatives. Recorded with who and when (the event's row);
    the USR for the municipality leaves the declined sections out from then on."""
    declined = list(declined)
    unknown = [s for s in declined if s not in rules.SHARING_SECTIONS]
    if unknown:
        raise ServiceError("service.unknown_section", {"names": ", ".join(unknown)}, field="declined")
    data = {
        "declined": declined,
        "note": (note or "").strip(),
        "relatives_allowed": bool(relatives_allowed),
        "relatives": (relatives or "").strip(),
    }
    return _append(admission, "sharing_wishes", at, data, actor, now, expected_version)
