"""Printouts as PDF. Each gets its admission through the access check (a stranger gets 404) and is logged
as a print; file names carry the admission's number, never the CPR.

Languages: the citizen's papers (USR for the citizen, aftalekort) take `?lang=da|en`, chosen when printing and
remembered for the citizen; without it, the one chosen last time (else Danish). The staff printouts follow the
requesting user's language (the screen's, LocaleMiddleware)."""

from django.conf import settings
from django.http import Http404
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from coordination import rules, services
from coordination.access import admission_or_404, record_access
from coordination.models import AccessAction, Admission
from coordination.printouts import aftalekort, nedbrud, pfp, usr
from coordination.printouts.base import paper_language, pdf_response


def _printout(request, pk, render, name: str, *, for_citizen: bool = False, **options):
    language = _language(request) if for_citizen else None
    admission = admission_or_404(request, pk, action=AccessAction.PRINT)
    if for_citizen:
        if language:
            services.remember_paper_language(admission.citizen, language)
        options["language"] = language
    else:
        options["language"] = _user_language()
    try:
        pdf = render(admission, now=timezone.now(), **options)
    except usr.NoSuchVersion:
        raise Http404("Ingen sådan version") from None
    return pdf_response(pdf, f"{name}-{admission.pk}.pdf")


def _user_language() -> str:
    return paper_language(translation.get_language())


def _language(request) -> str | None:
    """`?lang=da|en`: the language of the citizen's paper; none: the one remembered for the citizen."""
    raw = request.GET.get("lang", "")
    if not raw:
        return None
    if raw not in dict(settings.LANGUAGES):
        raise Http404("Intet sådant sprog")
    return raw


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
    return _printout(
        request,
        pk,
        usr.render_citizen_copy,
        "usr",
        for_citizen=True,
        **_version(request),
        **_withhold(request),
    )


@require_GET
def usr_municipality(request, pk):
    return _printout(request, pk, usr.render_municipality_copy, "usr-kommune", **_version(request))


@require_GET
def pfp_pdf(request, pk):
    return _printout(request, pk, pfp.render, "pfp")


@require_GET
def aftalekort_pdf(request, pk):
    return _printout(request, pk, aftalekort.render, "aftalekort", for_citizen=True, **_withhold(request))


@require_GET
def downtime_board(request):
    """The user's own board (their ward, hospital or municipality, and courses granted to them) on paper."""
    now = timezone.now()
    rows = nedbrud.board_rows(Admission.objects.visible_to(request.user))
    record_access(request, [row["admission"] for row in rows], action=AccessAction.PRINT)
    staff = getattr(request.user, "staff", None)
    unit = str(staff.organisation) if staff is not None else request.user.get_username()
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    pdf = nedbrud.render(rows, unit=unit, now=now, language=_user_language())
    return pdf_response(pdf, f"nedbrud-{stamp}.pdf")
