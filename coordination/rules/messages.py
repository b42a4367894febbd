"""Duties about the message flow at admission and discharge: R-MILR, R-ILR, R-READ, R-USR, R-ADVIS-UD.

Source: seed 000 (Region Hovedstaden, Kommunikationsaftale 2019), R-USR also seed 001.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from .calendar import add_hours, at_local, in_daily_window, local, local_date
from .course import Course, Entry, obligation
from .registry import DUTY, FACT, rule
from .types import EVENT_MESSAGE_CODES, HOSPITAL, MESSAGE_SENDER, MUNICIPALITY, Citizen, Obligation
from .why import generic, why


@rule("R-MILR", "MILR sendes", "000", DUTY)
def milr(course: Course, now: datetime) -> list[Obligation]:
    """The municipality sends a MILR after the admission advis when the citizen is known in EOJ or comes
    from a plejebolig or a midlertidig plads ("skal der altid sendes en MILR").

    Due 8 elapsed hours after the first ADVIS-IND; when that advis came in the night shift (23:00 up to
    07:00), instead 10:00 on the morning that shift ends ("Ved indlæggelse i nattevagt sendes inden kl.
    10"). Listed only once an ADVIS-IND exists; met by the first MILR after it. Not where R-PSYK applies.
    """
    citizen = course.citizen
    if not (citizen.known_in_eoj or citizen.residence in ("plejebolig", "midlertidig_plads")):
        return []
    advis = course.first(lambda e: e.is_message("ADVIS-IND"))
    if advis is None:
        return []
    profile = course.profile_for(advis)
    if course.psyk_applies(profile):
        return []
    due = None
    reason = generic(advis, None)
    if profile.milr_due_hours is not None:
        due = add_hours(advis.at, profile.milr_due_hours)
        reason = why("why.milr_hours", advis, due, hours=profile.milr_due_hours)
        night = in_daily_window(advis.at, profile.night_shift_start, profile.night_shift_end)
        if night and profile.milr_night_due_time is not None:
            # The morning the night shift ends: the same date when the advis came after midnight,
            # else the next date.
            morning = local_date(advis.at)
            if local(advis.at).time() >= profile.night_shift_end:
                morning += timedelta(days=1)
            due = at_local(morning, profile.milr_night_due_time)
            reason = why(
                "why.milr_night",
                advis,
                due,
                shift_start=profile.night_shift_start,
                shift_end=profile.night_shift_end,
            )
    met = course.first(lambda e: e.is_message("MILR"), after=advis)
    return [obligation("R-MILR", MUNICIPALITY, due, met, now, label="MILR sendes", why=reason)]


@rule("R-ILR", "ILR forventes kun for borgere kendt i EOJ", "000", FACT)
def ilr_expected(citizen: Citizen) -> bool:
    """The automatic ILR comes only when the citizen is known in the municipality's care record (EOJ).

    "Hvis borgeren ikke er kendt i kommunen modtager hospitalet ingen ILR": no obligation either way; the
    board says that no ILR is expected.
    """
    return citizen.known_in_eoj


@rule("R-USR", "Udskrivningsrapport sendes", "000, 001", DUTY)
def usr(course: Course, now: datetime) -> list[Obligation]:
    """The USR is sent on the discharge day and always before the citizen leaves, reviewed with and
    handed to the citizen.

    Listed once a discharge is planned or the citizen has left. Due when the citizen left the ward (before
    that: the newest planned discharge time); met by the first USR, also one sent days before. Not for a
    citizen unknown in EOJ who needs only practical help ("Der sendes derfor ikke en USR"); not where
    R-PSYK rules USRs out.
    """
    plan, left = course.newest_plan, course.left
    if plan is None and left is None:
        return []
    if course.psyk_applies(course.profile_for(left or plan)):
        return []
    if plan is not None and not course.citizen.known_in_eoj and plan.get("practical_help_only"):
        return []
    due: datetime = left.at if left is not None else plan.get("discharge_at")  # type: ignore[union-attr,assignment]
    reason = why("why.usr_left" if left is not None else "why.usr_plan", left or plan, due)
    met = course.first(lambda e: e.is_message("USR"))
    return [obligation("R-USR", HOSPITAL, due, met, now, label="Udskrivningsrapport sendes", why=reason)]


@rule("R-ADVIS-UD", "Udskrivning registreres", "000", DUTY)
def advis_ud(course: Course, now: datetime) -> list[Obligation]:
    """The hospital registers the discharge at the latest 2 hours after the citizen left the ward; the
    udskrivningsadvis follows automatically. Met by the (first) registration; no due where the profile
    sets none.
    """
    left = course.left
    if left is None:
        return []
    hours = course.profile_for(left).advis_ud_hours
    due = add_hours(left.at, hours) if hours is not None else None
    reason = why("why.hours_after", left, due, hours=hours) if hours is not None else generic(left, None)
    met = course.first(lambda e: e.type == "discharge_registered", after=left)
    return [obligation("R-ADVIS-UD", HOSPITAL, due, met, now, label="Udskrivning registreres", why=reason)]


_OTHER = {HOSPITAL: MUNICIPALITY, MUNICIPALITY: HOSPITAL}


def receiver(event_type: str, data: Mapping[str, object]) -> tuple[str, str] | None:
    """(message code, receiving side) when an event sends a message to the other side (seed 000
    "Overordnet meddelelsesflow"): a `message` by its code (a KM by its `from`), or the message that
    follows from the event (MOF, MOF-GENOPTAGET, ADVIS-UD)."""
    if event_type == "message":
        code = data.get("code")
        sender = data.get("from") if code == "KM" else MESSAGE_SENDER.get(code)  # type: ignore[call-overload]
        return (code, _OTHER[sender]) if sender in _OTHER else None  # type: ignore[return-value,index]
    derived = EVENT_MESSAGE_CODES.get(event_type)
    return (derived, _OTHER[MESSAGE_SENDER[derived]]) if derived else None


def _sent_code(entry: Entry) -> str | None:
    """The message code an accepted event sends: a `message`'s code, or the one that follows the event."""
    if entry.type == "message":
        return entry.get("code")  # type: ignore[return-value]
    return EVENT_MESSAGE_CODES.get(entry.type)


@rule("R-READ", "Modtagne meddelelser læses", "000 (Responstider)", DUTY)
def read_receipts(course: Course, now: datetime) -> list[Obligation]:
    """Both sides read incoming messages 2-3 times per shift, so each received message (every code but
    KM, which has its own agreement) is read by the receiving side within one shift (8 hours).

    The messages that follow from events count too (MOF, MOF-GENOPTAGET, ADVIS-UD). One obligation per
    message; a read by the receiving side marks every earlier unread message of that code.
    """
    result = []
    for entry in course.entries:
        code = _sent_code(entry)
        if code is None or code == "KM":
            continue
        profile = course.profile_for(entry)
        if not profile.read_receipts:
            continue
        reader = MUNICIPALITY if MESSAGE_SENDER[code] == HOSPITAL else HOSPITAL
        due = add_hours(entry.at, profile.read_hours)
        met = course.first(
            lambda e, code=code, reader=reader: (
                e.type == "message_read" and e.get("code") == code and e.get("by") == reader
            ),
            after=entry,
        )
        result.append(
            obligation(
                "R-READ",
                reader,
                due,
                met,
                now,
                key=f"R-READ:{entry.ref}",
                label=f"{code} læses",
                message=code,
                why=why("why.read", entry, due, hours=profile.read_hours, code=code),
            )
        )
    return result


def unread(course: Course) -> dict[str, tuple[str, ...]]:
    """R-READ as a fact for the board: per side, the codes of the messages it received and has not read, in
    the order they first came. Every received message counts here, KM too, whatever the profile's duty: a
    read by the receiving side marks every earlier message of that code."""
    result: dict[str, dict[str, None]] = {HOSPITAL: {}, MUNICIPALITY: {}}
    for entry in course.entries:
        if entry.type == "message_read":
            result.get(entry.get("by"), {}).pop(entry.get("code"), None)  # type: ignore[call-overload]
            continue
        received = receiver(entry.type, entry.event.data)
        if received is not None:
            code, side = received
            result[side][code] = None
    return {side: tuple(codes) for side, codes in result.items()}
