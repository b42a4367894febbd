"""`to_replay_dict`: an Evaluation as REPLAY.md's output object (the replay command prints it as JSON)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from .calendar import local
from .types import Evaluation, Obligation


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 with the Europe/Copenhagen offset of that instant (+01:00 or +02:00)."""
    return local(moment).isoformat() if moment is not None else None


def _obligation(item: Obligation) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": item.rule,
        "owner": item.owner,
        "due": iso(item.due),
        "status": item.status,
        "met_at": iso(item.met_at),
    }
    if item.rule == "R-READ":
        out["message"] = item.message
    return out


Render = Callable[[str, Mapping[str, Any]], str]


def _key_only(key: str, params: Mapping[str, Any]) -> str:
    return key


def to_replay_dict(evaluation: Evaluation, render: Render = _key_only) -> dict[str, Any]:
    """Exactly REPLAY.md's output: no keys, labels or board facts, which are for the app.

    `render` makes a warning's or a refusal's text from its key and parameters: the replay command passes
    coordination.texts with Danish active (REPLAY.md: "a Danish message for a person"); the engine itself
    knows no language, so by default the key stands in for the text."""
    return {
        "obligations": [_obligation(o) for o in evaluation.obligations],
        "faerdigbehandling": {
            "periods": [
                {
                    "registered": p.registered.isoformat(),
                    "ended": p.ended.isoformat() if p.ended is not None else None,
                    "days": p.days,
                    "voided": p.voided,
                    "waiting_for": list(p.waiting_for),
                }
                for p in evaluation.periods
            ],
            "days": evaluation.days,
        },
        "extended_responsibility_until": iso(evaluation.extended_responsibility_until),
        "medicine_until": evaluation.medicine_until.isoformat() if evaluation.medicine_until else None,
        "warnings": [{"rule": w.rule, "message": render(w.key, w.params)} for w in evaluation.warnings],
        "rejected": [
            {"event": r.event, "rule": r.rule, "message": render(r.key, r.params)}
            for r in evaluation.rejected
        ],
    }
