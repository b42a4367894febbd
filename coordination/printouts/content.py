"""The text of a MedCom message that people read: what a USR or PFP says besides the facts the rules judge.

It travels as the optional `content` object of a `message` event (`services.send_message(..., content=...)`)
and is stored untouched in `Event.data["content"]`. The rules never read it; the printouts do. It was typed
by people or imported, so reading it is forgiving: a missing or malformed field is left out, never an error.

USR content (all optional)::

    {"summary": "Du blev indlagt med ...",            # resumé: why the citizen was admitted, in plain words
     "function": "Du går med rollator ...",           # funktionsevne now
     "nursing": [{"area": "Hud", "action": "Sår på venstre underben renset"}],  # problem areas, actions
     "help": [{"what": "Hjælp til bad", "by": "Hjemmeplejen", "from": "2026-02-06"}],
     "medicine": [{"name": "Furix 40 mg", "dose": "1 tablet om morgenen", "note": "vanddrivende",
                   "kind": "fast",                    # fast | pn (efter behov) | depot
                   "last_given": "2026-02-05T08:00:00+01:00",  # last dose given on the ward (PN, depot)
                   "in_fmk": true}],                  # false: not on the Fælles Medicinkort
     "aids": ["Rollator"],                            # hjælpemidler
     "rehabilitation_where": "Genoptræningscentret",  # where the municipality's rehabilitation takes place
     "wishes": "Vil gerne selv tage bad",             # the citizen's own wishes
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

from coordination.rules.calendar import FIRST_YEAR, LAST_YEAR, in_accepted_range, local  # noqa: F401 (years: forms.usr)


@dataclass(frozen=True)
class Help:
    what: str
    by: str = ""
    starts: date | None = None


MEDICINE_KINDS = ("fast", "pn", "depot")


@dataclass(frozen=True)
class Medicine:
    name: str
    dose: str = ""
    note: str = ""
    kind: str = "fast"  # MEDICINE_KINDS
    last_given: datetime | None = None  # Copenhagen time
    in_fmk: bool = True


@dataclass(frozen=True)
class NursingItem:
    area: str
    action: str = ""


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
    nursing: tuple[NursingItem, ...] = ()
    help: tuple[Help, ...] = ()
    medicine: tuple[Medicine, ...] = ()
    appointments: tuple[Appointment, ...] = ()
    contacts: tuple[Contact, ...] = ()
    municipality_contact: Contact | None = None
    aids: tuple[str, ...] = ()
    rehabilitation_where: str = ""
    wishes: str = ""


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
    if moment.tzinfo is None or not in_accepted_range(moment):
        # Year 9999 at -05:00 lies past datetime.max in Copenhagen: never converted, so the printouts of a USR
        # stored before the check came still print (the appointment keeps its date, without the time).
        return None
    return local(moment)


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


def _nursing(value: Any) -> NursingItem | None:
    if isinstance(value, str):
        return NursingItem(area=value.strip()) if value.strip() else None
    if isinstance(value, Mapping) and (_text(value.get("area")) or _text(value.get("action"))):
        return NursingItem(area=_text(value.get("area")), action=_text(value.get("action")))
    return None


def _medicine(raw: Mapping[str, Any]) -> Medicine:
    kind = raw.get("kind") if raw.get("kind") in MEDICINE_KINDS else "fast"
    return Medicine(
        name=_text(raw.get("name")),
        dose=_text(raw.get("dose")),
        note=_text(raw.get("note")),
        kind=kind,
        last_given=_time(raw.get("last_given")),
        in_fmk=raw.get("in_fmk") is not False,
    )


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


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
        nursing=tuple(n for n in map(_nursing, _list(raw.get("nursing"))) if n is not None),
        help=tuple(
            Help(what=_text(h.get("what")), by=_text(h.get("by")), starts=_date(h.get("from")))
            for h in _items(raw.get("help"))
            if _text(h.get("what"))
        ),
        medicine=tuple(_medicine(m) for m in _items(raw.get("medicine")) if _text(m.get("name"))),
        appointments=tuple(sorted(appointments, key=_sort_key)),
        contacts=tuple(c for c in map(_contact, _items(raw.get("contacts"))) if c is not None),
        municipality_contact=_contact(municipality) if isinstance(municipality, Mapping) else None,
        aids=tuple(t for t in map(_text, _list(raw.get("aids"))) if t),
        rehabilitation_where=_text(raw.get("rehabilitation_where")),
        wishes=_text(raw.get("wishes")),
    )


def pfp_content(data: Mapping[str, Any] | None) -> PfpContent:
    raw = (data or {}).get("content")
    if not isinstance(raw, Mapping):
        return PfpContent()
    return PfpContent(
        status=_text(raw.get("status")), plan=_text(raw.get("plan")), decisions=_text(raw.get("decisions"))
    )


# Dates in a USR are checked when it is sent (form, replay, import): a typing slip such as year 9999 is
# refused with a clear message instead of being printed for the citizen. The accepted years are the
# engine's (rules.calendar.FIRST_YEAR..LAST_YEAR), the same for every time a person or a file gives.


def _moment_error(value: Any, *, with_time: bool) -> str:
    """Why `value` is no usable date/time ("" when it is one)."""
    if not isinstance(value, str) or not value.strip():
        return "mangler en dato"
    moment = _time(value) if with_time and len(value) > 10 else _date(value) if len(value) == 10 else None
    if moment is None and with_time and len(value) > 10 and (day := _date(value)) is not None:
        if not in_accepted_range(day):
            return f"året {day.year} kan ikke passe"
    if moment is None:
        return f"«{value}» er ikke en gyldig dato (ÅÅÅÅ-MM-DD, med klokkeslæt ÅÅÅÅ-MM-DDTtt:mm+01:00)"
    if not in_accepted_range(moment):
        return f"året {moment.year} kan ikke passe"
    return ""


def usr_content_errors(raw: Any) -> list[tuple[str, str]]:
    """(field, Danish message) for every date in a USR's `content` that cannot be right; [] when all are."""
    if raw is None:
        return []
    if not isinstance(raw, Mapping):
        return [("content", "Udskrivningsrapportens indhold skal være et sæt af felter.")]
    errors = []
    for n, item in enumerate(_items(raw.get("appointments")), start=1):
        if not _text(item.get("what")):
            errors.append(("appointments", f"Aftale {n}: skriv hvad aftalen gælder."))
        if item.get("at") is not None and (why := _moment_error(item.get("at"), with_time=True)):
            errors.append(("appointments", f"Aftale {n}: {why}."))
    for n, item in enumerate(_items(raw.get("medicine")), start=1):
        if item.get("last_given") and (why := _moment_error(item.get("last_given"), with_time=True)):
            errors.append(("medicine", f"Medicin {n}, sidst givet: {why}."))
    for n, item in enumerate(_items(raw.get("help")), start=1):
        if item.get("from") and (why := _moment_error(item.get("from"), with_time=False)):
            errors.append(("help", f"Hjælp {n}, fra: {why}."))
    return errors
