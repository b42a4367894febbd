"""The endpoint a message gateway posts MedCom messages to (issue 12): a token per sending organisation issued
in the admin (stored hashed, shown once, revocable), answered with the Acknowledgement, duplicates
acknowledged again and not stored twice, bad, oversized or wrongly-typed bodies a clear 4xx that changes
nothing, every import in the access log, and no other view exempt from CSRF."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from coordination import services
from coordination.models import AccessLog, Event, GatewayToken, MedcomMessage
from coordination.services import gateway
from tests.factories import UserFactory
from tests.medcom_fixtures import HERLEV_WARD_SOR, example

pytestmark = pytest.mark.django_db

URL = "/medcom/gateway/"
STIN = "HospitalNotification_Ex_STIN_A.json"
FHIR_JSON = "application/fhir+json"


@pytest.fixture
def token(herlev):
    """A token for the heart department of Herlev og Gentofte Hospital, the examples' sender."""
    _row, token = gateway.issue_token(organisation="Herlev og Gentofte Hospital", sor_code=HERLEV_WARD_SOR)
    return token


def post(body: bytes, token: str | None, content_type: str = FHIR_JSON, client=None, **headers):
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return (client or Client()).post(URL, data=body, content_type=content_type, headers=headers)


def response_code(response) -> str:
    return response.json()["entry"][0]["resource"]["response"]["code"]


def state():
    return (
        list(Event.objects.order_by("pk").values_list("pk", "type")),
        list(MedcomMessage.objects.values_list("message_id", "status")),
        AccessLog.objects.count(),
    )


def test_a_message_posted_with_the_token_is_recorded_and_acknowledged_ok(herlev, token):
    response = post(example(STIN), token)
    assert response.status_code == 200 and response["Content-Type"] == FHIR_JSON
    ack = response.json()
    assert response_code(response) == "ok"
    assert ack["entry"][0]["resource"]["response"]["identifier"] == "b9b4818e-02de-4cc4-b418-d20cbc7b5404"
    row = MedcomMessage.objects.get()
    assert row.status == "recorded" and row.received_via == f"Herlev og Gentofte Hospital ({HERLEV_WARD_SOR})"
    assert row.events.count() == 2
    # Every import is in the access log, with how it came.
    entry = AccessLog.objects.get(citizen=herlev["citizen"])
    assert entry.view == "medcom_gateway" and "Herlev og Gentofte Hospital" in entry.note


def test_fhir_xml_is_taken_too_and_a_resend_is_acknowledged_again_not_stored_twice(herlev, token):
    assert response_code(post(example(STIN), token)) == "ok"
    before = state()
    again = post(example("Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.xml"), token, "application/fhir+xml")
    assert again.status_code == 200 and response_code(again) == "ok"
    assert state()[:2] == before[:2]


def test_a_faulty_message_gets_a_fatal_error_acknowledgement_naming_what_is_missing(herlev, token):
    before = state()
    response = post(example("HospitalNotification_Ex_TEK_FCC.json"), token)
    assert response.status_code == 400 and response_code(response) == "fatal-error"
    outcome = next(
        e["resource"] for e in response.json()["entry"] if e["resource"]["resourceType"] == "OperationOutcome"
    )
    assert "Encounter.class" in outcome["issue"][0]["diagnostics"]
    assert state() == before


@pytest.mark.parametrize(
    "case, status, says",
    [
        ("no token", 401, "nøgle"),
        ("wrong token", 401, "nøgle"),
        ("revoked", 401, "nøgle"),
        ("another organisation", 403, "SOR"),
        ("text/plain", 415, "indholdstype"),
        ("form", 415, "indholdstype"),
        ("too large", 413, "større"),
        ("empty", 400, "tom"),
        ("get", 405, "POST"),
    ],
)
def test_bad_oversized_or_wrongly_typed_requests_get_a_clear_4xx_and_change_nothing(
    herlev, token, settings, case, status, says
):
    settings.MEDCOM_GATEWAY_MAX_BYTES = 20_000
    body = example(STIN)
    kind = FHIR_JSON
    use = token
    if case == "no token":
        use = None
    elif case == "wrong token":
        use = "x" + token[1:]
    elif case == "revoked":
        gateway.revoke_token(GatewayToken.objects.get())
    elif case == "another organisation":
        _row, use = gateway.issue_token(organisation="Et andet hospital", sor_code="502701000016000")
    elif case == "text/plain":
        kind = "text/plain"
    elif case == "form":
        kind = "application/x-www-form-urlencoded"
    elif case == "too large":
        body = body + b" " * 20_000
    elif case == "empty":
        body = b"  \n"
    before = state()
    if case == "get":
        response = Client().get(URL, headers={"Authorization": f"Bearer {token}"})
    else:
        response = post(body, use, kind)
    assert response.status_code == status
    assert says in response.content.decode()
    assert state() == before
    assert b"Bruno" not in response.content and b"2509479989" not in response.content


def test_a_token_is_stored_hashed_and_only_its_hash(herlev, token):
    row = GatewayToken.objects.get()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in json.dumps(
        list(GatewayToken.objects.values()), default=str
    )
    assert row.prefix == token[:8]


def test_an_administrator_issues_a_token_in_the_admin_sees_it_once_and_revokes_it(herlev):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    response = client.post(
        reverse("admin:coordination_gatewaytoken_add"),
        {"organisation": "Herlev og Gentofte Hospital", "sor_code": HERLEV_WARD_SOR},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    [line] = [m for m in shown if "vises kun nu" in m]
    token = line.rsplit(" ", 1)[-1]
    row = GatewayToken.objects.get()
    assert row.created_by == admin and row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    # Shown once: the token's own page does not show it again.
    page = client.get(reverse("admin:coordination_gatewaytoken_change", args=[row.pk])).content.decode()
    assert token not in page and row.prefix in page
    assert post(example(STIN), token).status_code == 200
    client.post(
        reverse("admin:coordination_gatewaytoken_changelist"),
        {"action": "revoke", "_selected_action": [row.pk]},
    )
    assert GatewayToken.objects.get().revoked_at is not None
    assert post(example("HospitalNotification_Ex_STAA_D.json"), token).status_code == 401


def test_the_endpoint_needs_no_csrf_token_and_is_the_only_view_exempt(herlev, token):
    client = Client(enforce_csrf_checks=True)
    assert post(example(STIN), token, client=client).status_code == 200

    def views(patterns=None):
        for pattern in patterns if patterns is not None else get_resolver().url_patterns:
            if isinstance(pattern, URLResolver):
                yield from views(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                yield pattern.name, pattern.callback

    exempt = {name for name, view in views() if getattr(view, "csrf_exempt", False)}
    assert exempt == {"medcom_gateway"}


def test_the_gateway_and_the_command_are_the_same_receipt(herlev, token):
    # The service behind both; a message taken from the gateway is a duplicate to the command afterwards.
    post(example(STIN), token)
    assert services.receive_message(example(STIN)).status == "duplicate"
