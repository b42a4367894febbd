"""The fields of each event type besides `at` and `type` (REPLAY.md's table, plus the event types the
product adds: citizen facts, corrections, forløbskoordination), as `parse_event` reads them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .types import EXPECTED_STAYS, MESSAGE_CODES, PARTIES, READ_CODES, RESIDENCES, RESUME_REASONS


@dataclass(frozen=True)
class _Field:
    name: str
    # "bool" | "date" | "time" | "str" | "choice" | "reasons" | "criteria" | "sections" | "citizen" | "ref"
    # | "values"
    kind: str
    required: bool = True
    choices: tuple[str, ...] = ()
    default: Any = None


def _choice(name: str, choices: tuple[str, ...]) -> _Field:
    return _Field(name, "choice", choices=choices)


# The fields of each event type besides `at` and `type` (REPLAY.md's table).
_FIELDS: dict[str, tuple[_Field, ...]] = {
    "admitted": (
        _choice("expected_stay", EXPECTED_STAYS),
        _Field("somatic", "bool"),
        # Not in REPLAY.md (whose citizen stands beside the events): the facts recorded with the admission.
        _Field("citizen", "citizen", required=False),
    ),
    "message": (_choice("code", MESSAGE_CODES),),
    "message_read": (_choice("code", READ_CODES), _choice("by", PARTIES)),
    "coordination_identified": (_Field("reason", "str"),),
    "discharge_planned": (
        _Field("discharge_at", "time"),
        _Field("needs_changed", "bool"),
        _Field("practical_help_only", "bool"),
        _Field("municipal_nursing", "bool"),
        _choice("destination", RESIDENCES),
        _Field("rehabilitation_needed", "bool", required=False, default=False),
    ),
    "phone_agreement": (_Field("discharge_at", "time"),),
    "municipality_contacted": (),
    "conference_planned": (_Field("conference_at", "time"),),
    "conference_held": (
        _Field("discharge_at", "time", required=False),
        # Not in REPLAY.md: the minutes, for people; never read by the rules.
        _Field("minutes", "str", required=False),
    ),
    "faerdigbehandlet": (
        _Field("date", "date"),
        _Field("waiting_for", "reasons", required=False, default=()),
    ),
    "treatment_resumed": (_choice("reason", RESUME_REASONS),),
    "left_ward": (),
    "discharge_registered": (),
    "rehabilitation_started": (),
    "mof_disputed": (_Field("note", "str"),),
    "transferred": (
        _Field("ward", "str", required=False),
        _Field("hospital", "str", required=False),
        _Field("municipality", "str", required=False),
    ),
    "leave_started": (),
    "leave_ended": (),
    "citizen_changed": (
        _Field("known_in_eoj", "bool", required=False),
        _Field("residence", "choice", required=False, choices=RESIDENCES),
        _Field("social_area", "bool", required=False),
        _Field("terminal", "bool", required=False),
        _Field("reason", "str"),
    ),
    # Corrections (rules/corrections.py): `event` names an earlier event (its index in the input, its
    # sequence once stored); `values` the fields given anew, as the event's own fields are written.
    "entered_in_error": (_Field("event", "ref"), _Field("reason", "str")),
    "corrected": (_Field("event", "ref"), _Field("reason", "str"), _Field("values", "values")),
    # R-FK (docs/replay.md): the coordinator by user name; the side they work for is added by the service
    # from the user when not given.
    "fk_included": (
        _choice("by", PARTIES),
        _Field("criteria", "criteria"),
        _Field("coordinator", "str"),
        _Field("coordinator_side", "choice", required=False, choices=PARTIES),
        _Field("judgement", "str", required=False, default=""),
    ),
    "fk_coordinator_changed": (
        _Field("coordinator", "str"),
        _Field("coordinator_side", "choice", required=False, choices=PARTIES),
    ),
    "fk_visit_planned": (_Field("due_on", "date"),),
    "fk_visit_done": (_Field("note", "str", required=False, default=""),),
    "fk_ended": (_Field("note", "str"),),
    "epikrise_sent": (_Field("on_time", "bool"),),
    # Sundhedsloven § 41 (docs/replay.md): the USR sections declined (SHARING_SECTIONS), a note, and the
    # relatives: whether they may be contacted and who (name, relation, phone as one text).
    "sharing_wishes": (
        _Field("declined", "sections", required=False, default=()),
        _Field("note", "str", required=False, default=""),
        _Field("relatives_allowed", "bool"),
        _Field("relatives", "str", required=False, default=""),
    ),
}
_MESSAGE_FIELDS: dict[str, tuple[_Field, ...]] = {
    "PFP": (
        _Field("coordination_needed", "bool"),
        _Field("faerdigbehandlet_date", "date"),
        _Field("date_certain", "bool"),
    ),
    "KM": (_choice("from", PARTIES), _Field("subject", "str")),
}
_FROM_EVENTS = {
    "MOF": "faerdigbehandlet",
    "MOF-GENOPTAGET": "treatment_resumed",
    "ADVIS-UD": "discharge_registered",
}
