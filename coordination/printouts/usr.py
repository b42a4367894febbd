"""The udskrivningsrapport on paper (seed 000: "USR skal gennemgås med og udleveres til borgeren"): the
citizen's copy in large type and plain words, and the professional copy for the municipality."""

from __future__ import annotations

from datetime import datetime

from coordination.models import Admission
from coordination.printouts.base import render_pdf
from coordination.printouts.course import gather


def render_citizen_copy(admission: Admission, *, now: datetime) -> bytes:
    return render_pdf("printouts/usr.html", {"course": gather(admission, now)})


def render_municipality_copy(admission: Admission, *, now: datetime) -> bytes:
    return render_pdf("printouts/usr_kommune.html", {"course": gather(admission, now)})
