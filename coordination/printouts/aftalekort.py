"""The aftalekort (seed 002, "aftalekort med en samlet plan fra kommunen, fra ambulatoriet og fra
sengeafdelingen, således at borgeren har en plan i hånden"): one page, the plan after discharge.

One page always: the lists are cut to what fits in large type, and the rest is referred to the USR."""

from __future__ import annotations

from datetime import datetime

from coordination.models import Admission
from coordination.printouts.base import render_pdf
from coordination.printouts.course import gather
from coordination.printouts.usr import citizen_language

MAX_APPOINTMENTS = 4
MAX_HELP = 3
MAX_CONTACTS = 1


def render(
    admission: Admission, *, now: datetime, language: str | None = None, withhold: bool = False
) -> bytes:
    """In `language`, else the citizen's paper language (the one chosen last time), else Danish. Printed by
    the municipality (`withhold`), without what the citizen declined to pass on (sundhedsloven § 41)."""
    course = gather(admission, now)
    if withhold:
        course.for_municipality()
    usr = course.usr
    context = {
        "course": course,
        "appointments": usr.appointments[:MAX_APPOINTMENTS],
        "more_appointments": max(0, len(usr.appointments) - MAX_APPOINTMENTS),
        "help": usr.help[:MAX_HELP],
        "more_help": max(0, len(usr.help) - MAX_HELP),
        "contacts": usr.contacts[:MAX_CONTACTS],
    }
    return render_pdf("printouts/aftalekort.html", context, language=citizen_language(admission, language))
