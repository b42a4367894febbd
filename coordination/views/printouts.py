"""Printouts as PDF. Each gets its admission through the access check (a stranger gets 404) and is logged
as a print; file names carry the admission's number, never the CPR."""

from django.http import Http404
from django.utils import timezone
from django.views.decorators.http import require_GET

from coordination import rules
from coordination.access import admission_or_404, record_access
from coordination.models import AccessAction, Admission
from coordination.printouts import aftalekort, nedbrud, pfp, usr
from coordination.printouts.base import pdf_response


def _printout(request, pk, render, name: str, **options):
    admission = admission_or_404(request, pk, action=AccessAction.PRINT)
    try:
        pdf = render(admission, now=timezone.now(), **options)
    except usr.NoSuchVersion:
        raise Http404("Ingen sådan version") from None
    return pdf_response(pdf, f"{name}-{admission.pk}.pdf")


def _version(request) -> dict:
    """`?version=N`: an earlier USR (every version stays printable); none: the one in force."""
    raw = request.GET.get("version", "")
    if not raw:
        return {}
    if not raw.isdigit():
        raise Http404("Ingen sådan version")
    return {"version": int(raw)}


def _withhold(request) -> dict:
    """Sundhedsloven § 41: a copy the municipality prints leaves out what the citizen declined to share."""
    staff = getattr(request.user, "staff", None)
    return {"withhold": staff is None or staff.side != rules.HOSPITAL}


@require_GET
def usr_citizen(request, pk):
    return _printout(request, pk, usr.render_citizen_copy, "usr", **_version(request), **_withhold(request))


@require_GET
def usr_municipality(request, pk):
    return _printout(request, pk, usr.render_municipality_copy, "usr-kommune", **_version(request))


@require_GET
def pfp_pdf(request, pk):
    return _printout(request, pk, pfp.render, "pfp")


@require_GET
def aftalekort_pdf(request, pk):
    return _printout(request, pk, aftalekort.render, "aftalekort", **_withhold(request))


@require_GET
def downtime_board(request):
    """The user's own board (their ward, hospital or municipality, and courses granted to them) on paper."""
    now = timezone.now()
    rows = nedbrud.board_rows(Admission.objects.visible_to(request.user))
    record_access(request, [row["admission"] for row in rows], action=AccessAction.PRINT)
    staff = getattr(request.user, "staff", None)
    unit = str(staff.organisation) if staff is not None else request.user.get_username()
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    return pdf_response(nedbrud.render(rows, unit=unit, now=now), f"nedbrud-{stamp}.pdf")
