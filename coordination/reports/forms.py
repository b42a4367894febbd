"""The filters of the figures pages, kept in the URL (GET)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.forms import date_field

PERIOD_CHOICES = [("month", _("Måned")), ("quarter", _("Kvartal")), ("year", _("År"))]
FB_BY_CHOICES = [("hospital", _("Hospital")), ("municipality", _("Kommune"))]
TIMELY_BY_CHOICES = [
    ("rule", _("Regel")),
    ("owner", _("Ansvarlig")),
    ("region", _("Region")),
    ("hospital", _("Hospital")),
    ("ward", _("Afsnit")),
    ("municipality", _("Kommune")),
]


class FiguresForm(forms.Form):
    start = date_field(_("Fra og med"))
    end = date_field(_("Til og med"))

    def __init__(self, query):
        data = query.copy()  # a QueryDict keeps every value of a multiple choice
        today = timezone.localdate()
        for name, default in (("start", date(today.year, 1, 1)), ("end", today)):
            if not data.get(name):
                data[name] = default.isoformat()
        super().__init__(data)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("Slutdatoen ligger før startdatoen."))
        return cleaned


class FaerdigbehandlingFilter(FiguresForm):
    period = forms.ChoiceField(label=_("Periode"), choices=PERIOD_CHOICES, initial="month", required=False)
    by = forms.MultipleChoiceField(
        label=_("Opdelt på"), choices=FB_BY_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )

    def clean_by(self):
        return tuple(
            n for n, _label in FB_BY_CHOICES if n in (self.cleaned_data["by"] or ["hospital", "municipality"])
        )

    def clean_period(self):
        return self.cleaned_data["period"] or "month"


class TimelinessFilter(FiguresForm):
    by = forms.MultipleChoiceField(
        label=_("Opdelt på"), choices=TIMELY_BY_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    monthly = forms.BooleanField(label=_("Pr. måned"), required=False)

    def clean_by(self):
        return tuple(n for n, _label in TIMELY_BY_CHOICES if n in (self.cleaned_data["by"] or ["rule"]))


class ForloebFilter(FiguresForm):
    """R-FK-QUALITY: whole years by default (the evaluation is yearly), optionally per hospital and
    municipality."""

    by = forms.MultipleChoiceField(
        label=_("Opdelt på"), choices=FB_BY_CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, query):
        data = query.copy()
        today = timezone.localdate()
        if not data.get("start"):
            data["start"] = date(today.year - 1, 1, 1).isoformat()
        super().__init__(data)

    def clean_by(self):
        return tuple(n for n, _label in FB_BY_CHOICES if n in (self.cleaned_data["by"] or []))
