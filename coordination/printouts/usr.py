"""The udskrivningsrapport on paper (seed 000: "USR skal gennemgås med og udleveres til borgeren"): the
citizen's copy in large type and plain words, in the citizen's paper language (Danish or English), and the
professional copy for the municipality, in the reader's language."""

from __future__ import annotations

from datetime import datetime

from coordination.models import Admission
from coordination.printouts.base import paper_language, render_pdf
from coordination.printouts.course import gather


class NoSuchVersion(LookupError):
    """A USR version that was never sent."""


def _course(admission: Admission, now: datetime, version: int | None):
    course = gather(admission, now)
    if not course.show_usr(version):
        raise NoSuchVersion(version)
    return course


def citizen_language(admission: Admission, language: str | None = None) -> str:
    """The language of the citizen's papers: the one asked for, else the one chosen last time, else Danish."""
    return paper_language(language, paper_language(admission.citizen.paper_language))


def render_citizen_copy(
    admission: Admission,
    *,
    now: datetime,
    version: int | None = None,
    language: str | None = None,
    withhold: bool = False,
) -> bytes:
    """The citizen's copy of USR `version` (None: the one in force; a replaced one says so). Printed by the
    municipality (`withhold`), it leaves out what the citizen declined to have passed on (sundhedsloven
    § 41); the hospital prints it whole."""
    course = _course(admission, now, version)
    return render_pdf(
        "printouts/usr.html",
        {"course": course.for_municipality() if withhold else course},
        language=citizen_language(admission, language),
    )


def render_municipality_copy(
    admission: Admission, *, now: datetime, version: int | None = None, language: str = "da"
) -> bytes:
    """The municipality's copy: the sections the citizen declined to have passed on (sundhedsloven § 41, the
    wishes in force when it is printed) are left out, each with a sentence saying so."""
    course = _course(admission, now, version).for_municipality()
    return render_pdf("printouts/usr_kommune.html", {"course": course}, language=language)
