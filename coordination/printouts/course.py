"""What the printouts say about one admission, gathered once from the timeline and the derived columns.

Facts come from the rules engine (R-MEDICIN's date, R-72H's window, R-GOP-START's deadline) and the text from
the newest USR and the PFP versions (`content.py`). Before the citizen has left, R-72H's window is the one
the engine would give if the citizen left as planned, so the paper handed over at discharge already names it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from coordination import rules
from coordination.cpr import age_on, format_cpr
from coordination.models import Admission
from coordination.presentation import relatives_line
from coordination.printouts.content import PfpContent, UsrContent, pfp_content, usr_content
from coordination.rules.calendar import instant, local
from coordination.vocabulary import MessageCode, Residence, label


@dataclass(frozen=True)
class PfpVersion:
    number: int
    sent_at: datetime
    faerdigbehandlet_date: date | None
    date_certain: bool
    coordination_needed: bool
    content: PfpContent
    sent_by: str = ""


@dataclass(frozen=True)
class UsrVersion:
    number: int
    sent_at: datetime
    content: UsrContent
    sent_by: str = ""


@dataclass(frozen=True)
class Conference:
    planned_at: datetime | None  # when it was called
    starts_at: datetime | None  # when it was to take place
    held_at: datetime | None
    discharge_at: datetime | None  # a discharge time fixed at the conference
    minutes: PfpVersion | None  # the first PFP after it was held (R-CONFERENCE-MINUTES)


@dataclass(frozen=True)
class SentMessage:
    at: datetime
    code: str
    sender: str  # "hospital" | "municipality"
    subject: str = ""

    @property
    def name(self) -> str:
        """The message's name in the language the printout is rendered in."""
        return label(MessageCode, self.code)


@dataclass
class PrintCourse:
    admission: Admission
    now: datetime  # Copenhagen time of printing
    cpr: str
    age: int
    admitted_at: datetime
    discharge_at: datetime | None = None
    discharge_kind: str = ""  # "left" | "agreed" | "planned" | ""
    destination: str = ""  # own_home | plejebolig | midlertidig_plads, from the newest planned discharge
    municipal_nursing: bool = False
    rehabilitation: bool = False  # the newest plan or a sent GOP says so
    rehabilitation_start_by: date | None = None
    rehabilitation_started_at: datetime | None = None
    medicine_until: date | None = None
    callback_until: datetime | None = None  # R-72H
    usr: UsrContent = field(default_factory=UsrContent)
    usr_sent_at: datetime | None = None
    usr_versions: list[UsrVersion] = field(default_factory=list)
    usr_number: int = 0  # the version shown (0: none sent yet)
    pfp_versions: list[PfpVersion] = field(default_factory=list)
    conferences: list[Conference] = field(default_factory=list)
    messages: list[SentMessage] = field(default_factory=list)
    # Sundhedsloven § 41: the citizen's wishes in force, and the sections this copy leaves out (the
    # municipality's copy: those declined; the citizen's own copy: none).
    sharing: rules.SharingFact | None = None
    withheld: tuple[str, ...] = ()

    def for_municipality(self) -> PrintCourse:
        """What the municipality may read: the sections the citizen declined to have passed on are emptied
        in every USR version (so no template can show them) and named in `withheld` (the municipality's copy
        says where each was left out)."""
        self.withheld = self.sharing.declined if self.sharing is not None else ()
        if self.withheld:
            empty = {name: getattr(UsrContent(), name) for name in self.withheld}
            self.usr = replace(self.usr, **empty)
            self.usr_versions = [replace(v, content=replace(v.content, **empty)) for v in self.usr_versions]
        return self

    @property
    def relatives_line(self) -> str:
        return relatives_line(self.sharing.relatives_allowed, self.sharing.relatives) if self.sharing else ""

    @property
    def citizen(self):
        return self.admission.citizen

    @property
    def citizen_now(self):
        """The facts the rules read, as in force now (the timeline's, never the registry's)."""
        return self.admission.citizen_facts

    @property
    def residence_label(self) -> str:
        facts = self.citizen_now
        return label(Residence, facts.residence) if facts else ""

    @property
    def ward(self):
        return self.admission.ward

    @property
    def hospital(self):
        return self.admission.ward.hospital

    @property
    def municipality(self):
        return self.admission.municipality

    @property
    def destination_label(self) -> str:
        return label(Residence, self.destination)

    @property
    def pfp(self) -> PfpVersion | None:
        return self.pfp_versions[-1] if self.pfp_versions else None

    def show_usr(self, number: int | None) -> bool:
        """Show USR version `number` (None: the newest, the one in force); False if it was never sent."""
        if number is None:
            number = len(self.usr_versions)
        if number == 0 and not self.usr_versions:
            return True
        if not 1 <= number <= len(self.usr_versions):
            return False
        version = self.usr_versions[number - 1]
        self.usr, self.usr_sent_at, self.usr_number = version.content, version.sent_at, number
        return True

    @property
    def usr_replaced(self) -> bool:
        return 0 < self.usr_number < len(self.usr_versions)

    @property
    def left(self) -> bool:
        return self.discharge_kind == "left"


