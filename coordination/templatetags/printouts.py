"""Dates and times on paper the way a Danish reader says them: "torsdag 5. februar 2026 kl. 10.30"."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html

register = template.Library()


@register.filter(expects_localtime=True)
def dag(value) -> str:
    """The weekday and the date: "torsdag 5. februar 2026"."""
    return date_filter(value, "l j. F Y") if value else ""


@register.filter(expects_localtime=True)
def dag_kl(value) -> str:
    """The weekday, the date and the time: "torsdag 5. februar 2026 kl. 10.30"."""
    return f"{date_filter(value, 'l j. F Y')} kl. {date_filter(value, 'H.i')}" if value else ""


@register.filter(expects_localtime=True)
def kort(value) -> str:
    """A short date and time for tables: "5.2.2026 10.30" (the time only when there is one)."""
    if not value:
        return ""
    if hasattr(value, "hour"):
        return f"{date_filter(value, 'j.n.Y')} {date_filter(value, 'H.i')}"
    return date_filter(value, "j.n.Y")


@register.filter(expects_localtime=True)
def kort_linjer(value) -> str:
    """For narrow table columns: the date, and the time (when there is one) on a line of its own."""
    if not value:
        return ""
    if hasattr(value, "hour"):
        return format_html("{}<br>kl. {}", date_filter(value, "j.n.Y"), date_filter(value, "H.i"))
    return date_filter(value, "j.n.Y")
