"""The engine's data: events in, obligations and facts out, and the agreement profile.

Plain frozen dataclasses, no Django. Field meanings follow `domain/RULES.md` and `domain/REPLAY.md`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, NamedTuple

from .codes import (  # noqa: F401 (the engine's codes, importable from here as before)
    CORRECTION_TYPES,
    EVENT_MESSAGE_CODES,
    EVENT_TYPES,
    EXPECTED_STAYS,
    FK_CRITERIA,
    FK_CRITERIA_ALL,
    FK_QUALITY,
    HOSPITAL,
    LATE,
    MESSAGE_CODES,
    MESSAGE_SENDER,
    MET,
    MUNICIPALITY,
    OPEN,
    OVERDUE,
    PARTIES,
    PROFILE_CODES,
    READ_CODES,
    RESIDENCES,
    RESUME_REASONS,
    SHARING_SECTIONS,
    WAITING_REASONS,
)


@dataclass(frozen=True)
class Event:
    """One thing that happened in the course, as REPLAY.md describes it.

    `data` holds the fields besides `at`/`type`, already typed (dates as `date`, times as aware `datetime`,
    `waiting_for` as a tuple), optional ones present with their defaults.
    """

    type: str
    at: datetime
    data: Mapping[str, Any] = field(default_factory=dict)
    id: int | str | None = None


@dataclass(frozen=True)
class Citizen:
    """The facts about the citizen that the rules read. Recorded with the admission; changed only by a
    `citizen_changed` event on the timeline."""

    known_in_eoj: bool
    residence: str
    social_area: bool
    terminal: bool


CITIZEN_FACTS = ("known_in_eoj", "residence", "social_area", "terminal")


@dataclass(frozen=True)
class Profile:
    """One version of a region's agreement profile (RULES.md "Agreement profiles"). None means "no due"."""

    code: str
    valid_from: date
    milr_due_hours: int | None
    night_shift_start: time
    night_shift_end: time
    milr_night_due_time: time | None
    pfp_coord: bool
    mun_contact: bool
    mun_contact_hours: int | None
    pfp_date: bool
    pfp_date_due_time: time | None
    pfp_date_days_before: int
    long_stay_hours: int
    pfp_always: bool
    pfp_ack: bool
    pfp_ack_subject: str
    conference_pfp: bool
    call_13: bool
    call_13_time: time
    advis_ud_hours: int | None
    read_receipts: bool
    read_hours: int
    gop_start_days: int
    gop_answer: bool
    gop_question_prefix: str
    extended_responsibility_hours: int | None
    extended_responsibility_min_stay_hours: int
    medicine_until_weekday: bool
    psyk_refusals: bool
    plejebolig_warning: bool
    late_evening_start: time
    late_evening_end: time
    fb_date_mismatch_warning: bool
    fb_precond_warning: bool


class Step(NamedTuple):
    """One step a person records on the course (issue 14): an event type, and for a `message` its code.
    `key` is its name for storing and for the screens ("message:PFP", "phone_agreement")."""

    type: str
    code: str | None = None

    @property
    def key(self) -> str:
        return f"{self.type}:{self.code}" if self.code else self.type


@dataclass(frozen=True)
class Why:
    """Why an obligation is due when it is (issue 14 "Hvorfor?"): a text key and this case's parameters
    (the base event's kind and time, a shift, the date named, the due), no sentence; the sentence is made
    when shown (coordination.why_texts)."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StepJudgement:
    """A step judged at `now` (rules/actions.py): whether the engine would refuse it now (the refusing rule
    and why), and the keys of the open, still possible obligations it would meet."""

    step: Step
    refused: Refused | None
    rule: str = ""
    meets: tuple[str, ...] = ()

    @property
    def available(self) -> bool:
        return self.refused is None


@dataclass(frozen=True)
class Obligation:
    rule: str
    owner: str
    due: datetime | None
    status: str
    met_at: datetime | None
    key: str
    message: str | None = None
    label: str = ""
    # Whether the owner can still meet it (issue 14): False with the text key of why not (R-FLOW would
    # refuse the step that meets it, e.g. a PFP after the citizen has left). Only an open one is judged.
    possible: bool = True
    impossible_reason: str = ""
    # Why it is due when it is (issue 14): the rule's arithmetic for this case, as a key and parameters.
    why: Why | None = None
    # The step that meets it (Step.key), as rules/actions.py judges it: the first of the rule's steps the
    # engine would accept now; "" when the rule has no step a person records.
    step: str = ""


@dataclass(frozen=True)
class Period:
    """One færdigbehandling period (R-FB-FEE): from the registration to its end, or open."""

    registered: date
    ended: date | None
    days: int
    voided: bool
    waiting_for: tuple[str, ...]
    registered_at: datetime
    disputed: bool = False
    dispute_note: str = ""
    # True when resumed treatment (R-FB-RESUME, either reason) ended the period, not the departure.
    resumed: bool = False


@dataclass(frozen=True)
class PfpFact:
    """The newest PFP as the board and the printouts show it (R-PFP-DATE, R-PFP-ACK)."""

    version: int  # how many PFPs have been sent, this one included
    sent_at: datetime
    faerdigbehandlet_date: date | None
    date_certain: bool
    coordination_needed: bool
    # R-PFP-ACK: the municipality has answered this PFP with the profile's acknowledgement KM.
    acknowledged: bool


@dataclass(frozen=True)
class Refused:
    """Why a refusal rule refuses an event: a text key and its parameters, no sentence. The text is made
    when shown, in the reader's language (coordination.texts); the replay renders it in Danish."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ForloebFact:
    """One admission's forløbskoordination (R-FK) and its quality parameters (R-FK-QUALITY): each parameter
    True (met), False (not met) or None (does not apply, or not decided yet)."""

    included_at: datetime
    included_by: str
    criteria: tuple[str, ...]
    coordinator: str
    coordinator_side: str
    visit_due_on: date | None
    visit_done_at: datetime | None
    ended_at: datetime | None
    quality: Mapping[str, bool | None]


