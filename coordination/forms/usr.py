"""The fields of the udskrivningsrapport on the admission page (the hospital writes it, seed 000: "USR skal
gennemgås med og udleveres til borgeren"): the text, rows for medicine, appointments, help and contacts,
turned into the USR's `content` (coordination/printouts/content.py) and back.

A mixin, so the action form in `coordination.forms` stays one short class; rows are fixed in number (a
nurse tabs through them by keyboard; empty rows are left out)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.models import Admission, UsrDraft
from coordination.printouts.content import (
    FIRST_YEAR,
    LAST_YEAR,
    NursingItem,
    UsrContent,
    pfp_content,
    usr_content,
)

MEDICINE_ROWS, APPOINTMENT_ROWS, HELP_ROWS, CONTACT_ROWS = 6, 5, 3, 2
MEDICINE_KIND_CHOICES = [
    ("fast", _("Fast medicin")),
    ("pn", _("PN (efter behov)")),
    ("depot", _("Depotmedicin")),
]
# An appointment more than this far from today is a typing slip (year 9999), not a plan.
APPOINTMENT_HORIZON = timedelta(days=5 * 366)

_DT = {"widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}
_DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M"]


def _text(label, help_text="", rows=3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=4000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _line(label, max_length=200) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length)


def _moment(label) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, required=False, input_formats=_DT_FORMATS, **_DT)


def _day(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class UsrContentFields:
    """Adds the USR's content fields to a form; `content()` reads them, `initial_for(content)` fills them."""

    def add_content_fields(self) -> None:
        f = self.fields
        f["summary"] = _text(
            _("Resumé af indlæggelsen"), _("Hvorfor borgeren var indlagt, i almindelige ord.")
        )
        f["function"] = _text(_("Funktionsevne nu"), _("Fx mobilitet, personlig pleje, spisning."))
        f["nursing"] = _text(
            _("Sygeplejefaglige problemområder og handlinger"),
            _("Én pr. linje: problemområde: handling, fx «Hud: sår på venstre underben renset dagligt»."),
            rows=4,
        )
        for i in range(1, MEDICINE_ROWS + 1):
            f[f"med_{i}_name"] = _line(_("Medicin %(n)s: præparat og styrke") % {"n": i})
            f[f"med_{i}_dose"] = _line(_("Medicin %(n)s: dosis") % {"n": i})
            f[f"med_{i}_kind"] = forms.ChoiceField(
                label=_("Medicin %(n)s: slags") % {"n": i}, choices=MEDICINE_KIND_CHOICES, required=False
            )
            f[f"med_{i}_last_given"] = _moment(_("Medicin %(n)s: sidst givet (PN og depot)") % {"n": i})
            f[f"med_{i}_not_in_fmk"] = forms.BooleanField(
                label=_("Medicin %(n)s: står ikke i FMK (Fælles Medicinkort)") % {"n": i}, required=False
            )
            f[f"med_{i}_note"] = _line(_("Medicin %(n)s: bemærkning") % {"n": i})
        f["aids"] = _text(_("Hjælpemidler"), _("Ét pr. linje."), rows=2)
        for i in range(1, HELP_ROWS + 1):
            f[f"help_{i}_what"] = _line(_("Hjælp %(n)s: hvad") % {"n": i})
            f[f"help_{i}_by"] = _line(_("Hjælp %(n)s: hvem") % {"n": i})
            f[f"help_{i}_from"] = _day(_("Hjælp %(n)s: fra") % {"n": i})
        f["rehabilitation_where"] = _line(_("Genoptræning: hvor"), 300)
        for i in range(1, APPOINTMENT_ROWS + 1):
            f[f"appt_{i}_at"] = _moment(_("Aftale %(n)s: hvornår") % {"n": i})
            f[f"appt_{i}_what"] = _line(_("Aftale %(n)s: hvad") % {"n": i})
            f[f"appt_{i}_where"] = _line(_("Aftale %(n)s: hvor") % {"n": i})
        for i in range(1, CONTACT_ROWS + 1):
            f[f"contact_{i}_name"] = _line(_("Anden kontakt %(n)s: navn") % {"n": i})
            f[f"contact_{i}_phone"] = _line(_("Anden kontakt %(n)s: telefon") % {"n": i}, 20)
            f[f"contact_{i}_note"] = _line(_("Anden kontakt %(n)s: bemærkning") % {"n": i})
        f["wishes"] = _text(_("Borgerens egne ønsker"), rows=2)

    def groups(self) -> list[tuple[str, list]]:
        """The fields in fieldsets for the page: (legend, bound fields); the action's own fields first."""
        rows = [(_("Medicin %(n)s") % {"n": i}, "med", i) for i in range(1, MEDICINE_ROWS + 1)] + [
            (_("Hjælp %(n)s") % {"n": i}, "help", i) for i in range(1, HELP_ROWS + 1)
        ]
        rows += [(_("Aftale %(n)s") % {"n": i}, "appt", i) for i in range(1, APPOINTMENT_ROWS + 1)]
        rows += [(_("Anden kontakt %(n)s") % {"n": i}, "contact", i) for i in range(1, CONTACT_ROWS + 1)]
        own = [
            self[n]
            for n in self.fields
            if not any(n.startswith(p) for p in ("med_", "help_", "appt_", "contact_"))
        ]
        text = [
            b
            for b in own
            if b.name in ("summary", "function", "nursing", "aids", "rehabilitation_where", "wishes")
        ]
        groups = [(_("Udskrivningsrapporten"), [b for b in own if b not in text] + text[:3])]
        groups += [
            (legend, [self[n] for n in self.fields if n.startswith(f"{kind}_{i}_")])
            for legend, kind, i in rows
        ]
        groups.append((_("Hjælpemidler, genoptræning og ønsker"), text[3:]))
        return groups

    def clean_content_rows(self, data: dict) -> None:
        today = timezone.localdate()
        for i in range(1, APPOINTMENT_ROWS + 1):
            at, what = data.get(f"appt_{i}_at"), (data.get(f"appt_{i}_what") or "").strip()
            if at is not None and abs(at.date() - today) > APPOINTMENT_HORIZON:
                self.add_error(f"appt_{i}_at", _("Datoen skal ligge inden for fem år fra i dag."))
            if (at is not None or (data.get(f"appt_{i}_where") or "").strip()) and not what:
                self.add_error(f"appt_{i}_what", _("Skriv hvad aftalen gælder."))
        for name in [f"med_{i}_last_given" for i in range(1, MEDICINE_ROWS + 1)] + [
            f"help_{i}_from" for i in range(1, HELP_ROWS + 1)
        ]:
            value = data.get(name)
            if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
                self.add_error(name, _("Året kan ikke passe."))

    def content(self) -> dict:
        """The USR's `content` from the cleaned fields (empty rows left out)."""
        d = self.cleaned_data
        nursing = []
        for line in _lines(d.get("nursing")):
            area, _sep, action = line.partition(":")
            nursing.append({"area": area.strip(), "action": action.strip()})
        medicine = []
        for i in range(1, MEDICINE_ROWS + 1):
            if not (d.get(f"med_{i}_name") or "").strip():
                continue
            last = d.get(f"med_{i}_last_given")
            medicine.append(
                {
                    "name": d[f"med_{i}_name"].strip(),
                    "dose": (d.get(f"med_{i}_dose") or "").strip(),
                    "kind": d.get(f"med_{i}_kind") or "fast",
                    "last_given": timezone.localtime(last).isoformat() if last else None,
                    "in_fmk": not d.get(f"med_{i}_not_in_fmk"),
                    "note": (d.get(f"med_{i}_note") or "").strip(),
                }
            )
        help_ = [
            {
                "what": d[f"help_{i}_what"].strip(),
                "by": (d.get(f"help_{i}_by") or "").strip(),
                "from": d[f"help_{i}_from"].isoformat() if d.get(f"help_{i}_from") else None,
            }
            for i in range(1, HELP_ROWS + 1)
            if (d.get(f"help_{i}_what") or "").strip()
        ]
        appointments = [
            {
                "at": timezone.localtime(d[f"appt_{i}_at"]).isoformat() if d.get(f"appt_{i}_at") else None,
                "what": d[f"appt_{i}_what"].strip(),
                "where": (d.get(f"appt_{i}_where") or "").strip(),
            }
            for i in range(1, APPOINTMENT_ROWS + 1)
            if (d.get(f"appt_{i}_what") or "").strip()
        ]
        contacts = [
            {
                "name": (d.get(f"contact_{i}_name") or "").strip(),
                "phone": (d.get(f"contact_{i}_phone") or "").strip(),
                "note": (d.get(f"contact_{i}_note") or "").strip(),
            }
            for i in range(1, CONTACT_ROWS + 1)
            if (d.get(f"contact_{i}_name") or d.get(f"contact_{i}_phone") or "").strip()
        ]
        return {
            "summary": (d.get("summary") or "").strip(),
            "function": (d.get("function") or "").strip(),
            "nursing": nursing,
            "medicine": medicine,
            "aids": _lines(d.get("aids")),
            "help": help_,
            "rehabilitation_where": (d.get("rehabilitation_where") or "").strip(),
            "appointments": appointments,
            "contacts": contacts,
            "wishes": (d.get("wishes") or "").strip(),
        }


