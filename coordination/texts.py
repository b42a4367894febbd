"""Texts made when shown: a key and its parameters -> a sentence in the reader's language.

The rules engine, the services and the reminders store no sentences: a refusal, a warning, a service's
refusal and an inbox item are kept as a key with parameters (plain JSON: codes, ISO dates and times), and
`text()` makes the sentence with gettext in the language active when it is shown. Dates and times in the
parameters are formatted by Django's locale (config/formats: "1. dec. 2026", "22:14"); "i dag" and "i går"
are relative to when the reader looks (`when`). The replay command renders the engine's texts with Danish
active (REPLAY.md: "a Danish message for a person"): `danish()`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from coordination.rules.calendar import COPENHAGEN
from coordination.vocabulary import KmSubject, MessageCode, ObligationLabel, Party, label

TEXTS: dict[str, Any] = {
    # --- Why a MedCom message was held or filtered (services/medcom.py); `detail` as stored -----------
    "medcom.not_served": _("borgeren er ikke registreret i modtagerkommunen"),
    "medcom.unknown_ward": _(
        "afdelingen med SOR-kode %(detail)s er ukendt; en administrator skal oprette den"
    ),
    "medcom.overlapping_stay": _("borgeren har et andet ophold, der begyndte senere (%(detail)s)"),
    "medcom.earlier_start": _("opholdet er registreret begyndt senere (%(detail)s) end dette advis siger"),
    "medcom.correction": _("%(detail)s (rettelse/annullering) venter på manuel behandling"),
    "medcom.no_stay": _("advis uden et kendt ophold: %(detail)s"),
    "medcom.no_admission": _("borgeren har ingen aktiv indlæggelse at knytte korrespondancen til"),
    "medcom.cancelled_stay": _(
        "annulleringen %(detail)s gælder selve indlæggelsen; en administrator afgør den"
    ),
    "medcom.earlier_notice": _("venter på det tidligere advis %(detail)s om samme ophold"),
    # --- The rules engine's refusals (R-FLOW, R-PSYK, R-FB-*) ------------------------------------------
    "flow.already_admitted": _("Borgeren er allerede registreret indlagt i dette forløb."),
    "flow.already_left": _("Borgeren har allerede forladt afsnittet."),
    "flow.already_discharged": _("Udskrivningen er allerede registreret."),
    "flow.discharge_before_leaving": _(
        "Udskrivningen kan først registreres, når borgeren har forladt afsnittet."
    ),
    "flow.message_after_leaving": _(
        "Meddelelsen %(code)s kan ikke registreres, efter at borgeren har forladt afsnittet (%(left)s)."
    ),
    "flow.event_after_leaving": _(
        "Hændelsen »%(event_type)s« kan ikke registreres, efter at borgeren har forladt afsnittet (%(left)s)."
    ),
    "psyk.not_used": _(
        "%(code)s bruges ikke for borgere under socialområdet uden kommunal ældre/omsorg (Region "
        "Midtjylland); kommuniker med korrespondancemeddelelse (KM) og telefon."
    ),
    "fb.terminal": _("Patienter, der lægeligt vurderes som terminale, registreres ikke færdigbehandlet."),
    "fb.after_registration_day": _(
        "Færdigbehandlingsdatoen %(day)s ligger efter registreringsdagen %(made)s."
    ),
    "fb.before_admission": _("Færdigbehandlingsdatoen %(day)s ligger før indlæggelsesdagen %(admitted)s."),
    "fb.already_registered": _("Borgeren er allerede registreret færdigbehandlet fra %(since)s."),
    "fb.paid_twice": _(
        "Færdigbehandlingsdatoen %(day)s ligger på eller før slutdatoen %(ended)s for en tidligere periode "
        "(ingen dag betales to gange)."
    ),
    "fb.resume_without_period": _(
        "Borgeren er ikke registreret færdigbehandlet, så behandlingen kan ikke genoptages."
    ),
    "fb.dispute_without_mof": _("Der er ingen melding om færdigbehandling (MOF) at gøre indsigelse mod."),
    # --- The rules engine's warnings --------------------------------------------------------------------
    "fb.date_mismatch_pfp": _(
        "Færdigbehandlingsdatoen %(registered)s i MOF stemmer ikke med datoen %(given)s i den nyeste "
        "plejeforløbsplan."
    ),
    "fb.date_mismatch_phone": _(
        "Færdigbehandlingsdatoen %(registered)s i MOF stemmer ikke med datoen %(given)s i den telefoniske "
        "aftale."
    ),
    "fb.no_reason": _(
        "Færdigbehandlet er registreret uden begrundelse for den fortsatte indlæggelse (hvad venter "
        "borgeren på?)."
    ),
    "fb.precondition": _(
        "Plejeforløbsplanen med sikker dato kom ikke rettidigt (R-PFP-DATE); kommunen kan gøre indsigelse "
        "mod færdigbehandlingstaksten."
    ),
    "plejebolig.late_departure": _(
        "Udskrivningen kl. %(at)s til plejebolig er en sen aften- eller natudskrivning; plejebolig-borgere "
        "udskrives ikke mellem %(start)s og %(end)s."
    ),
    "plejebolig.late_plan": _(
        "Den planlagte udskrivning kl. %(at)s til plejebolig er en sen aften- eller natudskrivning; "
        "plejebolig-borgere udskrives ikke mellem %(start)s og %(end)s."
    ),
    # --- The services' refusals (ServiceError) ---------------------------------------------------------
    "service.not_linked": _("Din bruger er ikke knyttet til et afsnit, et hospital eller en kommune."),
    "service.wrong_side": _("Det er %(side)s, der registrerer dette."),
    "service.moment_missing": _("Angiv dato og klokkeslæt for hændelsen."),
    "service.in_future": _("Tidspunktet ligger i fremtiden. Registrér hændelsen, når den er sket."),
    "service.before_admission": _("Tidspunktet ligger før indlæggelsen."),
    "service.version_conflict": _(
        "Indlæggelsen er ændret af en anden, siden du åbnede den. Se de nye oplysninger og prøv igen."
    ),
    "service.no_citizen_facts": _(
        "Indlæggelsen mangler borgerens forhold (EOJ, bolig, socialområde, terminal)."
    ),
    "service.no_profile": _("%(region)s har ingen aftaleprofil. En administrator skal oprette den."),
    "service.unknown_event": _("Ukendt hændelse: %(event_type)s"),
    "service.content_not_fields": _("Beskedens indhold skal være et sæt af felter."),
    "service.coordination_reason": _("Skriv hvorfor der er behov for yderligere koordinering."),
    "service.km_subject": _("Skriv et emne for korrespondancen."),
    "service.unknown_code": _("Ukendt beskedkode."),
    "service.grant_not_part": _("Du kan kun give adgang til forløb, du selv deltager i."),
    "service.dispute_note": _("Skriv hvad uenigheden drejer sig om."),
    "service.citizen_name": _("Skriv borgerens navn."),
    "service.unknown_residence": _("Ukendt boligform."),
    "service.already_admitted": _(
        "Borgeren er allerede indlagt og kan ikke registreres her. Der kan kun være én aktiv indlæggelse: "
        "ring til hospitalets koordinerende funktion, eller anmod om en overflytning."
    ),
    "service.unknown_fact": _("Ukendt oplysning om borgeren: %(names)s."),
    "service.unknown_section": _("Ukendt afsnit af udskrivningsrapporten: %(names)s."),
    "service.fact_reason": _("Skriv hvorfor oplysningen ændres."),
    "service.nothing_changed": _("Intet er ændret i forhold til det, der står nu."),
    "service.transfer_where": _("Vælg det nye afsnit eller den nye kommune."),
    "service.transfer_other_region": _(
        "Flytning til et hospital i en anden region registreres som udskrivning og ny indlæggelse."
    ),
    "service.unknown_municipality": _("Ukendt kommunekode: %(code)s"),
    "service.usr_by_hospital": _("Det er hospitalet, der skriver udskrivningsrapporten."),
    "service.cpr_length": _("CPR-nummeret skal have 10 cifre."),
    "service.cpr_date": _("CPR-nummeret indeholder ikke en gyldig fødselsdato."),
    "service.cpr_future": _(
        "CPR-nummerets fødselsdato ligger i fremtiden (%(born)s). Kontrollér cifrene, især det 7. ciffer, "
        "der afgør århundredet."
    ),
    "service.medcom_unknown_reference": _(
        "%(event)s henviser til advis %(id)s, som ikke er modtaget her; det kan ikke rettes eller annulleres."
    ),
    "service.medcom_receiver": _("Modtageren %(name)s (SOR %(sor)s) er ikke en MedCom-modtager her."),
    # The event parser's errors a form can meet (rules.TimelineError, with its key).
    "timeline.year": _("Året ligger uden for %(first)s–%(last)s og kan ikke passe."),
    "timeline.no_such_time": _("Tidspunktet %(value)s findes ikke (sommertid)."),
    "timeline.invalid": _("Et felt er ikke udfyldt rigtigt: %(name)s."),
    # --- Corrections on the timeline (R-CORRECTION): the engine's and the services' refusals -------------
    "correction.of_correction": _("En rettelse kan ikke rettes eller fejlregistreres."),
    "correction.unknown_event": _("Den rettede hændelse findes ikke tidligere på tidslinjen."),
    "correction.no_reason": _("En rettelse skal have en begrundelse."),
    "correction.already_in_error": _("Hændelsen er allerede markeret som fejlregistreret."),
    "correction.admission": _("Indlæggelsen selv kan ikke markeres som fejlregistreret."),
    "correction.invalid": _("Rettelsen kan ikke bruges: %(detail)s"),
    "correction.value_missing": _("Angiv den rettede værdi."),
    "correction.not_on_admission": _("Hændelsen findes ikke på denne indlæggelse."),
    "correction.wrong_side": _("Det er %(side)s, der har registreret hændelsen og kan rette den."),
    "correction.reason": _("Skriv hvorfor hændelsen rettes."),
    "correction.readmitted": _(
        "Rettelsen kan ikke registreres: borgeren er indlagt igen, så forløbet kan ikke genåbnes."
    ),
    "correction.would_refuse": _(
        "Rettelsen kan ikke registreres, for så ville en hændelse på tidslinjen blive afvist: %(because)s"
    ),
    # --- Forløbskoordination (R-FK): the engine's and the services' refusals ------------------------------
    "fk.already_included": _(
        "Borgeren er allerede inkluderet i forløbskoordination under denne indlæggelse."
    ),
    "fk.no_criteria": _("Sæt mindst ét kriterium (helbred, organisatorisk eller socialt) for inklusionen."),
    "fk.not_included": _("Borgeren er ikke inkluderet i forløbskoordination."),
    "fk.ended": _("Forløbskoordinationen er afsluttet."),
    "fk.visit_already_done": _("Det opfølgende hjemmebesøg er allerede gennemført."),
    "fk.visit_due_before_departure": _(
        "Fristen for det opfølgende hjemmebesøg kan ikke ligge før udskrivelsen (%(day)s)."
    ),
    "fk.visit_due_before_admission": _(
        "Fristen for det opfølgende hjemmebesøg kan ikke ligge før indlæggelsen (%(day)s)."
    ),
    "fk.visit_before_departure": _(
        "Det opfølgende hjemmebesøg er efter udskrivelsen; borgeren har ikke forladt afsnittet."
    ),
    "fk.visit_already_recorded": _("Det opfølgende hjemmebesøg er allerede registreret."),
    "fk.end_note": _("Skriv en note om, hvordan forløbet sluttede."),
    "fk.coordinator_not_staff": _(
        "Forløbskoordinatoren skal være en aktiv medarbejder på et hospital eller i en kommune."
    ),
    "fk.unknown_coordinator": _("Ukendt bruger som forløbskoordinator: %(username)s"),
    "fk.only_coordinator": _("Det er forløbskoordinatoren, der registrerer hjemmebesøget og afslutningen."),
    # --- Inbox items (Notification.kind + params) ------------------------------------------------------
}

# Inbox items: made from the stored parameters (and the citizen's name, read from the admission).
_REMINDER = _("%(task)s for %(citizen)s skal ske senest %(due)s (%(rule)s)")
_REMINDER_OVERDUE = _("Overskredet: %(task)s for %(citizen)s, frist %(due)s (%(rule)s)")
_MESSAGE = _("Ny %(code)s for %(citizen)s fra %(sender)s %(at)s")
_MESSAGE_SUBJECT = _("Ny %(code)s for %(citizen)s fra %(sender)s %(at)s: %(subject)s")
# A new version of a message the reader already had an item of (the same item, back unread; issue 14).
_MESSAGE_RENEWED = _("Ny version af %(code)s for %(citizen)s fra %(sender)s %(at)s")

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_CLOCK = re.compile(r"^\d{2}:\d{2}$")


def show(name: str, value: Any) -> str:
    """One parameter as the reader reads it: dates and times by the active locale, codes by their names."""
    if value is None:
        return "–"
    if isinstance(value, str):
        try:
            if _ISO_MOMENT.match(value):
                value = datetime.fromisoformat(value)
            elif _ISO_DATE.match(value):
                value = date.fromisoformat(value)
            elif _CLOCK.match(value):
                value = time.fromisoformat(value)
        except ValueError:  # not a real date or time (the text names it as it was typed)
            pass
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value, COPENHAGEN), "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, time):
        return formats.time_format(value, "TIME_FORMAT")
    if name == "side":
        return label(Party, value)
    if name == "because" and isinstance(value, Mapping):  # a refusal inside a refusal, made when shown
        return text(str(value.get("key", "")), value.get("params"))
    if name == "event_type":
        from coordination.models import EventType

        return label(EventType, value)
    if name == "message":
        return label(MessageCode, value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def text(key: str, params: Mapping[str, Any] | None = None) -> str:
    """The sentence for `key` in the active language. A key not in TEXTS is shown as it is (a text that
    was never a key, such as a command line's own Danish message)."""
    template = TEXTS.get(key)
    if template is None:
        return key
    values = {name: show(name, value) for name, value in (params or {}).items()}
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):  # a parameter missing from an old stored row
        return str(template)


