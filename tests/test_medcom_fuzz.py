"""Fuzzed MedCom input (issue 12, hypothesis) to `import_medcom` and to the gateway endpoint: truncated, wrong
types, huge, wrong encoding, and a valid bundle with one field changed. Never a server error or a traceback,
never a partial write: a refused message changes nothing, a taken one is stored whole. Kept quick (few
examples, no example database), each example rolled back."""

from __future__ import annotations

import copy
import io
import json
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordination import services
from coordination.models import AccessLog, Admission, Event, MedcomMessage
from coordination.services import gateway
from tests.medcom_fixtures import HERLEV_WARD_SOR, example

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
    database=None,
)
STIN = json.loads(example("HospitalNotification_Ex_STIN_A.json"))
KM = json.loads(example("Bundle-S-A-new-1932711d-49d0-4ad7-b1ee-61de711892d2.json"))
XML = example("Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.xml")


def leaves(value, path=()):
    """Every path to a value inside the bundle (dict keys and list indexes)."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))


def replaced(bundle, path, new):
    copied = copy.deepcopy(bundle)
    if not path:
        return new
    target = copied
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return copied


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.sampled_from(
        ["", "x" * 5000, "0001-01-01T00:00:00Z", "9999-12-31", "urn:oid:1.2.208.176.1.2", "\x00"]
    )
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


@st.composite
def one_field_changed(draw, bundle):
    path = draw(st.sampled_from(list(leaves(bundle))))
    return json.dumps(replaced(bundle, path, draw(json_values))).encode()


@st.composite
def truncated(draw, body: bytes):
    return body[: draw(st.integers(min_value=0, max_value=len(body) - 1))]


@st.composite
def wrongly_encoded(draw):
    text = json.dumps(draw(st.sampled_from([STIN, KM])), ensure_ascii=False)
    return text.encode(draw(st.sampled_from(["utf-16", "utf-32", "latin-1", "cp1252"])), errors="replace")


huge = st.sampled_from(
    [
        b"[" * 100_000 + b"]" * 100_000,
        json.dumps(replaced(STIN, ("entry", 1, "resource", "name"), [{"text": "x" * 2_000_000}])).encode(),
        json.dumps({**STIN, "entry": STIN["entry"] * 300}).encode(),
        b"<" * 200_000,
    ]
)
bodies = st.one_of(
    one_field_changed(STIN),
    one_field_changed(KM),
    truncated(json.dumps(STIN).encode()),
    truncated(XML),
    wrongly_encoded(),
    huge,
    st.binary(max_size=200),
)


def state():
    return (
        Event.objects.count(),
        MedcomMessage.objects.count(),
        Admission.objects.count(),
        AccessLog.objects.count(),
    )


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def whole_or_nothing(before, message_id: str, taken: bool):
    if not taken:
        assert state() == before, "a refused message wrote something"
        return
    row = MedcomMessage.objects.filter(message_id=message_id).first()
    assert row is not None, "a message taken must be stored"
    if row.status == "recorded":
        assert row.events.exists()


@pytest.fixture
def token(herlev):
    return gateway.issue_token(organisation="Herlev og Gentofte Hospital", sor_code=HERLEV_WARD_SOR)[1]


@FUZZ
@given(body=bodies)
def test_the_command_never_tracebacks_and_never_writes_half(herlev, tmp_path_factory, body):
    path = tmp_path_factory.mktemp("fuzz") / "message.json"
    path.write_bytes(body)
    with rolled_back():
        before = state()
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command("import_medcom", str(path), stdout=out, stderr=err)
            code = 0
        except SystemExit as exit_:
            code = exit_.code
        [line] = [json.loads(text) for text in out.getvalue().splitlines()]
        assert code in (0, 1) and (code == 1) is (line["status"] == "rejected")
        assert line["status"] != "rejected" or line["error"]
        whole_or_nothing(before, line["message_id"], line["status"] == "imported")


@FUZZ
@given(body=bodies, kind=st.sampled_from(["application/fhir+json", "application/fhir+xml", "text/plain"]))
def test_the_endpoint_never_answers_a_server_error_and_never_writes_half(herlev, token, settings, body, kind):
    settings.MEDCOM_GATEWAY_MAX_BYTES = 1_000_000
    with rolled_back():
        before = state()
        response = Client().post(
            "/medcom/gateway/", data=body, content_type=kind, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code in (200, 400, 403, 413, 415), response.status_code
        taken = response.status_code == 200
        message_id = ""
        if response["Content-Type"] == "application/fhir+json":
            message_id = response.json()["entry"][0]["resource"]["response"]["identifier"]
        whole_or_nothing(before, message_id, taken and bool(message_id))


@pytest.mark.parametrize(
    "path",
    [
        ("entry", 2, "resource", "episodeOfCare", 0, "identifier", "value"),
        ("entry", 2, "resource", "episodeOfCare", 0, "identifier", "system"),
        ("entry", 0, "resource", "id"),
        ("id",),
    ],
)
def test_a_valid_notification_with_one_field_too_long_for_a_column_is_refused_or_taken_whole(herlev, path):
    body = json.dumps(replaced(STIN, path, "x" * 5000)).encode()
    before = state()
    result = services.receive_message(body)
    whole_or_nothing(before, result.message_id, result.status == "imported")
    assert result.status == "rejected" or MedcomMessage.objects.filter(message_id=result.message_id).exists()
