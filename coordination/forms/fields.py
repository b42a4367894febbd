"""The form parts every form here shares: date and time inputs, yes/no, and service errors at the field."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination import rules, services
from coordination.forms.moments import MomentField, accepted_year

HOSPITAL, MUNICIPALITY = rules.HOSPITAL, rules.MUNICIPALITY
BOTH = frozenset({HOSPITAL, MUNICIPALITY})


_DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M"]


def now_minute() -> datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def moment_field(label, *, required=True, help_text="", typed=True) -> forms.DateTimeField:
    # Years 2000–2100 only; the repeated hour in October asks before/after, March's missing hour is refused.
    # `typed`: a date a person types about the course (checked for sense by check_typed_dates).
    field = MomentField(label=label, required=required, input_formats=_DT_FORMATS, help_text=help_text)
    field.typed_date = typed
    return field


def date_field(label) -> forms.DateField:
    field = forms.DateField(
        label=label,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        validators=[accepted_year],
    )
    field.typed_date = True
    return field


def _a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day + timedelta(days=365)


def check_typed_dates(form: forms.Form, admission) -> None:
    """Issue 14: a date a person types (a færdigbehandlingsdato, a planned or agreed discharge, a conference)
    may not lie before the admission's day (its Copenhagen date) nor more than a year after today.

    Only for the forms' typed fields (``typed_date``); machine input (load_timelines, replay_timeline,
    MedCom) goes straight to the services and keeps the engine's semantics."""
    if admission is None:
        return
    first = timezone.localtime(admission.admitted_at).date()
    last = _a_year_after(timezone.localdate())
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if not getattr(field, "typed_date", False) or value is None:
            continue
        day = timezone.localtime(value).date() if isinstance(value, datetime) else value
        if day < first:
            form.add_error(
                name,
                _("Datoen ligger før indlæggelsen (%(date)s). Skriv en dato fra indlæggelsesdagen og frem.")
                % {"date": first.strftime("%d.%m.%Y")},
            )
        elif day > last:
            form.add_error(
                name,
                _("Datoen ligger mere end et år frem (efter %(date)s). Tjek datoen og årstallet.")
                % {"date": last.strftime("%d.%m.%Y")},
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
