"""The new-admission form and the board's filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination import rules, services
from coordination.forms.fields import ServiceErrorsMixin, moment_field, now_minute, yes_no
from coordination.models import Municipality, Ward
from coordination.vocabulary import Residence

HOSPITAL, MUNICIPALITY = rules.HOSPITAL, rules.MUNICIPALITY
BOTH = frozenset({HOSPITAL, MUNICIPALITY})


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
        self.initial.setdefault("at", now_minute())
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
    owner = forms.ChoiceField(
        label=_("Overskredet af"),
        required=False,
        choices=[("", _("Alle")), (HOSPITAL, _("Hospital")), (MUNICIPALITY, _("Kommune"))],
    )
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
            ("due", _("Næste frist, tidligste først")),
            ("-due", _("Næste frist, seneste først")),
            ("name", _("Borger, A–Å")),
            ("-name", _("Borger, Å–A")),
            ("municipality", _("Kommune, A–Å")),
            ("-municipality", _("Kommune, Å–A")),
            ("admitted", _("Indlagt, ældste først")),
            ("-admitted", _("Indlagt, nyeste først")),
            ("fb", _("Færdigbehandlingsdato, tidligste først")),
            ("-fb", _("Færdigbehandlingsdato, seneste først")),
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
