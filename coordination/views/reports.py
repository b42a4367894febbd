"""The managers' pages: færdigbehandling and timeliness figures of the user's own organisation, the
drill-down to the admissions behind a number (only those the user may see; the rest stay a count), and every
table as CSV, XLSX or the whole report as PDF. An export is logged in the access log."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination.access import record_access
from coordination.models import AccessAction, AccessLog, Admission
from coordination.printouts.base import pdf_response, render_pdf
from coordination.reports.common import local_day_bounds
from coordination.reports.exports import to_csv, to_xlsx
from coordination.reports.faerdigbehandling import waiting_per_day
from coordination.reports.forloeb_tables import forloeb_charts, forloeb_tables
from coordination.reports.forms import FaerdigbehandlingFilter, ForloebFilter, TimelinessFilter
from coordination.reports.scope import figures_scope
from coordination.reports.tables import (
    faerdigbehandling_charts,
    faerdigbehandling_tables,
    keys_filter,
    timeliness_charts,
    timeliness_tables,
)
from coordination.reports.timeliness import OUTCOMES_ORDER, outcome_filter, timeliness_obligations


def _scope_or_403(request, prefix="admission__"):
    """Figures only for those who may see them (managers, of their own organisation); others get 403 (these
    URLs name no citizen, so there is nothing to hide by a 404)."""
    scope = figures_scope(request.user, prefix)
    if scope is None:
        raise PermissionDenied(_("Nøgletallene er for ledere."))
    return scope


def figures_home(request):
    _scope_or_403(request)
    return redirect("figures_faerdigbehandling")


def faerdigbehandling(request):
    scope = _scope_or_403(request)
    form = FaerdigbehandlingFilter(request.GET)
    tables, charts = [], []
    if form.is_valid():
        d = form.cleaned_data
        waiting = waiting_per_day(d["start"], d["end"], scope=scope)  # a table and a chart: asked once
        tables = faerdigbehandling_tables(d["start"], d["end"], d["by"], d["period"], scope, waiting)
        charts = faerdigbehandling_charts(d["start"], d["end"], scope, waiting)
    return _page_or_export(request, form, tables, charts, "faerdigbehandling", _("Færdigbehandling"))


def timeliness(request):
    scope = _scope_or_403(request)
    form = TimelinessFilter(request.GET)
    tables, charts = [], []
    if form.is_valid():
        d = form.cleaned_data
        charts = timeliness_charts(d["start"], d["end"], scope, timezone.now())
        admission_scope = figures_scope(request.user, "")
        tables = timeliness_tables(
            d["start"], d["end"], d["by"], d["monthly"], scope, admission_scope, timezone.now()
        )
    return _page_or_export(request, form, tables, charts, "rettidighed", _("Rettidighed"))


def forloeb(request):
    """R-FK-QUALITY: coordination courses per year and the six quality parameters in total and per course
    (per course only those the user takes part in, by name and logged)."""
    scope = _scope_or_403(request)
    form = ForloebFilter(request.GET)
    tables, charts = [], []
    if form.is_valid():
        d = form.cleaned_data
        tables, shown = forloeb_tables(d["start"], d["end"], d["by"], scope, request.user)
        charts = forloeb_charts(d["start"], d["end"], scope)
        fmt, table = request.GET.get("format"), request.GET.get("table")
        if not fmt:
            record_access(request, shown)  # the page names them
        elif fmt == "pdf" or table == "per_course":
            record_access(request, shown, action=AccessAction.EXPORT)
    return _page_or_export(request, form, tables, charts, "forloeb", _("Forløbskoordination"))


def timeliness_detail(request):
    """The obligations behind one number; the admissions listed only through the access rules."""
    scope = _scope_or_403(request)
    form = TimelinessFilter(request.GET)
    outcome = request.GET.get("outcome")
    if not form.is_valid() or outcome not in OUTCOMES_ORDER:
        return HttpResponseBadRequest(_("Vælg et tal i rettidighedstabellen."))
    d, now = form.cleaned_data, timezone.now()
    behind = timeliness_obligations(d["start"], d["end"], scope=scope).filter(
        outcome_filter(outcome, now), keys_filter(request.GET)
    )
    if request.GET.get("month"):
        behind = behind.filter(
            due_at__gte=_month_start(request.GET["month"]), due_at__lt=_month_end(request.GET["month"])
        )
    visible = list(
        behind.filter(admission__in=Admission.objects.visible_to(request.user))
        .select_related("admission__citizen", "admission__ward__hospital", "admission__municipality")
        .order_by("due_at")
    )
    record_access(request, {o.admission for o in visible})
    context = {"form": form, "outcome": outcome, "visible": visible, "total": behind.count(), "now": now}
    context["hidden"] = context["total"] - len(visible)
    return render(request, "reports/timeliness_detail.html", context)


def _month_start(text: str):
    day = date.fromisoformat(text[:10]).replace(day=1)
    return local_day_bounds(day, day)[0]


def _month_end(text: str):
    day = date.fromisoformat(text[:10]).replace(day=1)
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return local_day_bounds(following, following)[0]


def _page_or_export(request, form, tables, charts, slug: str, title: str):
    fmt = request.GET.get("format")
    if fmt and tables:
        return _export(request, tables, charts, slug, title, fmt)
    context = {
        "form": form,
        "tables": tables,
        "charts": charts,
        "title": title,
        "slug": slug,
        "query": _query_without_format(request),
    }
    return render(request, "reports/figures.html", context)


def _query_without_format(request) -> str:
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("table", None)
    return query.urlencode()


def _export(request, tables, charts, slug: str, title: str, fmt: str):
    if fmt == "pdf":
        _log_export(request, f"{slug} pdf")
        context = {"tables": tables, "charts": charts, "title": title, "now": timezone.now()}
        pdf = render_pdf("reports/figures_pdf.html", context)
        return pdf_response(pdf, f"{slug}-{timezone.localdate():%Y%m%d}.pdf")
    table = next((t for t in tables if t.name == request.GET.get("table")), None)
    if table is None or fmt not in ("csv", "xlsx"):
        raise Http404("Ukendt tabel eller format")
    _log_export(request, f"{slug} {table.name} {fmt}")
    filename = f"{slug}-{table.name}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(
            to_csv(table.header, table.plain_rows()), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            to_xlsx(table.title, table.header, table.plain_rows()),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response


def _log_export(request, note: str) -> None:
    """Figures carry no citizen, so the row names the report instead (AccessAction.EXPORT)."""
    match = getattr(request, "resolver_match", None)
    AccessLog.objects.create(
        at=timezone.now(),
        user=request.user,
        citizen=None,
        action=AccessAction.EXPORT,
        path=request.get_full_path()[:300],
        view=match.view_name if match else "",
        note=note[:300],
    )