def _local(moment: datetime | None) -> datetime | None:
    return local(moment) if moment is not None else None


def gather(admission: Admission, now: datetime) -> PrintCourse:
    """Everything the printouts of this admission show, in Copenhagen time (two queries: events, profiles)."""
    admission = (
        Admission.objects.select_related("citizen", "ward__hospital__region", "municipality")
        .prefetch_related("events")
        .get(pk=admission.pk)
    )
    events = sorted(admission.events.all(), key=lambda e: (e.occurred_at.timestamp(), e.sequence))
    now = local(now)
    course = PrintCourse(
        admission=admission,
        now=now,
        cpr=format_cpr(admission.citizen.cpr),
        age=age_on(admission.citizen.cpr, now.date()),
        admitted_at=local(admission.admitted_at),
        medicine_until=admission.medicine_until,
        sharing=admission.sharing,
    )
    plan = None
    gop_sent = False
    conferences: list[dict] = []
    for event in events:
        at = local(event.occurred_at)
        data = event.data
        received = rules.messages.receiver(event.type, data)
        if received is not None:
            code, to = received
            sender = rules.MUNICIPALITY if to == rules.HOSPITAL else rules.HOSPITAL
            course.messages.append(SentMessage(at, code, sender, data.get("subject", "")))
        if event.type == "message":
            code = data.get("code", "")
            if code == "USR":
                course.usr_versions.append(
                    UsrVersion(
                        len(course.usr_versions) + 1, at, usr_content(data), event.recorded_by_organisation
                    )
                )
            elif code == "GOP":
                gop_sent = True
            elif code == "PFP":
                course.pfp_versions.append(
                    PfpVersion(
                        number=len(course.pfp_versions) + 1,
                        sent_at=at,
                        faerdigbehandlet_date=_iso_date(data.get("faerdigbehandlet_date")),
                        date_certain=bool(data.get("date_certain")),
                        coordination_needed=bool(data.get("coordination_needed")),
                        content=pfp_content(data),
                        sent_by=event.recorded_by_organisation,
                    )
                )
        if event.type == "discharge_planned":
            plan = data
        elif event.type == "conference_planned":
            conferences.append(_conference(planned_at=at, starts_at=_iso_time(data.get("conference_at"))))
        elif event.type == "conference_held":
            # Held: the newest conference called and not yet held, or one that was never called here.
            open_ = [c for c in conferences if c["held_at"] is None]
            conference = open_[-1] if open_ else None
            if conference is None:
                conference = _conference()
                conferences.append(conference)
            conference["held_at"] = at
            conference["discharge_at"] = _iso_time(data.get("discharge_at"))
            conference["minutes"] = admission.minutes_sent_at(event.sequence)
        elif event.type == "rehabilitation_started" and course.rehabilitation_started_at is None:
            course.rehabilitation_started_at = at
    sent = {instant(v.sent_at): v for v in course.pfp_versions}
    course.conferences = [
        Conference(**{**c, "minutes": sent.get(instant(c["minutes"])) if c["minutes"] else None})
        for c in conferences
    ]
    course.show_usr(None)

    if admission.left_at is not None:
        course.discharge_at, course.discharge_kind = local(admission.left_at), "left"
    elif admission.agreed_discharge_at is not None:
        course.discharge_at, course.discharge_kind = local(admission.agreed_discharge_at), "agreed"
    elif admission.planned_discharge_at is not None:
        course.discharge_at, course.discharge_kind = local(admission.planned_discharge_at), "planned"
    if plan is not None:
        course.destination = plan.get("destination", "")
        course.municipal_nursing = bool(plan.get("municipal_nursing"))
    course.rehabilitation = gop_sent or bool(plan and plan.get("rehabilitation_needed"))
    course.rehabilitation_start_by = admission.rehabilitation_start_by  # R-GOP-START, from the engine

    profiles = admission.region.rules_profiles()
    if course.discharge_at is not None and profiles:
        if admission.left_at is not None:
            course.callback_until = _local(admission.extended_responsibility_until)
        else:
            course.callback_until = _local(_window_if_leaving(admission, course.discharge_at, profiles))
    return course


def _conference(planned_at=None, starts_at=None) -> dict:
    return dict(planned_at=planned_at, starts_at=starts_at, held_at=None, discharge_at=None, minutes=None)


def _window_if_leaving(admission: Admission, leave_at: datetime, profiles) -> datetime | None:
    """R-72H's end if the citizen left the ward at `leave_at` (or now, when that time has passed)."""
    timeline = admission.timeline()
    if not timeline:
        return None
    leave_at = max(leave_at, timeline[-1].at, key=instant)
    departure = rules.Event(type="left_ward", at=leave_at, data={}, id=len(timeline) + 1)
    evaluation = rules.evaluate([*timeline, departure], admission.admitted_citizen(), profiles, leave_at)
    return evaluation.extended_responsibility_until


def _iso_date(value) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _iso_time(value) -> datetime | None:
    try:
        return local(datetime.fromisoformat(value)) if isinstance(value, str) else None
    except ValueError:
        return None
