"""The forms that correct an event on the timeline (R-CORRECTION): mark it entered in error, or give the
value that is typically wrong anew (a phone agreement's agreed time, a PFP's date, a planned discharge …).
Each carries the admission's version as shown and calls one service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination import services
from coordination.forms.fields import ServiceErrorsMixin, date_field, moment_field, yes_no
from coordination.presentation import local

# The values a person may correct, per event type (and message code): field name -> the form field.
CORRECTABLE = {
    "phone_agreement": {"discharge_at": lambda: moment_field(_("Aftalt udskrivningstidspunkt"))},
    "discharge_planned": {"discharge_at": lambda: moment_field(_("Planlagt udskrivningstidspunkt"))},
    "conference_planned": {"conference_at": lambda: moment_field(_("Konferencen holdes"))},
    "faerdigbehandlet": {"date": lambda: date_field(_("Færdigbehandlingsdato"))},
    "PFP": {
        "faerdigbehandlet_date": lambda: date_field(_("Færdigbehandlings- og udskrivningsdato")),
        "date_certain": lambda: yes_no(_("Datoen er sikker"), _("Ellers er den forventet.")),
    },
}


def correctable_fields(event) -> dict:
    """The correctable values of a stored event (its type, or a message's code); empty when none."""
    key = event.data.get("code") if event.type == "message" else event.type
    return CORRECTABLE.get(key, {})


class _CorrectionForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Begrundelse"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Hvorfor rettes hændelsen? Det står på tidslinjen."),
        error_messages={"required": _("Skriv hvorfor hændelsen rettes.")},
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, admission, event, **kwargs):
        kwargs.setdefault("prefix", f"{self.kind}-{event.sequence}")
        super().__init__(*args, **kwargs)
        self.admission, self.event = admission, event
        self.fields["reason"].widget.attrs["autofocus"] = True
        if not self.is_bound:
            self.initial.setdefault("expected_version", admission.version)

    def common(self, actor, now) -> dict:
        return {
            "actor": actor,
            "event": self.event.sequence,
            "reason": self.cleaned_data["reason"],
            "expected_version": self.cleaned_data["expected_version"],
            "now": now,
        }


class EnteredInErrorForm(_CorrectionForm):
    kind = "error"
    title = _("Markér som fejlregistreret")
    button = _("Markér som fejlregistreret")

    def save(self, actor, now):
        return services.mark_entered_in_error(self.admission, **self.common(actor, now))


class CorrectEventForm(_CorrectionForm):
    kind = "correct"
    title = _("Ret værdien")
    button = _("Gem rettelsen")

    def __init__(self, *args, admission, event, current: dict, **kwargs):
        super().__init__(*args, admission=admission, event=event, **kwargs)
        self.fields["reason"].widget.attrs.pop("autofocus")
        fields = correctable_fields(event)
        for name, make in fields.items():
            self.fields[name] = make()
            if not self.is_bound:
                value = current.get(name)
                self.initial[name] = local(value) if name in ("discharge_at", "conference_at") else value
        self.service_fields = {name: name for name in fields}
        first = next(iter(fields), None)
        if first:
            self.fields[first].widget.attrs["autofocus"] = True
        self.order_fields([*fields, "reason", "expected_version"])
        self.current = current

    def changed_values(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in correctable_fields(self.event)
            if self.cleaned_data.get(name) != _typed(self.current.get(name), self.cleaned_data.get(name))
        }

    def clean(self):
        data = super().clean()
        if not self.errors and not self.changed_values():
            raise forms.ValidationError(_("Ingen værdi er ændret. Ret værdien, eller luk formularen."))
        return data

    def save(self, actor, now):
        return services.correct_event(self.admission, values=self.changed_values(), **self.common(actor, now))


def _typed(stored, like):
    """A stored JSON value in the type of the form's cleaned value (for the comparison)."""
    from datetime import date, datetime

    if isinstance(stored, str) and isinstance(like, datetime):
        return datetime.fromisoformat(stored)
    if isinstance(stored, str) and isinstance(like, date):
        return date.fromisoformat(stored)
    return stored
