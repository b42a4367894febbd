"""The action forms for the course itself: færdigbehandling, resumed treatment, disputes, departure,
discharge, rehabilitation and the citizen's facts; and which forms each side is offered."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination import rules, services
from coordination.forms import actions
from coordination.forms.actions import ActionForm
from coordination.forms.fields import date_field, yes_no
from coordination.forms.sharing import SharingWishesForm
from coordination.presentation import RESUME_LABELS, WAITING_LABELS
from coordination.vocabulary import Residence

HOSPITAL, MUNICIPALITY = rules.HOSPITAL, rules.MUNICIPALITY
BOTH = frozenset({HOSPITAL, MUNICIPALITY})


CHECKLIST_LABELS = {
    "treatment_done": _(
        "Patienten er efter lægelig vurdering færdigbehandlet: behandlingen er afsluttet, eller indlæggelse "
        "er ikke en forudsætning for den videre behandling"
    ),
    "rehabilitation_plan": _("Der er lagt en plan for genoptræning"),
    "administrative_tasks": _(
        "Sygehusets administrative opgaver (sygeplejerapport, hjælpemidler, medicin, FMK ajourført) hindrer "
        "ikke kommunen i at hjemtage patienten"
    ),
    "patient_informed": _("Patient og pårørende er informeret"),
    "discharge_agreed": _("Udskrivelsestidspunktet er aftalt med kommunen (når den er inde over)"),
}
assert set(CHECKLIST_LABELS) == {item.code for item in rules.FB_CHECKLIST}


class FaerdigbehandletForm(ActionForm):
    """R-FB-DEF as a readiness checklist: every item must be confirmed before the registration."""

    name = "fb"
    step = "faerdigbehandlet"
    title = _("Registrér færdigbehandlet (MOF)")
    sides = frozenset({HOSPITAL})
    button = _("Registrér færdigbehandlet")
    service_fields = {"date": "faerdigbehandlet_on", "waiting_for": "waiting_for"}

    faerdigbehandlet_on = date_field(_("Færdigbehandlingsdato"))
    waiting_for = forms.MultipleChoiceField(
        label=_("Borgeren venter på"),
        required=False,
        choices=list(WAITING_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in rules.FB_CHECKLIST:
            self.fields[f"check_{item.code}"] = forms.BooleanField(
                label=CHECKLIST_LABELS[item.code],
                required=True,
                error_messages={"required": _("Bekræft punktet, før borgeren registreres færdigbehandlet.")},
            )
        if not self.is_bound:
            self.initial.setdefault("faerdigbehandlet_on", timezone.localdate())

    def checklist(self):
        return [self[f"check_{item.code}"] for item in rules.FB_CHECKLIST]

    def save(self, actor, now):
        return services.register_faerdigbehandlet(
            self.admission,
            faerdigbehandlet_on=self.cleaned_data["faerdigbehandlet_on"],
            waiting_for=self.cleaned_data["waiting_for"],
            **self.common(actor, now),
        )


class ResumeTreatmentForm(ActionForm):
    name = "resume"
    step = "treatment_resumed"
    title = _("Behandling genoptaget (MOF-GENOPTAGET)")
    sides = frozenset({HOSPITAL})
    service_fields = {"reason": "reason"}

    reason = forms.ChoiceField(
        label=_("Årsag"), choices=list(RESUME_LABELS.items()), widget=forms.RadioSelect
    )
    service, passes = "resume_treatment", ("reason",)


class DisputeMofForm(ActionForm):
    after_departure = True
    name = "dispute"
    step = "mof_disputed"
    title = _("Markér MOF som bestridt")
    button = _("Markér som bestridt")
    service_fields = {"note": "note"}

    note = forms.CharField(
        label=_("Hvad drejer uenigheden sig om?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Går til hospitalets samordningskonsulenter; dagene ændres ikke."),
    )
    service, passes = "dispute_mof", ("note",)


class DepartureForm(ActionForm):
    name = "departure"
    step = "left_ward"
    title = _("Borgeren har forladt afsnittet")
    sides = frozenset({HOSPITAL})
    service = "record_departure"


class DischargeRegisteredForm(ActionForm):
    before_departure = False
    after_departure = True
    name = "discharge"
    step = "discharge_registered"
    title = _("Registrér udskrivning (udskrivningsadvis sendes)")
    sides = frozenset({HOSPITAL})
    button = _("Registrér udskrivning")
    service = "register_discharge"


class RehabilitationStartedForm(ActionForm):
    # Issue 14: before the departure a start meets nothing (R-GOP-START counts a start after it), so the
    # page offers it only then, and a post before is refused as not yet possible.
    before_departure = False
    after_departure = True
    name = "rehabilitation"
    step = "rehabilitation_started"
    title = _("Genoptræning startet")
    sides = frozenset({MUNICIPALITY})
    service = "start_rehabilitation"


class CitizenFactsForm(ActionForm):
    """A fact the rules read about the citizen changed or was wrong: recorded as an event with the reason
    (either side; also after the departure, as a correction). The fields show the facts in force now."""

    after_departure = True
    name = "citizen"
    step = "citizen_changed"
    title = _("Borgerens forhold (EOJ, bolig, socialområde, terminal)")
    button = _("Gem ændring")
    service_fields = {"reason": "reason", "residence": "residence"}

    known_in_eoj = yes_no(_("Kendt i kommunens omsorgsjournal (EOJ)"))
    residence = forms.ChoiceField(label=_("Bolig"), choices=Residence.choices)
    social_area = yes_no(_("Socialområdet (ikke i kommunens ældrepleje)"))
    terminal = yes_no(_("Terminal"))
    reason = forms.CharField(
        label=_("Hvorfor ændres det?"),
        max_length=500,
        help_text=_("Fx ny oplysning fra visitationen eller lægens vurdering."),
    )

    def __init__(self, *args, admission=None, **kwargs):
        super().__init__(*args, admission=admission, **kwargs)
        facts = admission.citizen_facts if admission is not None else None
        if not self.is_bound and facts is not None:
            for name in rules.CITIZEN_FACTS:
                self.initial.setdefault(name, getattr(facts, name))

    def save(self, actor, now):
        d = self.cleaned_data
        return services.change_citizen_facts(
            self.admission,
            reason=d["reason"],
            **{name: d[name] for name in rules.CITIZEN_FACTS},
            **self.common(actor, now),
        )


# In the order of a course; the page shows a side only its own.
ACTION_FORMS: dict[str, type[ActionForm]] = {
    form.name: form
    for form in (
        actions.IlrForm,
        actions.MilrForm,
        actions.PfpForm,
        actions.KmForm,
        actions.MunicipalityContactForm,
        actions.PlanConferenceForm,
        actions.HoldConferenceForm,
        actions.PlanDischargeForm,
        actions.PhoneAgreementForm,
        FaerdigbehandletForm,
        ResumeTreatmentForm,
        DisputeMofForm,
        SharingWishesForm,
        actions.UsrForm,
        actions.GopForm,
        DepartureForm,
        DischargeRegisteredForm,
        RehabilitationStartedForm,
        CitizenFactsForm,
    )
}


def forms_for_side(side: str, *, left: bool = False) -> list[type[ActionForm]]:
    """The actions this side may record now: before or after the citizen left the ward (R-FLOW)."""
    return [
        form
        for form in ACTION_FORMS.values()
        if side in form.sides and (form.after_departure if left else form.before_departure)
    ]


# --- The board ------------------------------------------------------------------------------------------
