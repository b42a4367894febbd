"""The plejeforløbsplan on paper: the plan in force, every version sent, and the planning conferences with
where their decisions were written (R-CONFERENCE-MINUTES)."""

from __future__ import annotations

from datetime import datetime

from coordination.models import Admission
from coordination.printouts.base import render_pdf
from coordination.printouts.course import gather


def render(admission: Admission, *, now: datetime, language: str = "da") -> bytes:
    """In the reader's language (a staff printout)."""
    return render_pdf("printouts/pfp.html", {"course": gather(admission, now)}, language=language)
