"""The udskrivningsrapport on paper (seed 000: "USR skal gennemgås med og udleveres til borgeren"): the
citizen's copy in large type and plain words, and the professional copy for the municipality."""

from __future__ import annotations

from datetime import datetime

from coordination.models import Admission
from coordination.printouts.base import render_pdf
from coordination.printouts.course import gather


class NoSuchVersion(LookupError):
    """A USR version that was never sent."""


def _course(admission: Admission, now: datetime, version: int | None):
    course = gather(admission, now)
    if not course.show_usr(version):
        raise NoSuchVersion(version)
    return course


def render_citizen_copy(
    admission: Admission, *, now: datetime, version: int | None = None, withhold: bool = False
) -> bytes:
    """The citizen's copy of USR `version` (None: the one in force; a replaced one says so). Printed by the
    municipality (`withhold`), it leaves out what the citizen declined to have passed on (sundhedsloven
    § 41); the hospital prints it whole."""
    course = _course(admission, now, version)
    return render_pdf("printouts/usr.html", {"course": course.for_municipality() if withhold else course})


def render_municipality_copy(admission: Admission, *, now: datetime, version: int | None = None) -> bytes:
    """The municipality's copy: the sections the citizen declined to have passed on (sundhedsloven § 41, the
    wishes in force when it is printed) are left out, each with a sentence saying so."""
    course = _course(admission, now, version).for_municipality()
    return render_pdf("printouts/usr_kommune.html", {"course": course})
