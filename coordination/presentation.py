"""What the board and the admission page show, read from an admission's stored rows and its events.

Pure functions over objects already loaded (prefetched), so the board stays at a constant number of
queries however many rows it has. The texts are Danish source strings, translated in the templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coordination import forloeb_texts, texts
from coordination.cpr import age_on, mask_cpr
from coordination.rules.faerdigbehandling import days_on
from coordination.vocabulary import (
    KmSubject,
    MessageCode,
    ObligationLabel,
    Party,
    Residence,
    ResumeReason,
    SharingSection,
    WaitingReason,
    label,
    labels,
)

# The vocabulary's labels as mappings, for the forms' choices and the timeline's sentences.
WAITING_LABELS = dict(WaitingReason.choices)
MESSAGE_NAMES = dict(MessageCode.choices)
RESIDENCE_LABELS = dict(Residence.choices)
RESUME_LABELS = dict(ResumeReason.choices)
SIDE_NAMES = dict(Party.choices)
OBLIGATION_LABELS = dict(ObligationLabel.choices)
# The fixed KM subjects of RULES.md (seed 001), from the vocabulary; any other subject is free text.
KM_SUBJECTS = tuple(KmSubject.values)
PFP_RULES = ("R-PFP-DATE", "R-PFP-ALWAYS", "R-PFP-COORD", "R-CONFERENCE", "R-CONFERENCE-MINUTES")


def obligation_label(obligation) -> str:
    """What an obligation asks, in the reader's language (the same words as the inbox's reminders)."""
    if obligation.rule in OBLIGATION_LABELS or obligation.rule == "R-READ" and obligation.message_code:
        return texts.task(obligation.rule, obligation.message_code)
    return obligation.label or obligation.rule


def km_subject(subject: str | None) -> str:
    """A KM's subject as the reader reads it: a fixed subject by its name, free text as written."""
    return label(KmSubject, subject)


def event_title(event) -> str:
    """What was recorded, for the page's confirmation: the event's name, or the message's name and code."""
    code = event.data.get("code") if event.type == "message" else None
    if code:
        return f"{MESSAGE_NAMES.get(code, code)} ({code})"
    return str(event.get_type_display())


