"""The form parts every form here shares: date and time inputs, yes/no, and service errors at the field."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone

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
