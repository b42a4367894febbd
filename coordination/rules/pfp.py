"""Duties around the plejeforløbsplan (PFP): R-PFP-COORD, R-MUN-24H, R-PFP-DATE, R-PFP-ALWAYS,
R-PFP-ACK, R-CONFERENCE and R-CONFERENCE-MINUTES.

Sources: seed 000 (Region Hovedstaden) for coordination, the municipality's 24 hours and the PFP date;
seed 001 (Region Sjælland) for the PFP always, its acknowledgement and the planning conference.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .calendar import add_hours, at_local, local_date
from .course import Course, Entry, obligation
from .registry import DUTY, rule
from .types import HOSPITAL, MUNICIPALITY, Obligation, PfpFact
from .why import generic, why


def _is_pfp(entry: Entry) -> bool:
    return entry.is_message("PFP")


def _is_coordination_pfp(entry: Entry) -> bool:
    return entry.is_message("PFP") and bool(entry.get("coordination_needed"))


def named_date(entry: Entry) -> date | None:
    """The færdigbehandlings-/discharge date an event names, if it names one (RULES.md R-PFP-DATE).

    A PFP names its date (expected or certain); a planned discharge, a phone agreement and a planning
    conference that fixed a discharge time name the Copenhagen date of that time. A departure names none.
    """
    if entry.is_message("PFP"):
        return entry.get("faerdigbehandlet_date")  # type: ignore[return-value]
    if entry.type in ("discharge_planned", "phone_agreement", "conference_held"):
        discharge_at = entry.get("discharge_at")
        return local_date(discharge_at) if isinstance(discharge_at, datetime) else None
    return None


@rule("R-PFP-COORD", "PFP om yderligere koordinering sendes", "000", DUTY)
def pfp_coordination(course: Course, now: datetime) -> list[Obligation]:
    """Once the hospital records that further coordination is needed (special nursing needs, aids,
    barriers in the home, whether the citizen can go home at all), it sends a PFP saying so as soon as
    possible ("PFP sendes hurtigst muligt, når behov for yderligere koordinering er identificeret").

    No due; met by the first PFP with coordination_needed after the (first) record.
    """
    record = course.first_of("coordination_identified")
    if record is None or not course.profile_for(record).pfp_coord:
        return []
    met = course.first(_is_coordination_pfp, after=record)
    return [
        obligation(
            "R-PFP-COORD",
            HOSPITAL,
            None,
            met,
            now,
            label="PFP om yderligere koordinering sendes",
            why=generic(record, None),
        )
    ]


@rule("R-MUN-24H", "Kommunen kontakter hospitalet inden 24 timer", "000", DUTY)
def municipality_contact(course: Course, now: datetime) -> list[Obligation]:
    """After a PFP that asks for further coordination, the municipality contacts the hospital within
    24 hours ("Kommunen kontakter hospitalet indenfor 24 timer"), by KM or phone.

    Due 24 elapsed hours after the first such PFP; met by the first later KM from the municipality (any
    subject) or `municipality_contacted`. A phone agreement about the discharge time does not count.
    """
    trigger = course.first(_is_coordination_pfp)
    if trigger is None:
        return []
    profile = course.profile_for(trigger)
    if not profile.mun_contact:
        return []
    hours = profile.mun_contact_hours
    due = add_hours(trigger.at, hours) if hours is not None else None
    reason = generic(trigger, None)
    if hours is not None:
        reason = why("why.hours_after", trigger, due, hours=hours)
    met = course.first(
        lambda e: e.is_km_from(MUNICIPALITY) or e.type == "municipality_contacted",
        after=trigger,
    )
    return [
        obligation(
            "R-MUN-24H", MUNICIPALITY, due, met, now, label="Kommunen kontakter hospitalet", why=reason
        )
    ]


@rule("R-PFP-DATE", "PFP med sikker dato senest kl. 13 dagen før", "000 (R-48H)", DUTY)
def pfp_date(course: Course, now: datetime) -> list[Obligation]:
    """In a stay over 48 hours, or once a PFP has asked for further coordination, the hospital sends a PFP
    with a certain færdigbehandlings-/discharge date D at the latest 13:00 the day before ("PFP sendes, når
    der er en sikker færdigbehandlings-/udskrivelsesdato og senest kl. 13 dagen før udskrivelsen").

    Exists once any date is known; D is the date named by the newest date-naming event. Due 13:00 local on
    D-1, even when the duty arises later. Met by the first PFP naming D as certain that comes after every
    event that named another date (a PFP sent before the duty arose counts). Not where R-PSYK applies; no
    due in midtjylland ("fælles forberedelsestid").
    """
    naming = course.newest(lambda e: named_date(e) is not None)
    if naming is None:
        return []
    profile = course.profile_for(naming)
    if not profile.pfp_date or course.psyk_applies(profile):
        return []
    long_stay = course.over_48h(now, profile.long_stay_hours)
    if not (long_stay or course.first(_is_coordination_pfp) is not None):
        return []
    target = named_date(naming)
    assert target is not None
    due = None
    if profile.pfp_date_due_time is not None:
        due = at_local(target - timedelta(days=profile.pfp_date_days_before), profile.pfp_date_due_time)
    reason = why(
        "why.pfp_date" if due is not None else "why.pfp_date_no_due",
        naming,
        due,
        date=target,
        certain=bool(naming.get("date_certain")) if _is_pfp(naming) else None,
        days_before=profile.pfp_date_days_before,
        due_time=profile.pfp_date_due_time,
        long_stay=long_stay,
    )
    other = course.newest(lambda e: named_date(e) not in (None, target))
    met = course.first(
        lambda e: _is_pfp(e) and e.get("faerdigbehandlet_date") == target and bool(e.get("date_certain")),
        after=other,
    )
    return [obligation("R-PFP-DATE", HOSPITAL, due, met, now, label="PFP med sikker dato sendes", why=reason)]


@rule("R-PFP-ALWAYS", "Plejeforløbsplan sendes altid", "001", DUTY)
def pfp_always(course: Course, now: datetime) -> list[Obligation]:
    """ "Uanset om borgeren er kendt i kommunen, sender sygehuset plejeforløbsplan hurtigst muligt", with
    the expected discharge date. Listed once an ADVIS-IND exists; no due; met by the first PFP.
    """
    advis = course.first(lambda e: e.is_message("ADVIS-IND"))
    if advis is None or not course.profile_for(advis).pfp_always:
        return []
    met = course.first(_is_pfp)
    return [
        obligation(
            "R-PFP-ALWAYS",
            HOSPITAL,
            None,
            met,
            now,
            label="Plejeforløbsplan sendes",
            why=generic(advis, None),
        )
    ]


@rule("R-PFP-ACK", "Kommunen kvitterer: Plejeforløbsplan ok", "001", DUTY)
def pfp_acknowledgement(course: Course, now: datetime) -> list[Obligation]:
    """The municipality acknowledges the PFP with a KM whose subject is "Plejeforløbsplan ok"; the PFP then
    counts as the discharge agreement. Judged on the newest PFP: a new PFP needs a new acknowledgement.

    Subjects are compared without case or surrounding space. No due.
    """
    newest = course.newest(_is_pfp)
    if newest is None:
        return []
    profile = course.profile_for(newest)
    if not profile.pfp_ack:
        return []
    met = course.first(_acknowledges(profile.pfp_ack_subject), after=newest)
    reason = why("why.pfp_ack", newest, None, subject=profile.pfp_ack_subject)
    return [
        obligation(
            "R-PFP-ACK", MUNICIPALITY, None, met, now, label="Kvittering: Plejeforløbsplan ok", why=reason
        )
    ]


def _subject(entry: Entry) -> str:
    """A KM's subject as RULES.md compares subjects: without case or surrounding space."""
    return str(entry.get("subject", "")).strip().casefold()


def _acknowledges(subject: str):
    wanted = subject.strip().casefold()
    return lambda e: e.is_km_from(MUNICIPALITY) and _subject(e) == wanted


def newest_pfp(course: Course) -> PfpFact | None:
    """R-PFP-ACK as a fact for the board: the newest PFP, its version number, and whether the municipality
    acknowledged it with the subject of the profile in force when it was sent (also where R-PFP-ACK is no
    duty, so a "Plejeforløbsplan ok" always shows)."""
    pfps = course.all(_is_pfp)
    if not pfps:
        return None
    newest = pfps[-1]
    subject = course.profile_for(newest).pfp_ack_subject
    return PfpFact(
        version=len(pfps),
        sent_at=newest.at,
        faerdigbehandlet_date=newest.get("faerdigbehandlet_date"),  # type: ignore[arg-type]
        date_certain=bool(newest.get("date_certain")),
        coordination_needed=bool(newest.get("coordination_needed")),
        acknowledged=course.first(_acknowledges(subject), after=newest) is not None,
    )


def coordination_requested(course: Course) -> bool:
    """R-PFP-COORD / R-PFP-ACK: further coordination was identified, asked for in a PFP, or asked for by a KM
    "Udvidet koordinering" (seed 001's fixed subject)."""
    return (
        course.first_of("coordination_identified") is not None
        or course.first(_is_coordination_pfp) is not None
        or course.first(lambda e: e.is_message("KM") and _subject(e) == "udvidet koordinering") is not None
    )


@rule("R-CONFERENCE", "PFP sendes før planlægningskonferencen", "001", DUTY)
def conference(course: Course, now: datetime) -> list[Obligation]:
    """When a planning conference is called, the hospital sends a PFP before it ("Udarbejder plejeforløbs-
    og behandlingsplan forud for konference"). One per `conference_planned` (a moved conference is a new
    one): due at the conference's start; met by the first PFP after it was planned.
    """
    result = []
    for planned in course.all(lambda e: e.type == "conference_planned"):
        if not course.profile_for(planned).conference_pfp:
            continue
        met = course.first(_is_pfp, after=planned)
        due = planned.get("conference_at")
        result.append(
            obligation(
                "R-CONFERENCE",
                HOSPITAL,
                due,  # type: ignore[arg-type]
                met,
                now,
                key=f"R-CONFERENCE:{planned.ref}",
                label="PFP sendes før planlægningskonference",
                why=why("why.conference", planned, due),  # type: ignore[arg-type]
            )
        )
    return result


@rule("R-CONFERENCE-MINUTES", "Beslutningsreferat skrives ind i PFP", "001", DUTY)
def conference_minutes(course: Course, now: datetime) -> list[Obligation]:
    """After each planning conference the decisions are written into an updated PFP ("Beslutninger fremgår
    af beslutningsreferat, som skrives ind i plejeforløbsplanen"). No due; met by the first PFP after it.
    """
    result = []
    for held, met in _minutes(course):
        if not course.profile_for(held).conference_pfp:
            continue
        result.append(
            obligation(
                "R-CONFERENCE-MINUTES",
                HOSPITAL,
                None,
                met,
                now,
                key=f"R-CONFERENCE-MINUTES:{held.ref}",
                label="Beslutningsreferat skrives ind i PFP",
                why=generic(held, None),
            )
        )
    return result


def _minutes(course: Course) -> list[tuple[Entry, Entry | None]]:
    """Each held conference and the first PFP after it, which carries its decisions."""
    return [
        (held, course.first(_is_pfp, after=held))
        for held in course.all(lambda e: e.type == "conference_held")
    ]


def minutes_written(course: Course) -> dict[str, datetime]:
    """R-CONFERENCE-MINUTES as a fact for the printouts, in every profile (conferences may be held in any):
    per held conference (its ref), when the PFP that carries its decisions was sent."""
    return {held.ref: pfp.at for held, pfp in _minutes(course) if pfp is not None}