@dataclass(frozen=True)
class Warning:  # the public name; it shadows the builtin only where it is imported
    rule: str
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    event: int | None = None


@dataclass(frozen=True)
class Rejection:
    event: int
    rule: str
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Correction:
    """One accepted correction (rules/corrections.py): which event, how, by which event and why.

    `event` and `by` are event ids (on an admission the events' sequences, in a replay input their
    indexes); the correcting event's row says who recorded it. `values` are the corrected values, typed as
    the event's own data (empty when the event was entered in error)."""

    event: int | str
    kind: str  # "entered_in_error" | "corrected"
    by: int | str
    at: datetime
    reason: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SharingFact:
    """The citizen's wishes about sharing in force (the newest `sharing_wishes` event): the USR sections
    declined (SHARING_SECTIONS, in that order), a note, whether the relatives may be contacted and who.
    `event` is the recording event's id (its sequence once stored: the row says who recorded it)."""

    declined: tuple[str, ...]
    note: str
    relatives_allowed: bool
    relatives: str
    at: datetime
    event: int | str | None = None

    @property
    def limited(self) -> bool:
        """Something is kept from the municipality: a declined section, or the relatives are not to be
        contacted."""
        return bool(self.declined) or not self.relatives_allowed


@dataclass(frozen=True)
class Evaluation:
    obligations: tuple[Obligation, ...]
    periods: tuple[Period, ...]
    days: int
    extended_responsibility_until: datetime | None
    medicine_until: date | None
    warnings: tuple[Warning, ...]
    rejected: tuple[Rejection, ...]
    admitted_at: datetime | None
    over_48h: bool
    expected_faerdigbehandlet_on: date | None
    faerdigbehandlet_date_certain: bool | None
    planned_discharge_at: datetime | None
    agreed_discharge_at: datetime | None
    left_at: datetime | None
    discharge_registered_at: datetime | None
    faerdigbehandlet_on: date | None
    reevaluate_at: datetime | None
    # R-ILR: False for a citizen unknown in EOJ, for whom no ILR comes; the board says so.
    ilr_expected: bool = True
    # R-READ: per side, the codes of the messages it received and has not read, in the order they came.
    unread: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    pfp: PfpFact | None = None
    # R-PLEJEBOLIG's condition: the citizen lives in or goes to (newest plan) a plejebolig.
    goes_to_plejebolig: bool = False
    # R-PFP-COORD / R-MUN-24H: further coordination was identified, asked for in a PFP or by KM.
    coordination_requested: bool = False
    # R-PFP-COORD's record: the hospital recorded (with a reason) that further coordination is needed.
    coordination_identified: bool = False
    # R-GOP-START: the last date rehabilitation may start, once rehabilitation and a discharge are known.
    rehabilitation_start_by: date | None = None
    # R-USR: when the first USR was sent (what meets R-USR); the board's USR column shows it.
    usr_sent_at: datetime | None = None
    # R-CONFERENCE-MINUTES: per held conference (its event's ref), when the PFP with its decisions was sent.
    conference_minutes: Mapping[str, datetime] = field(default_factory=dict)
    # The citizen's facts in force at the end of the timeline (as recorded, then changed by events).
    citizen: Citizen | None = None
    # The accepted corrections, in timeline order: the screens strike the originals through.
    corrections: tuple[Correction, ...] = ()
    # R-FK / R-FK-QUALITY: the forløbskoordination of this admission, when the citizen was included.
    forloeb: ForloebFact | None = None
    # Where each fact came from: fact name (admitted_at, agreed_discharge_at, citizen …) -> its event's id.
    sources: Mapping[str, int | str] = field(default_factory=dict)
    # Every step a person may record, judged at `now` (rules/actions.py): refused or not, and what it meets.
    steps: tuple[StepJudgement, ...] = ()

    @property
    def available_steps(self) -> tuple[StepJudgement, ...]:
        """The steps the engine would accept now."""
        return tuple(s for s in self.steps if s.available)

    # Sundhedsloven § 41 (seed 001): the citizen's wishes about sharing in force, the newest recorded.
    sharing: SharingFact | None = None


@dataclass(frozen=True)
class ReplayInput:
    profile: str
    now: datetime
    citizen: Citizen
    events: tuple[Event, ...]
