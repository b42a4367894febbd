"""The action forms of the admission page that record a message, an agreement or a conference.

Every action form records one event through one service (`save`), says which side may use it (`sides`),
and carries the admission's version as it was shown (`expected_version`): a change by someone else in
between is refused by the service instead of being overwritten silently."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination import rules, services
from coordination.forms.fields import (
    ServiceErrorsMixin,
    check_typed_dates,
    date_field,
    moment_field,
    now_minute,
    yes_no,
)
from coordination.forms.usr import UsrContentFields, usr_initial
from coordination.vocabulary import KmSubject, Residence

HOSPITAL, MUNICIPALITY = rules.HOSPITAL, rules.MUNICIPALITY
BOTH = frozenset({HOSPITAL, MUNICIPALITY})


class ActionForm(ServiceErrorsMixin, forms.Form):
    """One action on an admission: `at` is when it really happened (it may be in the past); the time it is
    recorded is the clock's."""

    name = ""
    title = ""
    # The engine's step this form records (rules.Step.key, rules/actions.py): the page offers the form only
    # when the engine would accept the step now, and first when it meets the side's earliest open duty.
    step = ""
    sides = BOTH
    button = _("Registrér")
    # R-FLOW: once the citizen has left, only a KM, USR, GOP, the discharge registration, the start of
    # rehabilitation and a disputed MOF may still be recorded; the page offers only those then.
    before_departure = True
    after_departure = False

    at = moment_field(
        _("Hvornår skete det?"), help_text=_("Dato og klokkeslæt; kan ligge tilbage i tiden."), typed=False
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, admission=None, **kwargs):
        kwargs.setdefault("prefix", self.name)
        super().__init__(*args, **kwargs)
        self.admission = admission
        if not self.is_bound:
            self.initial.setdefault("at", now_minute())
            if admission is not None:
                self.initial.setdefault("expected_version", admission.version)

    def clean(self):
        data = super().clean()
        check_typed_dates(self, self.admission)
        return data

    def common(self, actor, now) -> dict:
        return {
            "at": self.cleaned_data["at"],
            "actor": actor,
            "now": now,
            "expected_version": self.cleaned_data["expected_version"],
        }

    # Most actions call one service with some cleaned fields by name; the others write their own `save`.
    service = ""
    passes: tuple[str, ...] = ()

    def save(self, actor, now):
        fields = {name: self.cleaned_data[name] for name in self.passes}
        return getattr(services, self.service)(self.admission, **fields, **self.common(actor, now))


def _message_form(code: str, title, side: str, button) -> type[ActionForm]:
    def save(self, actor, now):
        return services.send_message(self.admission, code, **self.common(actor, now))

    return type(
        f"{code.title()}Form",
        (ActionForm,),
        {
            "name": code.lower(),
            "step": f"message:{code}",
            "title": title,
            "sides": frozenset({side}),
            "button": button,
            "save": save,
        },
    )


IlrForm = _message_form("ILR", _("Indlæggelsesrapport (ILR)"), MUNICIPALITY, _("Send ILR"))
MilrForm = _message_form(
    "MILR", _("Manuelt opdateret indlæggelsesrapport (MILR)"), MUNICIPALITY, _("Send MILR")
)
GopForm = _message_form("GOP", _("Genoptræningsplan (GOP)"), HOSPITAL, _("Send GOP"))
GopForm.after_departure = True


class UsrForm(UsrContentFields, ActionForm):
    """The USR with its content (coordination/forms/usr.py): saved as the ward's draft ("Gem kladde") or sent
    as one USR message; sent again, it is a corrected version that replaces the one before."""

    name = "usr"
    step = "message:USR"
    title = _("Udskrivningsrapport (USR)")
    sides = frozenset({HOSPITAL})
    button = _("Send USR")
    after_departure = True
    service_fields = {"appointments": "appt_1_at", "medicine": "med_1_last_given", "help": "help_1_from"}

    def __init__(self, *args, admission=None, **kwargs):
        super().__init__(*args, admission=admission, **kwargs)
        self.add_content_fields()
        if not self.is_bound and admission is not None:
            self.initial.update(usr_initial(admission))

    @property
    def drafting(self) -> bool:
        return bool(self.data.get(f"{self.prefix}-save_draft"))

    def clean(self):
        data = super().clean()
        self.clean_content_rows(data)
        return data

    def save(self, actor, now):
        if self.drafting:
            services.save_usr_draft(self.admission, content=self.content(), actor=actor, now=now)
            return None
        return services.send_usr(self.admission, content=self.content(), **self.common(actor, now))


class PfpForm(ActionForm):
    name = "pfp"
    service = "send_pfp"
    passes = ("faerdigbehandlet_date", "date_certain", "coordination_needed", "reason")
    step = "message:PFP"
    title = _("Plejeforløbsplan (PFP)")
    sides = frozenset({HOSPITAL})
    button = _("Send PFP")
    service_fields = {
        "faerdigbehandlet_date": "faerdigbehandlet_date",
        "date_certain": "date_certain",
        "reason": "reason",
    }

    faerdigbehandlet_date = date_field(_("Færdigbehandlings- og udskrivningsdato"))
    date_certain = yes_no(_("Datoen er sikker"), _("Ellers er den forventet."))
    coordination_needed = yes_no(_("Behov for yderligere koordinering"))
    reason = forms.CharField(
        label=_("Begrundelse for yderligere koordinering"),
        required=False,
        max_length=500,
        help_text=_("Fx særlige plejebehov, hjælpemidler, barrierer i hjemmet."),
    )


