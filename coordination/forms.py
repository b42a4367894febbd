"""The forms of the board and the admission page. Danish labels; a refusal from a service lands next to the
field it names (`ServiceError.field`), otherwise above the form.

Every action form on the admission page records one event through one service (`save`), says which side may
use it (`sides`), and carries the admission's version as it was shown (`expected_version`): a change by
someone else in between is refused by the service instead of being overwritten silently."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination import rules, services
from coordination.form_moments import MomentField, accepted_year
from coordination.forms_usr import UsrContentFields, usr_initial
from coordination.models import Municipality, Ward
from coordination.presentation import KM_SUBJECTS, RESUME_LABELS, WAITING_LABELS
from coordination.vocabulary import Residence

HOSPITAL, MUNICIPALITY = rules.HOSPITAL, rules.MUNICIPALITY
BOTH = frozenset({HOSPITAL, MUNICIPALITY})
_DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M"]


def _now_minute() -> datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def moment_field(label, *, required=True, help_text="") -> forms.DateTimeField:
    # Years 2000–2100 only; the repeated hour in October asks before/after, March's missing hour is refused.
    return MomentField(label=label, required=required, input_formats=_DT_FORMATS, help_text=help_text)


def date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        validators=[accepted_year],
    )


def yes_no(label, help_text="") -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False, help_text=help_text)


class ServiceErrorsMixin:
    # The service's field name -> this form's field (when they differ).
    service_fields: dict[str, str] = {}

    def add_service_error(self, error: services.ServiceError) -> None:
        name = self.service_fields.get(error.field, error.field)
        field = self.fields.get(name) if name else None
        if field is None or field.widget.is_hidden:
            name = None
        message = error.message
        if error.rule and error.rule not in message:
            message = f"{message} ({error.rule})"
        self.add_error(name, message)


class ActionForm(ServiceErrorsMixin, forms.Form):
    """One action on an admission: `at` is when it really happened (it may be in the past); the time it is
    recorded is the clock's."""

    name = ""
    title = ""
    sides = BOTH
    button = _("Registrér")
    # R-FLOW: once the citizen has left, only a KM, USR, GOP, the discharge registration, the start of
    # rehabilitation and a disputed MOF may still be recorded; the page offers only those then.
    before_departure = True
    after_departure = False

    at = moment_field(_("Hvornår skete det?"), help_text=_("Dato og klokkeslæt; kan ligge tilbage i tiden."))
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, admission=None, **kwargs):
        kwargs.setdefault("prefix", self.name)
        super().__init__(*args, **kwargs)
        self.admission = admission
        if not self.is_bound:
            self.initial.setdefault("at", _now_minute())
            if admission is not None:
                self.initial.setdefault("expected_version", admission.version)

    def common(self, actor, now) -> dict:
        return {
            "at": self.cleaned_data["at"],
            "actor": actor,
            "now": now,
            "expected_version": self.cleaned_data["expected_version"],
        }

    def save(self, actor, now):  # pragma: no cover - every subclass has its own
        raise NotImplementedError


def _message_form(code: str, title, side: str, button) -> type[ActionForm]:
    def save(self, actor, now):
        return services.send_message(self.admission, code, **self.common(actor, now))

    return type(
        f"{code.title()}Form",
        (ActionForm,),
        {"name": code.lower(), "title": title, "sides": frozenset({side}), "button": button, "save": save},
    )


IlrForm = _message_form("ILR", _("Indlæggelsesrapport (ILR)"), MUNICIPALITY, _("Send ILR"))
MilrForm = _message_form(
    "MILR", _("Manuelt opdateret indlæggelsesrapport (MILR)"), MUNICIPALITY, _("Send MILR")
)
GopForm = _message_form("GOP", _("Genoptræningsplan (GOP)"), HOSPITAL, _("Send GOP"))
GopForm.after_departure = True


class UsrForm(UsrContentFields, ActionForm):
    """The USR with its content (coordination/forms_usr.py): saved as the ward's draft ("Gem kladde") or sent
    as one USR message; sent again, it is a corrected version that replaces the one before."""

    name = "usr"
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

    def save(self, actor, now):
        d = self.cleaned_data
        return services.send_pfp(
            self.admission,
            faerdigbehandlet_date=d["faerdigbehandlet_date"],
            date_certain=d["date_certain"],
            coordination_needed=d["coordination_needed"],
            reason=d["reason"],
            **self.common(actor, now),
        )


OTHER = "andet"


