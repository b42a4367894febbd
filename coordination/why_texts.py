""" "Hvorfor?" next to each obligation (issue 14): the rule's name and seed, and this case's arithmetic as a
sentence in the reader's language, made when shown from what the engine stored (`Obligation.why`: a text key
and parameters, rules/why.py). Dates and times are formatted by Django's formats of the active language
(config/formats: "5. dec.", "23:10"), weekdays by its calendar ("fredag"). Danish source, English in the .po.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from coordination import texts
from coordination.rules.calendar import COPENHAGEN
from coordination.vocabulary import label

# The rule's name by id, as the registry (rules/registry.py, `engine.RULES`) labels it, in the reader's
# language (tests/test_rules_actions.py keeps them equal to the registry's Danish labels).
RULE_NAMES = {
    "R-MILR": _("MILR sendes"),
    "R-PFP-COORD": _("PFP om yderligere koordinering sendes"),
    "R-MUN-24H": _("Kommunen kontakter hospitalet inden 24 timer"),
    "R-PFP-DATE": _("PFP med sikker dato senest kl. 13 dagen før"),
    "R-PFP-ALWAYS": _("Plejeforløbsplan sendes altid"),
    "R-PFP-ACK": _("Kommunen kvitterer: Plejeforløbsplan ok"),
    "R-CONFERENCE": _("PFP sendes før planlægningskonferencen"),
    "R-CONFERENCE-MINUTES": _("Beslutningsreferat skrives ind i PFP"),
    "R-CALL-13": _("Ring til kommunen om udskrivningstidspunktet"),
    "R-USR": _("Udskrivningsrapport sendes"),
    "R-ADVIS-UD": _("Udskrivning registreres"),
    "R-READ": _("Modtagne meddelelser læses"),
    "R-GOP-SEND": _("Genoptræningsplan sendes på udskrivningsdagen"),
    "R-GOP-START": _("Genoptræning påbegyndes inden 7 dage"),
    "R-GOP-ANSWER": _("Spørgsmål om genoptræningsplan besvares næste hverdag"),
    "R-MUN-PLAN": _("Kommunen meddeler plan for hjemtagning"),
    "R-FK": _("Opfølgende hjemmebesøg efter udskrivelsen"),
}

# What happened at the base moment, by its kind (a step key: a message by its code, else the event type).
BASES = {
    "message:ADVIS-IND": _("Advis modtaget"),
    "message:PFP": _("PFP sendt"),
    "message:KM": _("KM modtaget"),
    "message:GOP": _("Genoptræningsplan sendt"),
    "coordination_identified": _("Behov for yderligere koordinering registreret"),
    "conference_planned": _("Planlægningskonference indkaldt"),
    "conference_held": _("Planlægningskonference holdt"),
    "discharge_planned": _("Udskrivning planlagt"),
    "phone_agreement": _("Telefonaftale om udskrivning"),
    "faerdigbehandlet": _("Registreret færdigbehandlet"),
    "left_ward": _("Borgeren forlod afsnittet"),
    "fk_included": _("Inkluderet i forløbskoordination"),
    "fk_visit_planned": _("Frist for hjemmebesøg sat"),
}

# Where R-PFP-DATE's date came from (the newest event that named one).
DATE_SOURCES = {
    "message:PFP": _("fra PFP"),
    "discharge_planned": _("fra planlagt udskrivning"),
    "phone_agreement": _("fra telefonaftale"),
    "conference_held": _("fra planlægningskonference"),
}

# R-CALL-13: why a call is due.
CALL_REASONS = {
    "afternoon": _("kl. %(call_time)s eller senere"),
    "needs_changed": _("ændrede behov"),
    "not_straight_home": _("ikke direkte hjem"),
}

SENTENCES = {
    "why.milr_night": _(
        "%(base)s %(at_day)s kl. %(at_clock)s i nattevagt (%(shift_start)s–%(shift_end)s) → MILR senest "
        "kl. %(due_clock)s (%(due_day)s)"
    ),
    "why.milr_hours": _(
        "%(base)s %(at_day)s kl. %(at_clock)s (dagvagt) → MILR senest %(hours)s timer efter: "
        "kl. %(due_clock)s (%(due_day)s)"
    ),
    "why.pfp_date": _(
        "Færdigbehandlingsdato %(date)s (%(source)s) → PFP med sikker dato senest kl. %(due_clock)s "
        "%(before)s (%(due_day)s)"
    ),
    "why.pfp_date_no_due": _(
        "Færdigbehandlingsdato %(date)s (%(source)s) → PFP med sikker dato; aftalen sætter ingen fast frist "
        "(fælles forberedelsestid)"
    ),
    "why.hours_after": _("%(base)s %(at)s → %(task)s senest %(hours)s timer efter: %(due)s"),
    "why.read": _("%(code)s modtaget %(at)s → læses inden for en vagt (%(hours)s timer): senest %(due)s"),
    "why.usr_left": _("%(base)s %(at)s → udskrivningsrapporten sendes senest, når borgeren går: %(due)s"),
    "why.usr_plan": _(
        "Planlagt udskrivning %(due)s → udskrivningsrapporten sendes senest, når borgeren går: %(due)s"
    ),
    "why.call_13": _(
        "Planlagt udskrivning %(due)s (%(reasons)s) → ring til kommunen og aftal tidspunktet senest %(due)s"
    ),
    "why.gop_send": _(
        "Udskrivningsdag %(weekday)s %(day)s → genoptræningsplanen sendes samme dag: senest ved "
        "udgangen af %(weekday)s %(day)s"
    ),
    "why.gop_start": _(
        "Udskrevet %(at_weekday)s %(at_day)s kl. %(at_clock)s → genoptræning påbegyndes inden %(days)s "
        "kalenderdage: senest ved udgangen af %(weekday)s %(day)s"
    ),
    "why.gop_answer": _(
        "Spørgsmål om genoptræningsplan modtaget %(at_weekday)s %(at_day)s → svar senest efterfølgende "
        "hverdag: ved udgangen af %(weekday)s %(day)s"
    ),
    "why.conference": _("%(base)s %(at)s til %(due)s → PFP sendes før konferencen: senest %(due)s"),
    "why.pfp_ack": _("%(base)s %(at)s → kommunen kvitterer med KM »%(subject)s«; ingen fast frist"),
    "why.fk_visit": _("%(base)s %(at)s → hjemmebesøget senest ved udgangen af %(weekday)s %(day)s"),
    "why.generic": _("%(base)s %(at)s → %(task)s senest %(due)s"),
}
GENERIC_NO_DUE = _("%(base)s %(at)s → %(task)s hurtigst muligt; ingen fast frist")


def _moment(value: str | None) -> datetime | None:
    return timezone.localtime(datetime.fromisoformat(value), COPENHAGEN) if value else None


def _day(value: date | datetime | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value is not None else "–"


def _clock(value: datetime | None) -> str:
    return formats.time_format(value, "TIME_FORMAT") if value is not None else "–"


def _when(value: datetime | None) -> str:
    """'3. mar. kl. 10:00' in the reader's language."""
    if value is None:
        return "–"
    return gettext("%(day)s kl. %(clock)s") % {"day": _day(value), "clock": _clock(value)}