def warning_text(stored: Mapping[str, Any]) -> str:
    """A warning as `Admission.warnings` stores it ({"rule", "key", "params"}); a row stored before keys
    came keeps its old text until the admission is derived again (migration 0021 asks for that)."""
    if "key" in stored:
        return text(stored["key"], stored.get("params"))
    return str(stored.get("message", ""))


def task(rule: str, message_code: str | None = None) -> str:
    """What an obligation asks, in the reader's language (the vocabulary's label; R-READ names the code)."""
    if rule == "R-READ" and message_code:
        return gettext("%(code)s læses") % {"code": message_code}
    if rule in ObligationLabel.values:
        return str(ObligationLabel(rule).label)
    return rule


def notification_text(item, now: datetime | None = None) -> str:
    """An inbox item's text from its kind and parameters, days relative to `now` (when the reader looks)."""
    now = now or timezone.now()
    p = item.params or {}
    citizen = item.admission.citizen.name if item.admission_id else ""
    if item.kind == "reminder":
        due = datetime.fromisoformat(p["due_at"]) if p.get("due_at") else None
        values = {
            "task": task(p.get("rule", ""), p.get("message_code")),
            "citizen": citizen,
            "due": when(due, now) if due else "–",
            "rule": p.get("rule", ""),
        }
        return str(_REMINDER_OVERDUE if p.get("overdue") else _REMINDER) % values
    if item.kind == "message":
        at = datetime.fromisoformat(p["at"]) if p.get("at") else None
        values = {
            "code": p.get("code", ""),
            "citizen": citizen,
            "sender": p.get("sender") or gettext("den anden part"),
            "at": when(at, now) if at else "",
            "subject": label(KmSubject, p.get("subject", "")),
        }
        if p.get("subject"):
            return str(_MESSAGE_SUBJECT) % values
        return str(_MESSAGE_RENEWED if p.get("renewed") else _MESSAGE) % values
    return str(p.get("text", ""))


def danish(key: str, params: Mapping[str, Any] | None = None) -> str:
    """The text in Danish, whatever the active language (the replay contract's `message`)."""
    with translation.override("da"):
        return text(key, params)


def when(moment: datetime, now: datetime | None = None) -> str:
    """'kl. 22:14 i dag', 'kl. 08:00 i morgen', 'kl. 10:00 i går', else 'kl. 10:00 1. dec. 2026': relative to
    `now`, which is when the reader looks (not when the text was stored)."""
    now = now or timezone.now()
    local, today = timezone.localtime(moment, COPENHAGEN), timezone.localtime(now, COPENHAGEN).date()
    clock = formats.time_format(local, "TIME_FORMAT")
    day = local.date()
    if day == today:
        return gettext("kl. %(clock)s i dag") % {"clock": clock}
    if day == today + timedelta(days=1):
        return gettext("kl. %(clock)s i morgen") % {"clock": clock}
    if day == today - timedelta(days=1):
        return gettext("kl. %(clock)s i går") % {"clock": clock}
    return pgettext("clock on date", "kl. %(clock)s %(date)s") % {
        "clock": clock,
        "date": formats.date_format(day, "DATE_FORMAT"),
    }
