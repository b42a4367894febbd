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


def render_citizen_copy(admission: Admission, *, now: datetime, version: int | None = None) -> bytes:
    """The citizen's copy of USR `version` (None: the one in force; a replaced one says so)."""
    return render_pdf("printouts/usr.html", {"course": _course(admission, now, version)})


def render_municipality_copy(admission: Admission, *, now: datetime, version: int | None = None) -> bytes:
    return render_pdf("printouts/usr_kommune.html", {"course": _course(admission, now, version)})
