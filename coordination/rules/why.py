"""The "Hvorfor?" of an obligation (issue 14): each duty unit says, with its Obligation, this case's
arithmetic as a text key and plain JSON parameters (`Why`): the base event's kind (a Step key such as
"message:ADVIS-IND"), its time, the rule's setting (hours, a shift, a time of day) and the due. No sentence:
coordination.why_texts makes it when shown, in the reader's language.

A rule with no special arithmetic uses the generic key "why.generic" (base → due, or as soon as possible).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from .calendar import local
from .course import Entry
from .types import Step, Why

GENERIC = "why.generic"


def iso(value: datetime | date | time | None) -> str | None:
    """A time in Copenhagen time (with its offset), a date or a clock time as ISO 8601; None stays None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return local(value).isoformat()
    if isinstance(value, time):
        return f"{value:%H:%M}"
    return value.isoformat()


def kind(entry: Entry) -> str:
    """The base event's kind as a step key: a message by its code, else the event type."""
    code = entry.get("code") if entry.type == "message" else None
    return Step(entry.type, code).key  # type: ignore[arg-type]


def why(key: str, base: Entry | None, due: datetime | None, **params: Any) -> Why:
    """`key` with the base event (kind and time), the due and the rule's own parameters, JSON-ready."""
    values: dict[str, Any] = {}
    if base is not None:
        values["base"] = kind(base)
        values["at"] = iso(base.at)
    values["due"] = iso(due)
    for name, value in params.items():
        values[name] = iso(value) if isinstance(value, (datetime, date, time)) else value
    return Why(key, values)


def generic(base: Entry | None, due: datetime | None) -> Why:
    return why(GENERIC, base, due)
