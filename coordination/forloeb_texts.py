"""The words of forløbskoordination (R-FK, R-FK-QUALITY, seed 004), made when shown in the reader's language:
the timeline and the tables store keys (rules.FK_CRITERIA, rules.FK_QUALITY), never these sentences."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

GROUP_LABELS = {
    "health": _("Helbredsmæssige forhold"),
    "organisational": _("Organisatoriske problemstillinger"),
    "social": _("Sociale kriterier"),
}
CRITERION_LABELS = {
    "reduced_function": _("Nedsat funktion eller dårlig helbredsstatus"),
    "severe_illness": _("Svær, kronisk eller alvorlig sygdom (også demens, psykisk sygdom, terminal)"),
    "medication_followup": _("Opfølgning på medicinændringer (polyfarmaci)"),
    "readmissions_long_stay": _("Genindlæggelser eller lang indlæggelsestid"),
    "frequent_contact": _("Tæt og hyppig kontakt med kommune, almen praksis og sygehus"),
    "weak_network": _("Svagt eller intet netværk, enlig"),
    "recently_widowed": _("Ægtefælle nyligt død"),
    "limited_self_care": _("Begrænset egenomsorgskapacitet"),
    "abuse": _("Misbrug"),
    "cognition_communication": _("Nedsat kognitiv funktion eller kommunikationsbarrierer"),
}
QUALITY_LABELS = {
    "ilr": _("Rettidige oplysninger ved indlæggelsen (ILR)"),
    "discharge_plan": _("Fælles plan for udskrivelsen"),
    "pfp": _("Plejeforløbsplan inden udskrivelsen"),
    "mof": _("Færdigmelding efter aftalte frister"),
    "usr": _("Rettidig udskrivningsrapport"),
    "epikrise": _("Epikrise rettidigt til egen læge"),
}
QUALITY_SHORT = {
    "ilr": _("ILR"),
    "discharge_plan": _("Fælles plan"),
    "pfp": _("PFP"),
    "mof": _("MOF"),
    "usr": _("USR"),
    "epikrise": _("Epikrise"),
}


def verdict(value: bool | None) -> str:
    """A quality parameter as text (never colour alone)."""
    if value is None:
        return str(_("ikke afgjort"))
    return str(_("opfyldt")) if value else str(_("ikke opfyldt"))


def event_summary(event) -> str:
    """One line for the timeline about a forløbskoordination event or the epikrise (R-FK, R-FK-QUALITY)."""
    d = event.data
    if event.type == "fk_included":
        criteria = ", ".join(str(CRITERION_LABELS.get(c, c)) for c in d.get("criteria") or [])
        return str(_("Koordinator: %(who)s · kriterier: %(criteria)s")) % {
            "who": d.get("coordinator", ""),
            "criteria": criteria,
        }
    if event.type == "fk_coordinator_changed":
        return str(_("Koordinator: %(who)s")) % {"who": d.get("coordinator", "")}
    if event.type == "fk_visit_planned":
        due = d.get("due_on") or ""
        return str(_("Hjemmebesøget senest %(date)s")) % {"date": "{2}.{1}.{0}".format(*due.split("-"))}
    if event.type == "epikrise_sent":
        return str(_("Sendt rettidigt")) if d.get("on_time") else str(_("Ikke sendt rettidigt"))
    return ""


def free_text(event) -> str:
    """The people's text of a forløbskoordination event: the judgement, the visit's note, the end note."""
    d = event.data
    if not event.type.startswith("fk_"):
        return ""
    return d.get("judgement") or d.get("note") or ""
