"""MedCom on the admission page and the way in for a message gateway (issue 12).

- `km_attachment`: an attachment of a received KM, downloaded under the access rules (a stranger gets 404)
  and logged, as any look at the citizen's data.
- `km_export`: a KM written on the board as a CareCommunication bundle (FHIR JSON), logged as an export.
- `gateway`: the endpoint a message gateway posts MedCom messages to (FHIR JSON or XML), with a token an
  administrator issued to the sending organisation (`Authorization: Bearer …`). It answers with the
  Acknowledgement (200 `ok`, also for a duplicate; 400 `fatal-error` with the reason); a body too large,
  of the wrong type or sent without a valid token gets a 4xx line and changes nothing. The only view
  exempt from CSRF and from the login: the token is its authentication."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from coordination.access import admission_or_404
from coordination.models import AccessAction
from coordination.services import carecommunication as km
from coordination.services import gateway as gw
from coordination.services.core import ServiceError

FHIR_JSON = "application/fhir+json"
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/tiff": ".tif",
    "image/bmp": ".bmp",
}


def _km_event(admission, seq):
    event = admission.events.filter(sequence=seq, type="message", data__code="KM").first()
    if event is None:
        raise Http404("Ingen sådan korrespondance")
    return event


@require_GET
def km_attachment(request, pk, seq, n):
    admission = admission_or_404(request, pk)
    found = km.attachment(_km_event(admission, seq), n)
    if found is None:
        raise Http404("Intet sådant bilag")
    response = HttpResponse(found.data, content_type=found.content_type)
    name = f"bilag-{admission.pk}-{seq}-{n}{EXTENSIONS.get(found.content_type, '.bin')}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def km_export(request, pk, seq):
    admission = admission_or_404(request, pk, action=AccessAction.EXPORT)
    event = _km_event(admission, seq)
    try:
        bundle = km.export_km(event, now=timezone.now())
    except ServiceError as error:
        return HttpResponse(error.message, status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(json.dumps(bundle, ensure_ascii=False, indent=1), content_type=FHIR_JSON)
    response["Content-Disposition"] = f'attachment; filename="km-{admission.pk}-{seq}.json"'
    return response


@csrf_exempt
@login_not_required
def gateway(request):
    if request.method != "POST":
        return _line(405, "Send beskeden med POST.", Allow="POST")
    answer = gw.receive(
        authorization=request.headers.get("Authorization", ""),
        content_type=request.content_type or "",
        length=request.headers.get("Content-Length", ""),
        read=request.read,
    )
    if answer.acknowledgement is None:
        return _line(answer.status, answer.error)
    return JsonResponse(answer.acknowledgement, status=answer.status, content_type=FHIR_JSON)


def _line(status: int, text: str, **headers) -> HttpResponse:
    response = HttpResponse(text + "\n", status=status, content_type="text/plain; charset=utf-8")
    for name, value in headers.items():
        response[name] = value
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="medcom"'
    return response
