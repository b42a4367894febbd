"""The text of a MedCom message that people read: what a USR or PFP says besides the facts the rules judge.

It travels as the optional `content` object of a `message` event (`services.send_message(..., content=...)`)
and is stored untouched in `Event.data["content"]`. The rules never read it; the printouts do. It was typed
by people or imported, so reading it is forgiving: a missing or malformed field is left out, never an error.

USR content (all optional)::

    {"summary": "Du blev indlagt med ...",            # resumé: why the citizen was admitted, in plain words
     "function": "Du går med rollator ...",           # funktionsevne now
     "nursing": ["Sårpleje på venstre underben ..."], # sygeplejehandlinger (the municipality's copy)
     "help": [{"what": "Hjælp til bad", "by": "Hjemmeplejen", "from": "2026-02-06"}],
     "medicine": [{"name": "Furix 40 mg", "dose": "1 tablet om morgenen", "note": "vanddrivende"}],
     "appointments": [{"at": "2026-02-12T10:30:00+01:00", "what": "Kontrol", "where": "Ambulatorium 3"}],
     "contacts": [{"name": "Egen læge", "phone": "48 26 00 00", "note": "hverdage 8-16"}],
     "municipality_contact": {"name": "Visitationen", "phone": "72 32 00 00"}}

PFP content (all optional): ``{"status": "...", "plan": "...", "decisions": "..."}`` — the citizen's state,
the plan, and the decisions of a planning conference (R-CONFERENCE-MINUTES: written into the next PFP).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from coordination.rules.calendar import local


@dataclass(frozen=True)
class Help:
    what: str
    by: str = ""
    starts: date | None = None


@dataclass(frozen=True)
class Medicine:
    name: str
    dose: str = ""
    note: str = ""


@dataclass(frozen=True)
class Appointment:
    what: str
    where: str = ""
    at: datetime | None = None  # a time in Copenhagen
    day: date | None = None  # the day, also when only a date was given

    @property
    def has_time(self) -> bool:
        return self.at is not None


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str = ""
    note: str = ""


@dataclass(frozen=True)
class UsrContent:
    summary: str = ""
    function: str = ""
    nursing: tuple[str, ...] = ()
    help: tuple[Help, ...] = ()
    medicine: tuple[Medicine, ...] = ()
    appointments: tuple[Appointment, ...] = ()
    contacts: tuple[Contact, ...] = ()
    municipality_contact: Contact | None = None


@dataclass(frozen=True)
class PfpContent:
    status: str = ""
    plan: str = ""
    decisions: str = ""


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _items(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _date(value: Any) -> date | None:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _time(value: Any) -> datetime | None:
    """An ISO time with an offset, in Copenhagen time; a bare date or anything else gives None."""
    if not isinstance(value, str) or len(value) <= 10:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return local(moment) if moment.tzinfo is not None else None


def _contact(raw: Mapping[str, Any]) -> Contact | None:
    name, phone = _text(raw.get("name")), _text(raw.get("phone"))
    return Contact(name=name, phone=phone, note=_text(raw.get("note"))) if name or phone else None


def _appointment(raw: Mapping[str, Any]) -> Appointment | None:
    what = _text(raw.get("what"))
    if not what:
        return None
    at = _time(raw.get("at"))
    day = at.date() if at is not None else _date(raw.get("at"))
    return Appointment(what=what, where=_text(raw.get("where")), at=at, day=day)


def _sort_key(appointment: Appointment) -> tuple:
    return (appointment.day or date.max, appointment.at.timestamp() if appointment.at else 0)


def usr_content(data: Mapping[str, Any] | None) -> UsrContent:
    """A USR event's `content`, read forgivingly (`data` is the event's `data`, or None: no USR yet)."""
    raw = (data or {}).get("content")
    if not isinstance(raw, Mapping):
        return UsrContent()
    municipality = raw.get("municipality_contact")
    appointments = [a for a in map(_appointment, _items(raw.get("appointments"))) if a is not None]
    return UsrContent(
        summary=_text(raw.get("summary")),
        function=_text(raw.get("function")),
        nursing=tuple(t for t in map(_text, raw.get("nursing") or []) if t)
        if isinstance(raw.get("nursing"), list)
        else (),
        help=tuple(
            Help(what=_text(h.get("what")), by=_text(h.get("by")), starts=_date(h.get("from")))
            for h in _items(raw.get("help"))
            if _text(h.get("what"))
        ),
        medicine=tuple(
            Medicine(name=_text(m.get("name")), dose=_text(m.get("dose")), note=_text(m.get("note")))
            for m in _items(raw.get("medicine"))
            if _text(m.get("name"))
        ),
        appointments=tuple(sorted(appointments, key=_sort_key)),
        contacts=tuple(c for c in map(_contact, _items(raw.get("contacts"))) if c is not None),
        municipality_contact=_contact(municipality) if isinstance(municipality, Mapping) else None,
    )


def pfp_content(data: Mapping[str, Any] | None) -> PfpContent:
    raw = (data or {}).get("content")
    if not isinstance(raw, Mapping):
        return PfpContent()
    return PfpContent(
        status=_text(raw.get("status")), plan=_text(raw.get("plan")), decisions=_text(raw.get("decisions"))
    )
