"""Reading and validating REPLAY.md's input object: `parse_timeline` and `parse_event`.

Everything in REPLAY.md's "Errors" section raises `TimelineError`, whose text is one Danish line naming the
event index (or `tidslinjen` for the fields around the events) and what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from .calendar import FIRST_YEAR, LAST_YEAR, in_accepted_range, instant, local
from .fields import _FIELDS, _FROM_EVENTS, _MESSAGE_FIELDS, _choice, _Field  # noqa: F401 (corrections)
from .types import (
    CORRECTION_TYPES,
    EVENT_TYPES,
    FK_CRITERIA_ALL,
    PROFILE_CODES,
    RESIDENCES,
    SHARING_SECTIONS,
    WAITING_REASONS,
    Citizen,
    Event,
    ReplayInput,
)


class TimelineError(ValueError):
    """Input that is not a timeline. `str(error)` is one Danish line naming the event index. The errors a
    form can meet also carry a text key with its parameters and the field (coordination.texts makes the
    sentence in the reader's language)."""

    def __init__(
        self, message: str, key: str | None = None, params: dict | None = None, field: str | None = None
    ):
        super().__init__(message)
        self.key = key
        self.params = params or {}
        self.field = field


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(?P<offset>Z|[+-]\d{2}:\d{2})?$")


def _show(value: Any) -> str:
    """A value for a one-line message: quoted, control characters escaped, long ones cut."""
    text = value if isinstance(value, str) else repr(value)
    text = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    if len(text) > 60:
        text = text[:57] + "..."
    return f"'{text}'"


def _out_of_range(value: Any, where: str, name: str) -> TimelineError:
    return TimelineError(
        f"{where}: feltet '{name}' ({_show(value)}) ligger uden for årene {FIRST_YEAR}–{LAST_YEAR} "
        "og kan ikke passe",
        "timeline.year",
        {"name": name, "first": FIRST_YEAR, "last": LAST_YEAR},
        name,
    )


def parse_time(value: Any, where: str, name: str, *, strict: bool = True) -> datetime:
    """An ISO time with offset (or Z), returned in Copenhagen time; only years FIRST_YEAR..LAST_YEAR (unless
    not `strict`: an event stored before the bound came is read as it was stored)."""
    if not isinstance(value, str) or (match := _TIME.match(value)) is None:
        raise TimelineError(
            f"{where}: feltet '{name}' skal være et tidspunkt som 2026-03-02T10:00:00+01:00, "
            f"ikke {_show(value)}"
        )
    if match.group("offset") is None:
        raise TimelineError(f"{where}: tidspunktet {_show(value)} mangler UTC-forskydning (fx +01:00)")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise TimelineError(
            f"{where}: tidspunktet {_show(value)} findes ikke",
            "timeline.no_such_time",
            {"value": value},
            name,
        ) from None
    if strict and not in_accepted_range(moment):
        raise _out_of_range(value, where, name)
    try:
        return local(moment)
    except OverflowError:
        raise _out_of_range(value, where, name) from None


def _parse_date(value: Any, where: str, name: str, *, strict: bool = True) -> date:
    if isinstance(value, str) and _DATE.match(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            pass
        else:
            if strict and not in_accepted_range(day):
                raise _out_of_range(value, where, name)
            return day
    raise TimelineError(f"{where}: feltet '{name}' skal være en dato som 2026-03-02, ikke {_show(value)}")


def _parse_field(spec: _Field, raw: Mapping[str, Any], where: str, strict: bool = True) -> Any:
    value = raw.get(spec.name)
    if value is None:
        if spec.required:
            raise TimelineError(f"{where}: feltet '{spec.name}' mangler")
        return spec.default
    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise TimelineError(
                f"{where}: feltet '{spec.name}' skal være true eller false, ikke {_show(value)}"
            )
        return value
    if spec.kind == "str":
        if not isinstance(value, str):
            raise TimelineError(f"{where}: feltet '{spec.name}' skal være en tekst, ikke {_show(value)}")
        if strict and (why := unstorable(value)):
            raise TimelineError(f"{where}: feltet '{spec.name}' {why}")
        return value
    if spec.kind == "date":
        return _parse_date(value, where, spec.name, strict=strict)
    if spec.kind == "time":
        return parse_time(value, where, spec.name, strict=strict)
    if spec.kind == "citizen":
        return _parse_citizen(value, where)
    if spec.kind == "ref":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise TimelineError(
                f"{where}: feltet '{spec.name}' skal være nummeret på en tidligere hændelse, "
                f"ikke {_show(value)}"
            )
        return value
    if spec.kind == "values":
        return _check_values(value, where, strict)
    if spec.kind == "choice":
        if value not in spec.choices:
            raise TimelineError(
                f"{where}: feltet '{spec.name}' har den ukendte værdi {_show(value)} "
                f"(gyldige: {', '.join(spec.choices)})"
            )
        return value
    # "reasons": a list of waiting_for reasons; "criteria": a list of R-FK criteria; "sections": a list of
    # USR sections (sharing_wishes), kept in SHARING_SECTIONS' order.
    if not isinstance(value, list):
        raise TimelineError(f"{where}: feltet '{spec.name}' skal være en liste, ikke {_show(value)}")
    allowed = {"criteria": FK_CRITERIA_ALL, "sections": SHARING_SECTIONS}.get(spec.kind, WAITING_REASONS)
    for reason in value:
        if reason not in allowed:
            what = "det ukendte afsnit" if spec.kind == "sections" else "den ukendte årsag"
            raise TimelineError(
                f"{where}: feltet '{spec.name}' har {what} {_show(reason)} (gyldige: {', '.join(allowed)})"
            )
    if spec.kind == "sections":
        return tuple(s for s in SHARING_SECTIONS if s in value)
    return tuple(dict.fromkeys(value))  # the reasons once each, in the order given


def parse_event(raw: Mapping[str, Any], index: int, *, stored: bool = False) -> Event:
    """One REPLAY.md event, validated and typed; its id is its index. A `stored` event (read back from the
    database) is not held to the bounds on new input (years 2000–2100, text a database can store): one
    recorded before they came still reads."""
    strict = not stored
    where = f"hændelse {index}"
    if not isinstance(raw, Mapping):
        raise TimelineError(f"{where}: skal være et JSON-objekt, ikke {_show(raw)}")
    if raw.get("type") is None:
        raise TimelineError(f"{where}: feltet 'type' mangler")
    kind = raw["type"]
    if kind not in EVENT_TYPES:
        raise TimelineError(
            f"{where}: ukendt hændelsestype {_show(kind)} (gyldige: {', '.join(EVENT_TYPES)})"
        )
    if raw.get("at") is None:
        raise TimelineError(f"{where}: feltet 'at' mangler")
    at = parse_time(raw["at"], where, "at", strict=strict)
    if not isinstance(kind, str):
        raise TimelineError(f"{where}: feltet 'type' skal være en tekst, ikke {_show(kind)}")
    if kind == "message" and isinstance(raw.get("code"), str) and raw["code"] in _FROM_EVENTS:
        code = raw["code"]
        raise TimelineError(
            f"{where}: {code} er ikke en gyldig meddelelseskode; "
            f"den følger af hændelsen '{_FROM_EVENTS[code]}'"
        )
    data = {spec.name: _parse_field(spec, raw, where, strict) for spec in _FIELDS[kind]}
    if kind == "message":
        for spec in _MESSAGE_FIELDS.get(data["code"], ()):
            data[spec.name] = _parse_field(spec, raw, where, strict)
        # The message's own text (a USR's summary, medicine, appointments …), not part of REPLAY.md: kept as
        # given for the printouts and never read by the rules. Anything but a JSON object is ignored, as any
        # unknown field is.
        if isinstance(raw.get("content"), Mapping):
            if strict:
                _check_content(raw["content"], where)
            data["content"] = dict(raw["content"])
    return Event(type=kind, at=at, data=data, id=index)


def unstorable(text: str) -> str:
    """Why a text cannot be stored as given ("" when it can): PostgreSQL holds no NUL character, and UTF-8
    no lone surrogate (JSON's "\\ud800")."""
    if "\x00" in text:
        return "indeholder et NUL-tegn"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "indeholder et ugyldigt tegn (en enlig surrogat)"
    return ""


_CONTENT_DEPTH = 8  # a USR's content is a few levels deep (content → medicine → one medicine's fields)


def _check_content(value: Any, where: str, depth: int = 0) -> None:
    """A message's free content is stored as given, but never a NUL character (no database stores it) nor
    nesting deeper than any content has."""
    if depth > _CONTENT_DEPTH:
        raise TimelineError(f"{where}: feltet 'content' er for dybt indlejret")
    if isinstance(value, str):
        if why := unstorable(value):
            raise TimelineError(f"{where}: feltet 'content' {why}")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _check_content(key, where, depth + 1)
            _check_content(item, where, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_content(item, where, depth + 1)


def _check_values(value: Any, where: str, strict: bool) -> dict[str, Any]:
    """A correction's `values`: a non-empty JSON object of plain values, kept as given; they are typed
    against the corrected event's own fields by `parse_values`."""
    if not isinstance(value, Mapping) or not value:
        raise TimelineError(
            f"{where}: feltet 'values' skal være et JSON-objekt med de rettede felter, ikke {_show(value)}"
        )
    for name, item in value.items():
        if not isinstance(name, str) or isinstance(item, Mapping):
            raise TimelineError(f"{where}: feltet 'values' har et ugyldigt felt {_show(name)}")
        texts = [name, *(t for t in (item if isinstance(item, list) else [item]) if isinstance(t, str))]
        if strict and (why := next((w for w in map(unstorable, texts) if w), "")):
            raise TimelineError(f"{where}: feltet 'values' {why}")
    return dict(value)


def _parse_citizen(raw: Any, at: str = "tidslinjen") -> Citizen:
    where = f"{at} (citizen)"
    if not isinstance(raw, Mapping):
        raise TimelineError(f"{at}: feltet 'citizen' skal være et JSON-objekt, ikke {_show(raw)}")
    fields = (
        _Field("known_in_eoj", "bool"),
        _choice("residence", RESIDENCES),
        _Field("social_area", "bool"),
        _Field("terminal", "bool"),
    )
    return Citizen(**{spec.name: _parse_field(spec, raw, where) for spec in fields})


def _check_correction(event: Event, before: list[Event], where: str) -> None:
    """In an input, a correction names an earlier event by its index, and its values must fit that event's
    fields. (A correction of a correction, or of an event already in error, is refused by the engine.)"""
    target = event.data["event"]
    if target >= len(before):
        raise TimelineError(
            f"{where}: feltet 'event' skal pege på en tidligere hændelse (0–{len(before) - 1}), ikke {target}"
        )
    if event.type == "corrected" and before[target].type not in CORRECTION_TYPES:
        from .corrections import parse_values  # corrections builds on this module

        parse_values(before[target], event.data["values"], where)


def parse_timeline(obj: Any) -> ReplayInput:
    """A decoded REPLAY.md input object, validated: raises TimelineError on anything in its "Errors"."""
    if not isinstance(obj, Mapping):
        raise TimelineError(f"tidslinjen: skal være et JSON-objekt, ikke {_show(obj)}")
    profile = _parse_field(_choice("profile", PROFILE_CODES), obj, "tidslinjen")
    if obj.get("now") is None:
        raise TimelineError("tidslinjen: feltet 'now' mangler")
    now = parse_time(obj["now"], "tidslinjen", "now")
    citizen = _parse_citizen(obj.get("citizen"))
    raw_events = obj.get("events")
    if not isinstance(raw_events, list):
        raise TimelineError(f"tidslinjen: feltet 'events' skal være en liste, ikke {_show(raw_events)}")
    if not raw_events:
        raise TimelineError("hændelse 0: mangler; den første hændelse skal være 'admitted'")
    events: list[Event] = []
    for index, raw in enumerate(raw_events):
        event = parse_event(raw, index)
        where = f"hændelse {index}"
        if index == 0 and event.type != "admitted":
            raise TimelineError(f"{where}: den første hændelse skal være 'admitted', ikke '{event.type}'")
        if events and instant(event.at) < instant(events[-1].at):
            raise TimelineError(
                f"{where}: tidspunktet {event.at.isoformat()} ligger før hændelse {index - 1} "
                f"({events[-1].at.isoformat()}); hændelserne skal stå i tidsorden"
            )
        if instant(event.at) > instant(now):
            raise TimelineError(
                f"{where}: tidspunktet {event.at.isoformat()} ligger efter now ({now.isoformat()})"
            )
        if event.type in CORRECTION_TYPES:
            _check_correction(event, events, where)
        events.append(event)
    return ReplayInput(profile=profile, now=now, citizen=citizen, events=tuple(events))