def _weekday(value: date | datetime | None) -> str:
    return formats.date_format(value, "l") if value is not None else ""


def _base(kind: str | None) -> str:
    if not kind:
        return ""
    if kind in BASES:
        return str(BASES[kind])
    event_type, _sep, code = kind.partition(":")
    if code:
        return gettext("%(code)s modtaget") % {"code": code}
    from coordination.models import EventType

    return label(EventType, event_type)


def _values(key: str, params: Mapping[str, Any], task: str) -> dict[str, str]:
    at, due = _moment(params.get("at")), _moment(params.get("due"))
    day = date.fromisoformat(params["day"]) if params.get("day") else None
    values = {
        "base": _base(params.get("base")),
        "at": _when(at),
        "at_day": _day(at),
        "at_clock": _clock(at),
        "at_weekday": _weekday(at),
        "due": _when(due),
        "due_day": _day(due),
        "due_clock": _clock(due),
        "task": task,
        "day": _day(day),
        "weekday": _weekday(day),
    }
    for name in ("hours", "days", "shift_start", "shift_end", "subject", "due_time", "code"):
        if params.get(name) is not None:
            values[name] = str(params[name])
    if key.startswith("why.pfp_date"):
        values["date"] = _day(date.fromisoformat(params["date"])) if params.get("date") else "–"
        values["source"] = str(DATE_SOURCES.get(params.get("base", ""), _base(params.get("base"))))
        n = int(params.get("days_before") or 1)
        values["before"] = ngettext("dagen før", "%(n)s dage før", n) % {"n": n}
    if key == "why.call_13":
        call_time = str(params.get("call_time") or "13:00")
        values["reasons"] = ", ".join(
            str(CALL_REASONS[r]) % {"call_time": call_time}
            for r in params.get("reasons", ())
            if r in CALL_REASONS
        )
    return values


def why_sentence(obligation) -> str:
    """This case's arithmetic for a stored obligation (`why` {"key", "params"}), in the active language; ""
    for a row derived before the engine said why."""
    stored = obligation.why or {}
    key, params = stored.get("key"), stored.get("params") or {}
    if not key:
        return ""
    task = texts.task(obligation.rule, obligation.message_code or None)
    template = SENTENCES.get(key, SENTENCES["why.generic"])
    if key == "why.generic" and not params.get("due"):
        template = GENERIC_NO_DUE
    try:
        return str(template) % _values(key, params, task)
    except (KeyError, TypeError, ValueError):  # parameters missing from an old stored row
        return ""


def rule_name(rule_id: str) -> str:
    return str(RULE_NAMES.get(rule_id, rule_id))


def rule_seed(rule_id: str) -> str:
    from coordination.rules.engine import RULES

    return next((unit.seed for unit in RULES if unit.id == rule_id), "")


def why(obligation) -> dict[str, str]:
    """What "Hvorfor?" shows: the rule's id, name and seed, and this case's sentence."""
    return {
        "rule": obligation.rule,
        "name": rule_name(obligation.rule),
        "seed": rule_seed(obligation.rule),
        "text": why_sentence(obligation),
    }
