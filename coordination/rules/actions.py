"""What a side can do now (issue 14 "Sig hvad der er forfaldent"): every step a person records on the course,
judged at `now` as the engine would judge it, and which open obligations each step would meet.

A step (`Step`: an event type, a message by its code) is offered to the refusal rules in the engine's order
(R-FLOW, R-PSYK, R-FB-*, R-FK) as an event at `now` with the least data they read; a step they would refuse is
not available now (a second discharge registration, a discharge registration before the departure, a PFP
after it, a dispute with no MOF, a resumption with no open period …). One step the engine accepts is still not
offered: the start of rehabilitation before the citizen has left, which meets nothing (R-GOP-START counts
only a start after the departure).

Each open obligation that can still be met names the steps that meet it (`flow.FULFILLED_BY`); the first of
them the engine would accept now is its `step`. No clock and no Django: the caller gives `now`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from .calendar import local_date
from .course import Course
from .flow import FULFILLED_BY, probe
from .types import Event, Obligation, Refused, Step, StepJudgement

# The steps a person records on the admission page, in the order of a course (R-READ's read is posted by the
# page itself; the forløbskoordination's visit has its own section).
STEPS: tuple[Step, ...] = (
    Step("message", "ILR"),
    Step("message", "MILR"),
    Step("message", "PFP"),
    Step("message", "KM"),
    Step("municipality_contacted"),
    Step("coordination_identified"),
    Step("conference_planned"),
    Step("conference_held"),
    Step("discharge_planned"),
    Step("phone_agreement"),
    Step("faerdigbehandlet"),
    Step("treatment_resumed"),
    Step("mof_disputed"),
    Step("message", "USR"),
    Step("message", "GOP"),
    Step("left_ward"),
    Step("discharge_registered"),
    Step("rehabilitation_started"),
    Step("citizen_changed"),
    Step("sharing_wishes"),
    Step("message_read"),
    Step("fk_visit_done"),
)

Refusal = Callable[[Course, Event], "tuple[str, Refused] | None"]

OPEN_STATES = ("open", "overdue")


def _probe_data(step: Step, now: datetime) -> dict[str, object]:
    # R-FB-REG reads the registration's date: today's is the latest it accepts.
    if step.type == "faerdigbehandlet":
        return {"date": local_date(now)}
    return {}


def not_yet(course: Course, step: Step) -> tuple[str, Refused] | None:
    """A step the engine accepts but that means nothing yet: rehabilitation started before the departure."""
    if step.type == "rehabilitation_started" and course.left is None:
        return "R-GOP-START", Refused("actions.rehabilitation_before_leaving")
    return None


def judge_step(course: Course, step: Step, now: datetime, refusal: Refusal) -> tuple[str, Refused] | None:
    """The refusing rule and why, when the engine would refuse `step` at `now`; else None."""
    return refusal(course, probe(step, now, **_probe_data(step, now))) or not_yet(course, step)


def judge_steps(
    course: Course,
    obligations: Sequence[Obligation],
    now: datetime,
    refusal: Refusal,
    steps: Sequence[Step] = STEPS,
) -> tuple[tuple[StepJudgement, ...], tuple[Obligation, ...]]:
    """Every step judged at `now`, with the keys of the open, still possible obligations it meets; and the
    obligations, each with its `step` (the first of its rule's steps the engine would accept now)."""
    wanted = tuple(dict.fromkeys((*steps, *(s for ss in FULFILLED_BY.values() for s in ss))))
    refused = {step: judge_step(course, step, now, refusal) for step in wanted}
    marked = tuple(
        replace(o, step=next((s.key for s in FULFILLED_BY.get(o.rule, ()) if refused[s] is None), ""))
        for o in obligations
    )
    judged = []
    for step in steps:
        why_not = refused[step]
        meets = ()
        if why_not is None:
            meets = tuple(
                o.key
                for o in marked
                if o.status in OPEN_STATES and o.possible and step in FULFILLED_BY.get(o.rule, ())
            )
        rule, reason = why_not if why_not is not None else ("", None)
        judged.append(StepJudgement(step=step, refused=reason, rule=rule, meets=meets))
    return tuple(judged), marked