def initial_for(usr: UsrContent) -> dict:
    """The form's initial values from a USR's content (a draft, the version in force, or a prefill)."""
    initial: dict = {
        "summary": usr.summary,
        "function": usr.function,
        "nursing": "\n".join(f"{n.area}: {n.action}" if n.action else n.area for n in usr.nursing),
        "aids": "\n".join(usr.aids),
        "rehabilitation_where": usr.rehabilitation_where,
        "wishes": usr.wishes,
    }
    for i, m in enumerate(usr.medicine[:MEDICINE_ROWS], start=1):
        initial |= {
            f"med_{i}_name": m.name,
            f"med_{i}_dose": m.dose,
            f"med_{i}_kind": m.kind,
            f"med_{i}_last_given": m.last_given,
            f"med_{i}_not_in_fmk": not m.in_fmk,
            f"med_{i}_note": m.note,
        }
    for i, h in enumerate(usr.help[:HELP_ROWS], start=1):
        initial |= {f"help_{i}_what": h.what, f"help_{i}_by": h.by, f"help_{i}_from": h.starts}
    for i, a in enumerate(usr.appointments[:APPOINTMENT_ROWS], start=1):
        when: datetime | date | None = a.at or a.day
        initial |= {f"appt_{i}_at": when, f"appt_{i}_what": a.what, f"appt_{i}_where": a.where}
    for i, c in enumerate(usr.contacts[:CONTACT_ROWS], start=1):
        initial |= {f"contact_{i}_name": c.name, f"contact_{i}_phone": c.phone, f"contact_{i}_note": c.note}
    return initial


def usr_initial(admission: Admission) -> dict:
    """What the form starts with: the ward's draft, else the USR in force (a correction starts from it), else
    what the timeline knows: the newest PFP's state and plan, and a conference's decisions written into it
    (R-CONFERENCE-MINUTES). Dates the rules derive (discharge, R-MEDICIN, R-72H, R-GOP-START) are not typed:
    the printouts take them from the engine."""
    draft = UsrDraft.objects.filter(admission=admission).first()
    if draft is not None:
        return initial_for(usr_content({"content": draft.content}))
    messages = [e for e in admission.events.filter(type="message").order_by("-occurred_at", "-sequence")]
    sent = next((e for e in messages if e.data.get("code") == "USR"), None)
    if sent is not None:
        return initial_for(usr_content(sent.data))
    pfp = next((e for e in messages if e.data.get("code") == "PFP"), None)
    if pfp is None:
        return {}
    plan = pfp_content(pfp.data)
    nursing = tuple(NursingItem(area=line) for line in _lines(plan.decisions))
    return initial_for(UsrContent(summary=plan.plan, function=plan.status, nursing=nursing))