class KmForm(ActionForm):
    after_departure = True
    name = "km"
    title = _("Korrespondancemeddelelse (KM)")
    button = _("Send KM")
    service_fields = {"subject": "subject"}

    subject = forms.ChoiceField(
        label=_("Emne"),
        choices=[(s, s) for s in KM_SUBJECTS] + [(OTHER, _("Andet emne (skriv selv)"))],
    )
    other_subject = forms.CharField(label=_("Andet emne"), required=False, max_length=200)
    text = forms.CharField(label=_("Tekst"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("subject") == OTHER and not (data.get("other_subject") or "").strip():
            self.add_error("other_subject", _("Skriv et emne for korrespondancen."))
        return data

    def save(self, actor, now):
        d = self.cleaned_data
        subject = d["other_subject"] if d["subject"] == OTHER else d["subject"]
        return services.send_km(
            self.admission, sender=actor.side, subject=subject, text=d["text"], **self.common(actor, now)
        )


class PhoneAgreementForm(ActionForm):
    name = "phone"
    title = _("Telefonaftale om udskrivningstidspunkt")
    button = _("Registrér aftale")
    service_fields = {"discharge_at": "discharge_at"}

    discharge_at = moment_field(_("Aftalt udskrivningstidspunkt"))

    def save(self, actor, now):
        return services.record_phone_agreement(
            self.admission, discharge_at=self.cleaned_data["discharge_at"], **self.common(actor, now)
        )


class MunicipalityContactForm(ActionForm):
    name = "contact"
    title = _("Kommunen har kontaktet hospitalet (telefon)")

    def save(self, actor, now):
        return services.record_municipality_contact(self.admission, **self.common(actor, now))


class PlanDischargeForm(ActionForm):
    name = "plan"
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
    title = _("Indkald til planlægningskonference")
    button = _("Indkald")
    service_fields = {"conference_at": "conference_at"}

    conference_at = moment_field(_("Konferencen holdes"))

    def save(self, actor, now):
        return services.plan_conference(
            self.admission, conference_at=self.cleaned_data["conference_at"], **self.common(actor, now)
        )


class HoldConferenceForm(ActionForm):
    name = "conference_held"
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
    title = _("Behandling genoptaget (MOF-GENOPTAGET)")
    sides = frozenset({HOSPITAL})
    service_fields = {"reason": "reason"}

    reason = forms.ChoiceField(
        label=_("Årsag"), choices=list(RESUME_LABELS.items()), widget=forms.RadioSelect
    )

    def save(self, actor, now):
        return services.resume_treatment(
            self.admission, reason=self.cleaned_data["reason"], **self.common(actor, now)
        )


class DisputeMofForm(ActionForm):
    after_departure = True
    name = "dispute"
    title = _("Markér MOF som bestridt")
    button = _("Markér som bestridt")
    service_fields = {"note": "note"}

    note = forms.CharField(
        label=_("Hvad drejer uenigheden sig om?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Går til hospitalets samordningskonsulenter; dagene ændres ikke."),
    )

    def save(self, actor, now):
        return services.dispute_mof(self.admission, note=self.cleaned_data["note"], **self.common(actor, now))


class DepartureForm(ActionForm):
    name = "departure"
    title = _("Borgeren har forladt afsnittet")
    sides = frozenset({HOSPITAL})

    def save(self, actor, now):
        return services.record_departure(self.admission, **self.common(actor, now))


class DischargeRegisteredForm(ActionForm):
    before_departure = False
    after_departure = True
    name = "discharge"
    title = _("Registrér udskrivning (udskrivningsadvis sendes)")
    sides = frozenset({HOSPITAL})
    button = _("Registrér udskrivning")

    def save(self, actor, now):
        return services.register_discharge(self.admission, **self.common(actor, now))


class RehabilitationStartedForm(ActionForm):
    after_departure = True
    name = "rehabilitation"
    title = _("Genoptræning startet")
    sides = frozenset({MUNICIPALITY})

    def save(self, actor, now):
        return services.start_rehabilitation(self.admission, **self.common(actor, now))


class CitizenFactsForm(ActionForm):
    """A fact the rules read about the citizen changed or was wrong: recorded as an event with the reason
    (either side; also after the departure, as a correction). The fields show the facts in force now."""

    after_departure = True
    name = "citizen"
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
        IlrForm,
        MilrForm,
        PfpForm,
        KmForm,
        MunicipalityContactForm,
        PlanConferenceForm,
        HoldConferenceForm,
        PlanDischargeForm,
        PhoneAgreementForm,
        FaerdigbehandletForm,
        ResumeTreatmentForm,
        DisputeMofForm,
        UsrForm,
        GopForm,
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


class NewAdmissionForm(ServiceErrorsMixin, forms.Form):
    """The board's "Ny indlæggelse" for hospital staff: citizen, admission and the automatic ADVIS-IND."""

    service_fields = {"cpr": "cpr", "name": "name", "residence": "residence", "at": "at"}

    cpr = forms.CharField(label=_("CPR-nummer"), max_length=11, help_text=_("10 cifre, fx 010145-1234"))
    name = forms.CharField(label=_("Navn"), max_length=200)
    municipality = forms.ModelChoiceField(label=_("Bopælskommune"), queryset=Municipality.objects.none())
    residence = forms.ChoiceField(label=_("Bolig"), choices=Residence.choices)
    known_in_eoj = forms.BooleanField(label=_("Kendt i kommunens omsorgsjournal (EOJ)"), required=False)
    social_area = yes_no(_("Socialområdet (ikke i kommunens ældrepleje)"))
    terminal = yes_no(_("Terminal"), _("Lægen har vurderet, at patienten er terminal."))
    expected_stay = forms.ChoiceField(
        label=_("Forventet ophold"),
        choices=[("over_48h", _("Over 48 timer")), ("under_48h", _("Under 48 timer"))],
    )
    ward = forms.ModelChoiceField(label=_("Afsnit"), queryset=Ward.objects.none())
    at = moment_field(_("Indlagt"))

    def __init__(self, *args, staff=None, **kwargs):
        kwargs.setdefault("prefix", "new")
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.all()
        # The user's own ward or hospital; region staff and administrators register none (issue 11).
        wards = Ward.objects.select_related("hospital")
        self.fields["ward"].queryset = wards.filter(staff.own_wards()) if staff is not None else wards.none()
        if staff is not None and staff.ward_id:
            self.fields["ward"].initial = staff.ward_id
        self.initial.setdefault("at", _now_minute())
        self.initial.setdefault("known_in_eoj", True)

    def save(self, actor, now):
        d = self.cleaned_data
        return services.admit_and_advise(
            cpr=d["cpr"],
            name=d["name"],
            municipality=d["municipality"],
            ward=d["ward"],
            at=d["at"],
            expected_stay=d["expected_stay"],
            known_in_eoj=d["known_in_eoj"],
            residence=d["residence"],
            social_area=d["social_area"],
            terminal=d["terminal"],
            actor=actor,
            now=now,
        )


class BoardFilterForm(forms.Form):
    """The board's filters, kept in the URL (GET)."""

    scope = forms.ChoiceField(
        label=_("Vis"),
        required=False,
        choices=[("all", _("Alle jeg må se")), ("mine", _("Mit afsnit / min kommune"))],
    )
    hospital = forms.TypedChoiceField(label=_("Hospital"), required=False, coerce=int, empty_value=None)
    municipality = forms.TypedChoiceField(label=_("Kommune"), required=False, coerce=int, empty_value=None)
    ward = forms.TypedChoiceField(label=_("Afsnit"), required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label=_("Kun overskredne"), required=False)
    waiting = forms.BooleanField(label=_("Kun færdigbehandlede, der venter"), required=False)
    discharge = forms.ChoiceField(
        label=_("Udskrives"),
        required=False,
        choices=[("", _("Alle dage")), ("today", _("I dag")), ("tomorrow", _("I morgen"))],
    )
    q = forms.CharField(label=_("Søg navn eller CPR"), required=False, max_length=100)
    sort = forms.ChoiceField(
        label=_("Sortér efter"),
        required=False,
        choices=[
            ("due", _("Næste frist")),
            ("admitted", _("Indlæggelsestidspunkt")),
            ("fb", _("Færdigbehandlingsdato")),
        ],
    )

    def __init__(self, *args, options=(), **kwargs):
        """`options`: the places the user's admissions lie at, for the choices. None reads the URL only (a
        poll's parse needs no query): the places are then any id; an unknown one matches nothing."""
        super().__init__(*args, **kwargs)
        if options is None:
            for name in ("hospital", "municipality", "ward"):
                self.fields[name] = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
            return
        everyone = [("", _("Alle"))]
        hospitals = sorted(
            {(o["ward__hospital_id"], o["ward__hospital__name"]) for o in options}, key=lambda x: x[1]
        )
        municipalities = sorted(
            {(o["municipality_id"], o["municipality__name"]) for o in options}, key=lambda x: x[1]
        )
        wards = sorted(
            {(o["ward_id"], f"{o['ward__name']}, {o['ward__hospital__name']}") for o in options},
            key=lambda x: x[1],
        )
        self.fields["hospital"].choices = everyone + hospitals
        self.fields["municipality"].choices = everyone + municipalities
        self.fields["ward"].choices = everyone + wards

    def values(self) -> dict:
        """The cleaned filters; an invalid one (a stale choice in a bookmark) is ignored, not an error."""
        if not self.is_valid():
            return {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        return self.cleaned_data