def local(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return timezone.localtime(value)


def countdown(due: datetime | None, now: datetime) -> str:
    """'om 2 t 15 min' or 'overskredet med 1 døgn 3 t': always words, never colour alone."""
    if due is None:
        return str(_("hurtigst muligt"))
    seconds = int((due - now).total_seconds())
    minutes = abs(seconds) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d døgn", "%(n)d døgn", days) % {"n": days})
    if hours or days:
        parts.append(str(_("%(n)d t")) % {"n": hours})
    if not days:
        parts.append(str(_("%(n)d min")) % {"n": mins})
    span = " ".join(parts)
    if seconds < 0:
        return str(_("overskredet med %(span)s")) % {"span": span}
    return str(_("om %(span)s")) % {"span": span}


@dataclass
class PfpState:
    kind: str  # "not_needed" | "due" | "sent" | "acknowledged"
    version: int = 0
    sent_at: datetime | None = None
    date: date | None = None
    certain: bool = False
    due: datetime | None = None
    due_open: bool = False


def pfp_state(admission, obligations) -> PfpState:
    """The PFP column: the engine's newest PFP (R-PFP-ACK's acknowledgement included) and the earliest open
    PFP duty among the stored obligations."""
    open_duty = [o for o in obligations if o.rule in PFP_RULES and o.status == "open"]
    due = min((o.due_at for o in open_duty if o.due_at), default=None)
    pfp = admission.pfp
    if pfp is None:
        if open_duty:
            return PfpState("due", due=due, due_open=True)
        return PfpState("not_needed")
    return PfpState(
        "acknowledged" if pfp.acknowledged else "sent",
        version=pfp.version,
        sent_at=local(pfp.sent_at),
        date=pfp.faerdigbehandlet_date,
        certain=pfp.date_certain,
        due=due,
        due_open=bool(open_duty),
    )


@dataclass
class MofState:
    kind: str  # "none" | "waiting" | "resumed" | "ended"
    since: date | None = None
    days: int = 0
    waiting_for: list = field(default_factory=list)
    disputed: bool = False
    dispute_note: str = ""


def mof_state(mof: dict | None, today: date) -> MofState:
    """The newest færdigbehandling (the admission's `mof` fact): waiting since …, treatment resumed, or
    ended when the citizen left."""
    if mof is None:
        return MofState("none")
    if mof["ended_on"] is None and not mof["voided"]:
        kind = "waiting"
    elif mof["voided"] or mof["resumed"]:
        kind = "resumed"
    else:
        kind = "ended"
    return MofState(
        kind,
        since=mof["registered_on"],
        days=days_on(mof["registered_on"], mof["ended_on"], mof["voided"], today),
        waiting_for=[WAITING_LABELS.get(w, w) for w in mof["waiting_for"]],
        disputed=mof["disputed"],
        dispute_note=mof["dispute_note"],
    )


def citizen_facts(citizen, today: date) -> dict:
    return {"age": age_on(citizen.cpr, today), "masked_cpr": mask_cpr(citizen.cpr)}


def length_of_stay(admitted_at: datetime, now: datetime) -> str:
    hours = int((now - admitted_at).total_seconds() // 3600)
    days, hours = divmod(max(hours, 0), 24)
    if days:
        return ngettext("%(d)d døgn %(h)d t", "%(d)d døgn %(h)d t", days) % {"d": days, "h": hours}
    return str(_("%(h)d t")) % {"h": hours}


def event_summary(event) -> str:
    """One Danish line saying what the event recorded, for the timeline."""
    d = event.data
    yes, no = str(_("ja")), str(_("nej"))
    match event.type:
        case "admitted":
            stay = _("over 48 timer") if d.get("expected_stay") == "over_48h" else _("under 48 timer")
            return str(_("Forventet ophold %(stay)s")) % {"stay": stay}
        case "message":
            code = d.get("code")
            text = f"{code}: {MESSAGE_NAMES.get(code, code)}"
            if code == "PFP":
                certain = _("sikker") if d.get("date_certain") else _("forventet")
                text += " · " + str(
                    _("færdigbehandlet %(date)s (%(certain)s), yderligere koordinering: %(c)s")
                ) % {
                    "date": date_format(date.fromisoformat(d["faerdigbehandlet_date"]), "DATE_FORMAT"),
                    "certain": certain,
                    "c": yes if d.get("coordination_needed") else no,
                }
            if code == "KM":
                text += " · " + str(_("fra %(side)s: »%(subject)s«")) % {
                    "side": SIDE_NAMES.get(d.get("from"), d.get("from")),
                    "subject": km_subject(d.get("subject", "")),
                }
            return text
        case "message_read":
            return str(_("%(code)s læst af %(side)s")) % {
                "code": d.get("code"),
                "side": SIDE_NAMES.get(d.get("by")),
            }
        case "coordination_identified":
            return str(_("Begrundelse: %(reason)s")) % {"reason": d.get("reason", "")}
        case "discharge_planned":
            return str(
                _(
                    "Udskrivning %(at)s, til %(dest)s; ændrede behov: %(changed)s; kun praktisk hjælp: "
                    "%(practical)s; kommunal sygepleje: %(nursing)s; genoptræning: %(rehab)s"
                )
            ) % {
                "at": _when(d.get("discharge_at")),
                "dest": str(RESIDENCE_LABELS.get(d.get("destination"), d.get("destination"))).lower(),
                "changed": yes if d.get("needs_changed") else no,
                "practical": yes if d.get("practical_help_only") else no,
                "nursing": yes if d.get("municipal_nursing") else no,
                "rehab": yes if d.get("rehabilitation_needed") else no,
            }
        case "phone_agreement":
            return str(_("Aftalt udskrivning %(at)s")) % {"at": _when(d.get("discharge_at"))}
        case "conference_planned":
            return str(_("Konference %(at)s")) % {"at": _when(d.get("conference_at"))}
        case "conference_held":
            if d.get("discharge_at"):
                return str(_("Udskrivning fastsat til %(at)s")) % {"at": _when(d.get("discharge_at"))}
            return ""
        case "faerdigbehandlet":
            reasons = ", ".join(str(WAITING_LABELS.get(w, w)) for w in d.get("waiting_for") or [])
            text = str(_("Færdigbehandlet %(date)s; MOF sendt")) % {
                "date": date_format(date.fromisoformat(d["date"]), "DATE_FORMAT")
            }
            if reasons:
                text += " · " + str(_("venter på: %(reasons)s")) % {"reasons": reasons}
            return text
        case "treatment_resumed":
            return str(RESUME_LABELS.get(d.get("reason"), d.get("reason")))
        case "mof_disputed":
            return str(_("Note: %(note)s")) % {"note": d.get("note", "")}
        case "citizen_changed":
            return citizen_change_summary(d)
        case "fk_included" | "fk_coordinator_changed" | "fk_visit_planned" | "epikrise_sent":
            return forloeb_texts.event_summary(event)
        case "sharing_wishes":
            return sharing_summary(d)
    return ""


def sharing_summary(d) -> str:
    """What a `sharing_wishes` event says: the sections declined, and the relatives (sundhedsloven § 41)."""
    declined = labels(SharingSection, d.get("declined"))
    if declined:
        text = str(_("frabedt videregivet til kommunen: %(sections)s")) % {
            "sections": ", ".join(s.lower() for s in declined)
        }
    else:
        text = str(_("alt må videregives til kommunen"))
    return f"{text} · {relatives_line(d.get('relatives_allowed'), d.get('relatives') or '')}"


def relatives_line(allowed: bool, who: str) -> str:
    """Whether the relatives may be contacted, and who."""
    if not allowed:
        return str(_("Pårørende må ikke kontaktes."))
    if who:
        return str(_("Pårørende må kontaktes: %(who)s.")) % {"who": who}
    return str(_("Pårørende må kontaktes."))


@dataclass(frozen=True)
class SharingBanner:
    """The top of the admission page: the citizen's wishes in force, and who recorded them when."""

    declined: list[str]
    relatives: str
    note: str
    at: datetime
    by: str

    @property
    def sections(self) -> str:
        """The declined sections as a sentence names them: "a, b og c"."""
        if len(self.declined) < 2:
            return "".join(self.declined)
        return str(_("%(first)s og %(last)s")) % {
            "first": ", ".join(self.declined[:-1]),
            "last": self.declined[-1],
        }


def sharing_banner(admission, events) -> SharingBanner | None:
    """The citizen's wishes about sharing in force, for both sides; `events` are the admission's rows (who
    recorded the wishes comes from the recording event)."""
    wishes = admission.sharing
    if wishes is None:
        return None
    row = next((e for e in events if e.sequence == wishes.event), None)
    by = ""
    if row is not None:
        person = row.recorded_by.get_full_name() or row.recorded_by.username if row.recorded_by else ""
        by = ", ".join(p for p in (person, row.recorded_by_organisation) if p)
    return SharingBanner(
        declined=[s.lower() for s in labels(SharingSection, wishes.declined)],
        relatives=relatives_line(wishes.relatives_allowed, wishes.relatives),
        note=wishes.note,
        at=local(wishes.at),
        by=by,
    )


def citizen_change_summary(d) -> str:
    """What a `citizen_changed` event changed, and why."""
    yes, no = str(_("ja")), str(_("nej"))
    parts = []
    if d.get("known_in_eoj") is not None:
        parts.append(str(_("kendt i EOJ: %(v)s")) % {"v": yes if d["known_in_eoj"] else no})
    if d.get("residence") is not None:
        parts.append(str(_("bolig: %(v)s")) % {"v": RESIDENCE_LABELS.get(d["residence"], d["residence"])})
    if d.get("social_area") is not None:
        parts.append(str(_("socialområdet: %(v)s")) % {"v": yes if d["social_area"] else no})
    if d.get("terminal") is not None:
        parts.append(str(_("terminal: %(v)s")) % {"v": yes if d["terminal"] else no})
    return str(_("%(changes)s · begrundelse: %(reason)s")) % {
        "changes": "; ".join(parts),
        "reason": d.get("reason", ""),
    }


def free_text(event) -> str:
    """The people's text an event carries (a KM's text, a conference's minutes): stored in the event."""
    d = event.data
    if event.type.startswith("fk_"):
        return forloeb_texts.free_text(event)
    if event.type == "conference_held":
        return d.get("minutes") or ""
    if event.type == "sharing_wishes":
        return d.get("note") or ""
    if event.type == "message" and d.get("code") == "KM":
        content = d.get("content")
        return (content.get("text") or "") if isinstance(content, dict) else ""
    return ""


def _when(value) -> str:
    moment = local(value)
    return date_format(moment, "DATETIME_FORMAT") if moment else "–"
