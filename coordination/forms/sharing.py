"""The citizen's wishes about sharing on the admission page (seed 001; sundhedsloven § 41): the hospital
records what the citizen has declined to have passed on to the municipality and whether, and whom, the
relatives may be contacted. The fields start from the wishes in force; sent again, the newest is in force."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination import rules
from coordination.forms.actions import ActionForm
from coordination.forms.fields import yes_no
from coordination.vocabulary import SharingSection


class SharingWishesForm(ActionForm):
    after_departure = True
    name = "sharing"
    service, passes = "record_sharing_wishes", ("declined", "note", "relatives_allowed", "relatives")
    step = "sharing_wishes"
    title = _("Borgerens ønsker om videregivelse af oplysninger (sundhedsloven § 41)")
    sides = frozenset({rules.HOSPITAL})
    button = _("Gem borgerens ønsker")
    service_fields = {"declined": "declined", "note": "note", "relatives": "relatives"}

    declined = forms.MultipleChoiceField(
        label=_("Borgeren har frabedt sig, at dette videregives til kommunen"),
        required=False,
        choices=SharingSection.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Afsnittene udelades af udskrivningsrapporten til kommunen. Borgerens egen kopi er hel."),
    )
    note = forms.CharField(
        label=_("Bemærkning"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Fx hvad borgeren i øvrigt ønsker holdt for sig selv."),
    )
    relatives_allowed = yes_no(_("Pårørende må kontaktes"))
    relatives = forms.CharField(
        label=_("Hvilke pårørende"),
        required=False,
        max_length=300,
        help_text=_("Navn, relation og telefon, fx «Hanne Jensen, datter, 20 30 40 50»."),
    )

    def __init__(self, *args, admission=None, **kwargs):
        super().__init__(*args, admission=admission, **kwargs)
        wishes = admission.sharing if admission is not None else None
        if not self.is_bound:
            self.initial.setdefault("relatives_allowed", True)
            if wishes is not None:
                self.initial.update(
                    declined=list(wishes.declined),
                    note=wishes.note,
                    relatives_allowed=wishes.relatives_allowed,
                    relatives=wishes.relatives,
                )
