"""Dates and times on paper the way a reader says them, in the language the printout is rendered in:
Danish "torsdag 5. februar 2026 kl. 10.30", English "Thursday 5 February 2026 at 10:30"."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import translation
from django.utils.html import format_html

from coordination.presentation import obligation_label

register = template.Library()

# language -> (day, day and time, short date, short time, "at" before a time on its own line)
FORMATS = {
    "da": ("l j. F Y", "{day} kl. {time}", "j.n.Y", "H.i", "kl. {time}"),
    "en": ("l j F Y", "{day} at {time}", "j M Y", "H:i", "{time}"),
}


def _formats():
    return FORMATS.get(translation.get_language(), FORMATS["da"])


@register.filter(expects_localtime=True)
def dag(value) -> str:
    """The weekday and the date: "torsdag 5. februar 2026" / "Thursday 5 February 2026"."""
    return date_filter(value, _formats()[0]) if value else ""


@register.filter(expects_localtime=True)
def dag_kl(value) -> str:
    """The weekday, the date and the time: "torsdag 5. februar 2026 kl. 10.30"."""
    if not value:
        return ""
    day, both, _short, clock, _alone = _formats()
    return both.format(day=date_filter(value, day), time=date_filter(value, clock))


@register.filter(expects_localtime=True)
def dato_kl(value) -> str:
    """The date and the time without the weekday (the footers): "5. februar 2026 kl. 11.30"."""
    if not value:
        return ""
    day, both, _short, clock, _alone = _formats()
    return both.format(day=date_filter(value, day.removeprefix("l ")), time=date_filter(value, clock))


@register.filter(expects_localtime=True)
def kort(value) -> str:
    """A short date and time for tables: "5.2.2026 10.30" / "5 Feb 2026 10:30" (time only if given)."""
    if not value:
        return ""
    _day, _both, short, clock, _alone = _formats()
    if hasattr(value, "hour"):
        return f"{date_filter(value, short)} {date_filter(value, clock)}"
    return date_filter(value, short)


@register.filter(expects_localtime=True)
def kort_linjer(value) -> str:
    """For narrow table columns: the date, and the time (when there is one) on a line of its own."""
    if not value:
        return ""
    _day, _both, short, clock, alone = _formats()
    if hasattr(value, "hour"):
        return format_html(
            "{}<br>{}", date_filter(value, short), alone.format(time=date_filter(value, clock))
        )
    return date_filter(value, short)


@register.filter
def opgave(obligation) -> str:
    """What an obligation asks, in the printout's language, without its rule id ("MILR sendes")."""
    return obligation_label(obligation) if obligation is not None else ""
