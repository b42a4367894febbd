"""Corrections on the timeline (issue 12): the effective timeline the engine judges.

Nothing is edited or deleted. An `entered_in_error` event marks an earlier event as never having happened; a
`corrected` event gives some of its values anew. `apply_corrections` turns the recorded timeline into the one
the rules judge: corrections themselves are no step of the course, an event in error is left out, and a
corrected event stands in its own place with the corrected values (a later correction of the same event on
top of an earlier one). Screens show the original struck through beside its correction (`corrections`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .registry import REFUSAL, rule
from .timeline import _FIELDS, _MESSAGE_FIELDS, TimelineError, _Field, _parse_field, _show
from .types import CORRECTION_TYPES, Correction, Event, Rejection

RULE = "R-CORRECTION"

# What a correction may not give anew: when and what the event was (R-CORRECTION).
FIXED_FIELDS = ("at", "type", "code")


def fields_of(event: Event) -> dict[str, _Field]:
    """The fields an event of this type (and message code) has besides `at` and `type`."""
    specs = _FIELDS.get(event.type, ())
    if event.type == "message":
        specs = (*specs, *_MESSAGE_FIELDS.get(event.data.get("code"), ()))  # type: ignore[arg-type]
    return {spec.name: spec for spec in specs}


def parse_values(target: Event, values: Mapping[str, Any], where: str, *, strict: bool = True) -> dict:
    """A correction's values typed as the target event's own fields. Raises TimelineError for a field the
    event does not have, one that may not change (its time, type or message code; the citizen recorded
    with an admission, which `citizen_changed` corrects) or a value of the wrong kind."""
    fields = fields_of(target)
    typed: dict[str, Any] = {}
    for name in values:
        if name in FIXED_FIELDS:
            raise TimelineError(
                f"{where}: en rettelse kan ikke ændre hændelsens tidspunkt, type eller meddelelseskode "
                f"({name}); markér den som fejlregistreret, og registrér den rigtige"
            )
        spec = fields.get(name)
        if spec is None or spec.kind == "citizen":
            known = ", ".join(n for n, s in fields.items() if n != "code" and s.kind != "citizen") or "ingen"
            raise TimelineError(
                f"{where}: hændelsen '{target.type}' har intet felt {_show(name)}, der kan rettes "
                f"(kan rettes: {known})"
            )
        if values[name] is None and spec.required:
            raise TimelineError(f"{where}: feltet '{name}' er påkrævet og kan ikke rettes til ingenting")
        typed[name] = _parse_field(spec, values, where, strict)
    return typed


@dataclass(frozen=True)
class Effective:
    """The timeline as judged: (index in the input, event) pairs, the accepted corrections and the refused."""

    events: tuple[tuple[int, Event], ...]
    corrections: tuple[Correction, ...]
    refused: tuple[Rejection, ...]


def _id(event: Event, index: int) -> int | str:
    return event.id if event.id is not None else index


@rule(RULE, "Rettelser på tidslinjen", "issue 12 (en rettelse er en ny hændelse)", REFUSAL)
def apply_corrections(events: Sequence[Event]) -> Effective:
    """A correction names an earlier event by its id and says why. An event marked entered in error is
    left out of the timeline the rules judge; a corrected event is judged with the corrected values, in its
    own place. Refused (and changing nothing): a correction of an unknown or later event, of a correction,
    of an event already in error, or of the admission itself as in error; a correction that would change
    the event's time, type or message code, or gives a field the event does not have or a wrong value.
    """
    position: dict[int | str, int] = {}
    corrections: set[int | str] = set()  # the ids of the corrections themselves
    current: dict[int, Event] = {}  # by index: the events as corrected so far
    in_error: set[int] = set()
    accepted: list[Correction] = []
    refused: list[Rejection] = []
    for index, event in enumerate(events):
        if event.type not in CORRECTION_TYPES:
            position[_id(event, index)] = index
            current[index] = event
            continue
        named = event.data.get("event")
        corrections.add(_id(event, index))
        if named in corrections:
            refused.append(Rejection(index, RULE, "correction.of_correction"))
            continue
        target = position.get(named)  # type: ignore[arg-type]
        outcome = _judge(event, index, target, current, in_error)
        if isinstance(outcome, Refusal):
            refused.append(Rejection(index, RULE, outcome.key, outcome.params))
            continue
        values, correction = outcome
        accepted.append(correction)
        if event.type == "entered_in_error":
            in_error.add(target)  # type: ignore[arg-type]
        else:
            corrected = current[target]  # type: ignore[index]
            current[target] = replace(corrected, data={**corrected.data, **values})  # type: ignore[index]
    effective = tuple((i, e) for i, e in sorted(current.items()) if i not in in_error)
    return Effective(effective, tuple(accepted), tuple(refused))


@dataclass(frozen=True)
class Refusal:
    """Why a correction is refused: a text key and its parameters (the sentence is made when shown)."""

    key: str
    params: dict = field(default_factory=dict)


def _judge(
    event: Event, index: int, target: int | None, current: dict[int, Event], in_error: set[int]
) -> Refusal | tuple[dict, Correction]:
    """The typed values and the correction, or why the correction is refused."""
    reason = str(event.data.get("reason") or "").strip()
    if target is None:
        return Refusal("correction.unknown_event")
    if not reason:
        return Refusal("correction.no_reason")
    original = current[target]
    if target in in_error:
        return Refusal("correction.already_in_error")
    values: dict = {}
    if event.type == "entered_in_error" and original.type == "admitted":
        return Refusal("correction.admission")
    if event.type == "corrected":
        try:
            values = parse_values(original, event.data.get("values") or {}, "rettelsen", strict=False)
        except TimelineError as error:
            if error.key:
                return Refusal(error.key, dict(error.params))
            return Refusal("correction.invalid", {"detail": str(error).removeprefix("rettelsen: ")})
    correction = Correction(
        event=_id(original, target),
        kind=event.type,
        by=_id(event, index),
        at=event.at,
        reason=reason,
        values=values,
    )
    return values, correction
