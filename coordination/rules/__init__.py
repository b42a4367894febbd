"""The rules engine of Sektorovergang: the cross-sector agreements (`domain/RULES.md`) as pure Python.

No Django and no clock: `evaluate` gets the events, the citizen, the agreement profile versions and `now`,
and returns the obligations, færdigbehandling periods, warnings, refusals and facts for the board.
`parse_timeline` and `to_replay_dict` are the two ends of the replay contract (`domain/REPLAY.md`).
"""

from .calendar import FIRST_YEAR, LAST_YEAR, in_accepted_range
from .engine import RULES, evaluate
from .faerdigbehandling import FB_CHECKLIST, ChecklistItem, fee_days
from .messages import ilr_expected
from .output import to_replay_dict
from .profiles import PROFILES, profile_at
from .registry import RuleUnit
from .timeline import TimelineError, parse_event, parse_timeline
from .types import (
    CITIZEN_FACTS,
    EVENT_TYPES,
    HOSPITAL,
    MESSAGE_CODES,
    MUNICIPALITY,
    READ_CODES,
    WAITING_REASONS,
    Citizen,
    Evaluation,
    Event,
    Obligation,
    Period,
    PfpFact,
    Profile,
    Refused,
    Rejection,
    ReplayInput,
    Warning,
)

__all__ = [
    "CITIZEN_FACTS",
    "EVENT_TYPES",
    "FB_CHECKLIST",
    "FIRST_YEAR",
    "HOSPITAL",
    "LAST_YEAR",
    "MESSAGE_CODES",
    "MUNICIPALITY",
    "PROFILES",
    "READ_CODES",
    "RULES",
    "WAITING_REASONS",
    "ChecklistItem",
    "Citizen",
    "Evaluation",
    "Event",
    "Obligation",
    "Period",
    "PfpFact",
    "Profile",
    "Refused",
    "Rejection",
    "ReplayInput",
    "RuleUnit",
    "TimelineError",
    "Warning",
    "evaluate",
    "fee_days",
    "ilr_expected",
    "in_accepted_range",
    "parse_event",
    "parse_timeline",
    "profile_at",
    "to_replay_dict",
]
