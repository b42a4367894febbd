"""The shared patient board (/): every active admission the user takes part in, with filters kept in the
URL, counts, the state of each message, the next obligation, and shift handover marks. What it selects and
how is `coordination/board.py`; this module renders it and registers new admissions.

It refreshes itself by htmx polling: a poll carries the state token of what it shows (`v`), and when the
token is unchanged the answer is 204 from one aggregate query, without rendering."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from coordination import board as selection
from coordination import board_live, board_page, board_state, services
from coordination.access import log_cpr_lookup, record_access, registers_admissions
from coordination.forms import BoardFilterForm, NewAdmissionForm
from coordination.models import AccessAction
from coordination.reports.scope import is_manager

POLL_SECONDS = 30  # settings.BOARD_POLL_SECONDS overrides it (the browser tests poll every second)
NOT_HERE = _(
    "Borgeren kan ikke registreres som indlagt her. Ring til hospitalets koordinerende funktion, "
    "eller anmod om en overflytning."
)


def board(request):
    if not request.htmx and is_manager(request.user):
        return redirect("figures")  # managers steer by the figures: no citizen board (issues 13, 14)
    now = timezone.now()
    staff = getattr(request.user, "staff", None)  # read with the user (coordination.auth)
    query = selection.query_string(request.GET)
    if request.htmx and board_state.poll_unchanged(request, query, now.timestamp()):
        return HttpResponse(status=204)  # nothing changed since the poll's render
    if request.htmx and is_manager(request.user):
        response = HttpResponse(status=204)  # not even a filter's fragment: to the figures
        response["HX-Redirect"] = reverse("figures")
        return response
    filters = selection.parse_filters(request.GET)
    live = board_live.live(request, staff, filters, query, now)
    context = {
        **live,
        "query": query,
        "sort": selection.sort_headers(request.GET, filters["sort"]),
        "poll_seconds": getattr(settings, "BOARD_POLL_SECONDS", POLL_SECONDS),
        "staff": staff,
        "now": now,
    }
    if request.htmx:  # the sort field swapped out of band (board.html#live)
        context["filter_form"] = BoardFilterForm(request.GET or None, options=None)
    if registers_admissions(request.user) and not request.htmx:
        context["new_form"] = NewAdmissionForm(staff=staff)  # its fields kept a minute: no query
        context["new_fields"] = board_live.new_admission_fields(staff, now)
    template = "coordination/board.html#live" if request.htmx else "coordination/board.html"
    return board_page.render_board(request, template, context)


@require_POST
def new_admission(request):
    """ "Ny indlæggelse": the hospital registers the citizen, the admission and the automatic advis."""
    if is_manager(request.user):
        return redirect("figures")
    if not registers_admissions(request.user):
        raise PermissionDenied  # only a ward's or a hospital's people register admissions (issue 11)
    staff = getattr(request.user, "staff", None)
    form = NewAdmissionForm(request.POST, staff=staff)
    live = log_cpr_lookup(request, request.POST.get("new-cpr", ""), note="ny indlæggelse: CPR-opslag")
    if live is not None and form.is_valid():
        # Not where: the citizen may be admitted at a hospital this user takes no part in (issue 11).
        form.add_error(None, NOT_HERE)
    elif form.is_valid():
        try:
            admission = form.save(services.Actor.for_user(request.user), timezone.now())
        except services.ServiceError as error:
            form.add_service_error(error)
        else:
            record_access(request, [admission], action=AccessAction.CHANGE)
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = admission_url(admission)
                return response
            return redirect(admission_url(admission))
    template = "coordination/_new_admission_form.html" if request.htmx else "coordination/new_admission.html"
    return render(request, template, {"new_form": form})


def admission_url(admission) -> str:
    return reverse("admission", args=[admission.pk])
