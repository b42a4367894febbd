"""The named rule units: every rule id of RULES.md that concerns one admission has exactly one.

A unit is a function marked with `@rule(...)`; the marker records the id, a short label, the seed it comes
from and what kind of rule it is, so the registry (`engine.RULES`) can be checked against RULES.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

# Kinds of rule unit.
DUTY = "duty"  # yields obligations
REFUSAL = "refusal"  # refuses events
WARNING = "warning"  # raises warnings
FACT = "fact"  # computes a fact for the board (a date, a window, periods)
DATA = "data"  # plain data (a checklist)

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class RuleUnit:
    id: str
    label: str
    seed: str
    kind: str
    name: str
    doc: str


def rule(rule_id: str, label: str, seed: str, kind: str) -> Callable[[F], F]:
    """Mark a function as the unit implementing `rule_id`."""

    def mark(func: F) -> F:
        doc = (func.__doc__ or "").strip()
        func.unit = RuleUnit(rule_id, label, seed, kind, f"{func.__module__}.{func.__qualname__}", doc)  # type: ignore[attr-defined]
        return func

    return mark


def unit_of(func: Callable[..., Any]) -> RuleUnit:
    return func.unit  # type: ignore[attr-defined]