OTHER = "andet"


class KmForm(ActionForm):
    after_departure = True
    name = "km"
    step = "message:KM"
    title = _("Korrespondancemeddelelse (KM)")
    button = _("Send KM")
    service_fields = {"subject": "subject"}

    subject = forms.ChoiceField(
        label=_("Emne"),
        choices=[*KmSubject.choices, (OTHER, _("Andet emne (skriv selv)"))],
    )
    other_subject = forms.CharField(label=_("Andet emne"), required=False, max_length=200)
    text = forms.CharField(label=_("Tekst"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # A KM received through MedCom may be answered or forwarded: the new one joins its thread (issue 12).
    answer = forms.ChoiceField(label=_("Tråd"), required=False, choices=[("", _("Ny tråd"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from coordination.services.carecommunication import answerable

        choices = [("", _("Ny tråd"))]
        for event in answerable(self.admission) if self.admission is not None else []:
            when = event.occurred_at.strftime("%d.%m.%Y")
            subject = event.data.get("subject", "")
            choices.append(
                (f"reply:{event.sequence}", _("Svar på »%(s)s« (%(d)s)") % {"s": subject, "d": when})
            )
            choices.append(
                (f"forward:{event.sequence}", _("Videresend »%(s)s« (%(d)s)") % {"s": subject, "d": when})
            )
        self.fields["answer"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("subject") == OTHER and not (data.get("other_subject") or "").strip():
            self.add_error("other_subject", _("Skriv et emne for korrespondancen."))
        return data

    def save(self, actor, now):
        from coordination.services.carecommunication import FORWARD, REPLY, thread_of

        d = self.cleaned_data
        subject = d["other_subject"] if d["subject"] == OTHER else d["subject"]
        medcom = None
        if d.get("answer"):
            kind, sequence = d["answer"].split(":")
            answered = self.admission.events.get(sequence=int(sequence))
            medcom = thread_of(answered, REPLY if kind == "reply" else FORWARD)
        return services.send_km(
            self.admission,
            sender=actor.side,
            subject=subject,
            text=d["text"],
            medcom=medcom,
            **self.common(actor, now),
        )


class PhoneAgreementForm(ActionForm):
    name = "phone"
    step = "phone_agreement"
    title = _("Telefonaftale om udskrivningstidspunkt")
    button = _("Registrér aftale")
    service_fields = {"discharge_at": "discharge_at"}

    discharge_at = moment_field(_("Aftalt udskrivningstidspunkt"))

    service, passes = "record_phone_agreement", ("discharge_at",)


class MunicipalityContactForm(ActionForm):
    name = "contact"
    step = "municipality_contacted"
    title = _("Kommunen har kontaktet hospitalet (telefon)")
    service = "record_municipality_contact"


class PlanDischargeForm(ActionForm):
    name = "plan"
    step = "discharge_planned"
    title = _("Planlæg udskrivning")
    sides = frozenset({HOSPITAL})
    button = _("Gem plan")
    service_fields = {"discharge_at": "discharge_at", "destination": "destination"}

    discharge_at = moment_field(_("Planlagt udskrivningstidspunkt"))
    destination = forms.ChoiceField(label=_("Udskrives til"), choices=Residence.choices)
    needs_changed = yes_no(_("Ændrede behov"))
    practical_help_only = yes_no(_("Kun praktisk hjælp"), _("Indkøb, tøjvask, rengøring."))
    municipal_nursing = yes_no(_("Kommunal sygepleje efter udskrivning"))
    rehabilitation_needed = yes_no(_("Behov for genoptræning"))

    def save(self, actor, now):
        d = self.cleaned_data
        fields = ("discharge_at", "destination", "needs_changed", "practical_help_only", "municipal_nursing")
        return services.plan_discharge(
            self.admission,
            rehabilitation_needed=d["rehabilitation_needed"],
            **{f: d[f] for f in fields},
            **self.common(actor, now),
        )


class PlanConferenceForm(ActionForm):
    name = "conference_plan"
    step = "conference_planned"
    title = _("Indkald til planlægningskonference")
    button = _("Indkald")
    service_fields = {"conference_at": "conference_at"}

    conference_at = moment_field(_("Konferencen holdes"))

    service, passes = "plan_conference", ("conference_at",)


class HoldConferenceForm(ActionForm):
    name = "conference_held"
    step = "conference_held"
    title = _("Planlægningskonference holdt")
    button = _("Gem referat")
    service_fields = {"discharge_at": "discharge_at"}

    minutes = forms.CharField(
        label=_("Referat"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Beslutningerne skrives også ind i en opdateret plejeforløbsplan."),
    )
    discharge_at = moment_field(_("Aftalt udskrivningstidspunkt"), required=False)

    def save(self, actor, now):
        d = self.cleaned_data
        return services.hold_conference(
            self.admission, discharge_at=d["discharge_at"], minutes=d["minutes"], **self.common(actor, now)
        )


# R-FB-DEF's items (rules.FB_CHECKLIST), as translatable text.
