"""The full CPR number: lists show it masked; revealing it is an action of its own, and logged."""

from django.shortcuts import render
from django.views.decorators.http import require_POST

from coordination.access import admission_or_404
from coordination.cpr import format_cpr
from coordination.models import AccessAction


@require_POST
def reveal_cpr(request, pk):
    admission = admission_or_404(request, pk, action=AccessAction.REVEAL_CPR)
    return render(request, "coordination/_cpr.html", {"cpr": format_cpr(admission.citizen.cpr)})
