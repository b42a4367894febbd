"""The rules engine of Sektorovergang: the cross-sector agreements (`domain/RULES.md`) as pure Python.

No Django and no clock: `evaluate` gets the events, the citizen, the agreement profile versions and `now`,
and returns the obligations, færdigbehandling periods, warnings, refusals and facts for the board.
`parse_timeline` and `to_replay_dict` are the two ends of the replay contract (`domain/REPLAY.md`).
"""

from .calendar import FIRST_YEAR, LAST_YEAR, in_accepted_range
from .corrections import apply_corrections, parse_values
from .engine import RULES, evaluate
from .faerdigbehandling import FB_CHECKLIST, ChecklistItem, fee_days
from .messages import ilr_expected
from .output import to_replay_dict
from .profiles import PROFILES, profile_at
from .registry import RuleUnit
from .timeline import TimelineError, parse_event, parse_timeline
from .types import (
    CITIZEN_FACTS,
    CORRECTION_TYPES,
    EVENT_TYPES,
    FK_CRITERIA,
    FK_CRITERIA_ALL,
    FK_QUALITY,
    HOSPITAL,
    MESSAGE_CODES,
    MUNICIPALITY,
    READ_CODES,
    SHARING_SECTIONS,
    WAITING_REASONS,
    Citizen,
    Correction,
    Evaluation,
    Event,
    ForloebFact,
    Obligation,
    Period,
    PfpFact,
    Profile,
    Refused,
    Rejection,
    ReplayInput,
    SharingFact,
    Warning,
)

__all__ = [
    "CITIZEN_FACTS",
    "CORRECTION_TYPES",
    "EVENT_TYPES",
    "FB_CHECKLIST",
    "FIRST_YEAR",
    "FK_CRITERIA",
    "FK_CRITERIA_ALL",
    "FK_QUALITY",
    "HOSPITAL",
    "LAST_YEAR",
    "MESSAGE_CODES",
    "MUNICIPALITY",
    "PROFILES",
    "READ_CODES",
    "RULES",
    "SHARING_SECTIONS",
    "WAITING_REASONS",
    "apply_corrections",
    "ChecklistItem",
    "Citizen",
    "Correction",
    "Evaluation",
    "Event",
    "ForloebFact",
    "Obligation",
    "Period",
    "PfpFact",
    "Profile",
    "Refused",
    "Rejection",
    "ReplayInput",
    "RuleUnit",
    "SharingFact",
    "TimelineError",
    "Warning",
    "evaluate",
    "fee_days",
    "ilr_expected",
    "in_accepted_range",
    "parse_event",
    "parse_timeline",
    "parse_values",
    "profile_at",
    "to_replay_dict",
]
