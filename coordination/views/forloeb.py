"""Forløbskoordination (R-FK): the section of the admission page with its forms, and the coordinator's own
list ("Mine forløb"). Every view starts with the access helper: a stranger gets 404, and every citizen
shown is written to the access log."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coordination import services
from coordination.access import admission_or_404, record_access
from coordination.forloeb_texts import QUALITY_SHORT, verdict
from coordination.forms.forloeb import FORLOEB_FORMS, forloeb_forms
from coordination.models import AccessAction, Forloeb
from coordination.reports.scope import is_manager
from coordination.views.admission import BODY, PAGE, admission_context


@require_POST
def forloeb_action(request, pk, name):
    admission = admission_or_404(request, pk, action=AccessAction.CHANGE)
    form_class = FORLOEB_FORMS.get(name)
    if form_class is None:
        return HttpResponseBadRequest(_("Ingen sådan handling."))
    actor = services.Actor.for_user(request.user)
    form = form_class(request.POST, admission=admission)
    if actor.side in form_class.sides and form.is_valid():
        try:
            event = form.save(actor, timezone.now())
        except services.ServiceError as error:
            form.add_service_error(error)
        else:
            if request.htmx:
                admission.refresh_from_db()
                notice = _("Registreret: %(what)s") % {"what": event.get_type_display()}
                return render(request, BODY, admission_context(request, admission, notice=notice))
            return redirect("admission", pk=admission.pk)
    elif actor.side not in form_class.sides:
        form.add_error(None, _("Det er den anden part, der registrerer dette."))
    admission.refresh_from_db()
    context = admission_context(request, admission)
    context["forloeb_failed"] = form
    return render(request, BODY if request.htmx else PAGE, context)


def my_courses(request):
    """ "Mine forløb": the open courses the user coordinates, with the home visit and the quality so far."""
    if is_manager(request.user) or getattr(request.user, "staff", None) is None:
        raise PermissionDenied(_("Listen er for forløbskoordinatorer."))
    courses = list(
        Forloeb.objects.coordinated_by(request.user)
        .select_related("admission__citizen", "admission__ward__hospital", "admission__municipality")
        .order_by("visit_due_on", "included_at")
    )
    record_access(request, [c.admission for c in courses])
    rows = [
        {
            "course": c,
            "visit": c.admission.obligations.filter(rule="R-FK").first(),
            "quality": [(QUALITY_SHORT[k], verdict(v), v) for k, v in c.quality().items()],
        }
        for c in courses
    ]
    return render(request, "coordination/forloeb_mine.html", {"rows": rows, "now": timezone.now()})


def forloeb_panel(request, admission, failed=None) -> dict:
    """The admission page's section: the course, if any, and the forms this person is offered now."""
    staff = getattr(request.user, "staff", None)
    side = staff.side if staff is not None else "hospital"
    course = Forloeb.objects.filter(admission=admission).first()
    offered = forloeb_forms(admission, course, request.user, side)
    if failed is not None:
        offered = [failed if f.name == failed.name else f for f in offered]
        if all(f is not failed for f in offered):
            offered.insert(0, failed)
    return {
        "course": course,
        "quality": [(QUALITY_SHORT[k], verdict(v)) for k, v in course.quality().items()] if course else [],
        "forms": offered,
    }
