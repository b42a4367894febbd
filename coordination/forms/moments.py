"""The times and dates people type into the forms (issue 11): only years rules.FIRST_YEAR..LAST_YEAR, and the
two hours a year where Copenhagen's wall clock is not one-to-one with time.

- When summer time ends (last Sunday of October) 02:00–02:59 comes twice: the field asks which of the two
  was meant ("før/efter skiftet til vintertid") with a radio that appears next to the time, and records that
  instant.
- When summer time begins (last Sunday of March) 02:00–02:59 does not exist: refused with a clear message.

`coordination.forms.moment_field` and `date_field` build these fields; the engine's parser checks the same
years for replay_timeline, load_timelines and the services."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from coordination import rules

FOLD_CHOICES = [
    ("0", _("Før skiftet til vintertid (første gang, sommertid +02:00)")),
    ("1", _("Efter skiftet til vintertid (anden gang, vintertid +01:00)")),
]


def accepted_year(value: date) -> None:
    """Validates every date and time a person enters: a typing slip such as year 1 or 9999 is refused."""
    if not rules.in_accepted_range(value):
        raise ValidationError(
            _("Året %(year)s kan ikke passe: skriv en dato mellem år %(first)s og %(last)s."),
            code="year",
            params={"year": value.year, "first": rules.FIRST_YEAR, "last": rules.LAST_YEAR},
        )


def _wall_clock(naive: datetime) -> str:
    """'ambiguous' (the hour that comes twice), 'missing' (the hour that is skipped) or '' in Copenhagen."""
    zone = timezone.get_current_timezone()
    first, second = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return ""
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None, fold=0)
    return "ambiguous" if back == naive.replace(fold=0) else "missing"


class MomentInput(forms.MultiWidget):
    """A datetime-local input; below it, only for a time in the repeated hour, the choice of which one."""

    use_fieldset = False  # the field's <label for> names the time input, as for any one input

    def __init__(self, attrs=None):
        from coordination.forms.fields import DateTimeLocalInput

        super().__init__({"": DateTimeLocalInput(), "fold": forms.RadioSelect(choices=FOLD_CHOICES)}, attrs)

    def decompress(self, value):
        if isinstance(value, datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            naive = local.replace(tzinfo=None)
            return [naive, str(local.fold) if _wall_clock(naive) == "ambiguous" else None]
        return [value, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        text, fold = context["widget"]["subwidgets"]
        # The time input keeps the field's own id (labels, tests and scripts find it as before).
        if attrs and attrs.get("id"):
            text["attrs"]["id"] = attrs["id"]
        typed = value[0] if isinstance(value, (list, tuple)) else value
        naive = _naive(typed, MomentField.formats) if isinstance(typed, str) else typed
        if not (isinstance(naive, datetime) and naive.tzinfo is None and _wall_clock(naive) == "ambiguous"):
            context["widget"]["subwidgets"] = [text]
        return context

    def id_for_label(self, id_):
        return id_


def _naive(text: str, formats) -> datetime | None:
    """The text as a datetime (aware when it carries an offset), or None."""
    text = text.strip()
    try:
        parsed = parse_datetime(text)
    except (ValueError, OverflowError):
        return None
    if parsed is not None:
        return parsed
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)
        except (ValueError, OverflowError):
            continue
    return None


class MomentField(forms.DateTimeField):
    """A Copenhagen wall-clock time (or an ISO time with an offset) in the accepted years."""

    widget = MomentInput
    formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M"]
    default_error_messages = {
        "ambiguous": _(
            "Klokken %(time)s findes to gange natten til %(day)s, hvor sommertiden slutter. Vælg om det er "
            "før eller efter skiftet til vintertid."
        ),
        "missing": _(
            "Klokken %(time)s findes ikke %(day)s: uret springer fra 02:00 til 03:00, når sommertiden "
            "begynder. Skriv et tidspunkt før 02:00 eller fra 03:00."
        ),
    }

    def to_python(self, value):
        text, fold = value if isinstance(value, (list, tuple)) else (value, None)
        if text in self.empty_values:
            return None
        if isinstance(text, datetime):
            parsed = text
        else:
            parsed = _naive(str(text), self.input_formats)
            if parsed is None:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        accepted_year(parsed)
        if parsed.tzinfo is not None:
            return parsed
        clock = _wall_clock(parsed)
        params = {"time": f"{parsed:%H:%M}", "day": f"{parsed:%d.%m.%Y}"}
        if clock == "missing":
            raise ValidationError(self.error_messages["missing"], code="missing", params=params)
        if clock == "ambiguous":
            if fold not in ("0", "1"):
                raise ValidationError(self.error_messages["ambiguous"], code="ambiguous", params=params)
            # In UTC: Python compares two Copenhagen times by their wall clock, whatever their fold.
            return parsed.replace(tzinfo=timezone.get_current_timezone(), fold=int(fold)).astimezone(UTC)
        return timezone.make_aware(parsed)
