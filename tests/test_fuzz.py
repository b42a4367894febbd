"""Property-based fuzzing (issue 11, hypothesis): whatever a person types into any form of the admission page
or the new-admission form, whatever the board's query string says, and whatever a file holds for
replay_timeline and load_timelines: never a server error or a traceback; unusable input exits 2 with one
line; a refused input writes nothing. Kept small (few examples each, no deadline) so the suite stays fast."""

import copy
import io
import json
import re
from contextlib import contextmanager

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coordination.forms import ACTION_FORMS, NewAdmissionForm
from coordination.models import Admission, Citizen, Event
from tests.conftest import cph

HTMX = {"HX-Request": "true"}
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples every run: a failure is reproducible, the suite stable
    database=None,  # and no .hypothesis/ folder in the checkout
)

# What people (and audits) type: times at the edges of the accepted years and of summer time, NUL and
# control characters, very long text, numbers where text is expected, text where numbers are.
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1e400",
    "99999999999999999999999",
    "on",
    "\x00",
    "a\x00b",
    "\r\nX",
    "\ud7ff",
    "x" * 300,
    "0001-01-01",
    "0001-01-01T00:00",
    "9999-12-31",
    "9999-12-31T23:59",
    "9999-12-31T23:59-05:00",
    "2026-02-30",
    "2026-10-25T02:30",
    "2027-03-28T02:30",
    "2026-02-03T11:00",
    "2026-02-03T11:00+01:00",
    "03.02.2026 11:00",
    "2026-02-04",
    "own_home",
    "plejebolig",
    "relapse",
    "andet",
    "Andet",
    "PFP",
]
values = st.one_of(st.sampled_from(NASTY), st.text(max_size=20))
# For a time or a date field: mostly the edges of what a time or a date may be.
NASTY_TIMES = [
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "9999-12-31T23:59-05:00",
    "2026-10-25T02:30",
    "2027-03-28T02:30",
    "2026-13-01T10:00",
    "2100-12-31T23:59-05:00",
    "1999-12-31T23:59",
]
NASTY_DATES = ["0001-01-01", "9999-12-31", "2026-02-30", "1999-12-31", "2101-01-01", "31.12.9999"]


def _usable(field) -> str:
    """A value the field accepts, so that examples also get past the form to the services."""
    kind = type(field).__name__
    if kind == "MomentField":
        return "2026-02-03T11:00"
    if field.label and "CPR" in str(field.label):
        return "0101451234"
    if kind == "DateField":
        return "2026-02-04"
    if kind == "BooleanField":
        return "on"
    if kind == "IntegerField":
        return "0"
    if kind == "ModelChoiceField":
        first = field.queryset.order_by("pk").first()
        return str(first.pk) if first else "1"
    choices = [str(key) for key, _label in getattr(field, "choices", []) if key not in ("", None)]
    return choices[0] if choices else "Tekst"


def form_fields(form_class) -> dict[str, tuple[str, st.SearchStrategy]]:
    """The posted names of a form's fields, each with a usable value and what else may be typed there (a
    moment field also has its `_fold`)."""
    form = form_class(admission=None) if form_class is not NewAdmissionForm else form_class()
    names = {}
    for name, field in form.fields.items():
        kind = type(field).__name__
        nasty = {"MomentField": NASTY_TIMES, "DateTimeField": NASTY_TIMES, "DateField": NASTY_DATES}.get(kind)
        names[form.add_prefix(name)] = (_usable(field), st.sampled_from(nasty) | values if nasty else values)
        if kind == "MomentField":
            names[form.add_prefix(name) + "_fold"] = ("0", values)
    return names


@st.composite
def posts(draw, form_class) -> dict:
    """A usable post with up to three fields replaced by anything (or left out): one bad field at a time
    gets past the others to the check (or the service) that must refuse it."""
    fields = form_fields(form_class)
    posted = {name: usable for name, (usable, _nasty) in fields.items()}
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from(sorted(fields)))
        if draw(st.integers(0, 4)) == 0:
            posted.pop(name, None)
        else:
            posted[name] = draw(fields[name][1])
    return posted


@contextmanager
def rolled_back():
    """Each example from the same state: what it wrote is undone afterwards."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def at_noon():
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False) as traveller:
        yield traveller


@FUZZ
@given(data=st.data())
def test_no_form_of_the_admission_page_gives_a_server_error_or_writes_a_refused_input(
    data, admission, nurse, visitator, at_noon
):
    name = data.draw(st.sampled_from(sorted(ACTION_FORMS)), label="form")
    form_class = ACTION_FORMS[name]
    user = nurse if "hospital" in form_class.sides else visitator
    posted = data.draw(posts(form_class), label="fields")
    admission.refresh_from_db()
    if data.draw(st.booleans(), label="current version"):
        posted[f"{name}-expected_version"] = str(admission.version)
    htmx = data.draw(st.booleans(), label="htmx")
    with rolled_back():
        before = Event.objects.filter(admission=admission).count()
        response = logged_in(user).post(
            f"/admissions/{admission.pk}/actions/{name}/", posted, headers=HTMX if htmx else {}
        )
        assert response.status_code in (200, 302, 403, 409)
        after = Event.objects.filter(admission=admission).count()
        admission.refresh_from_db()
        assert admission.version == after  # what the database's constraint trigger checks at commit
        if after != before:  # recorded: the person is told so (a redirect for a plain post)
            assert response.status_code == 302 or "Registreret:" in response.content.decode()
        elif response.status_code == 200 and htmx:
            body = response.content.decode()
            # refused (or only a draft saved): the person sees why
            assert "errorlist" in body or 'role="alert"' in body or "Kladden er gemt" in body


@FUZZ
@given(data=st.data())
def test_the_new_admission_form_never_gives_a_server_error_nor_half_an_admission(data, nurse, at_noon):
    posted = data.draw(posts(NewAdmissionForm), label="fields")
    with rolled_back():
        citizens, admissions = Citizen.objects.count(), Admission.objects.count()
        response = logged_in(nurse).post("/admissions/new/", posted)
        assert response.status_code in (200, 302)
        if response.status_code == 200:  # refused: nothing at all was written
            assert (Citizen.objects.count(), Admission.objects.count()) == (citizens, admissions)


BOARD_PARAMETERS = [
    "scope",
    "hospital",
    "municipality",
    "ward",
    "overdue",
    "waiting",
    "discharge",
    "q",
    "sort",
    "v",
]


@settings(FUZZ, max_examples=12)  # two users each: the board is the slowest page
@given(
    query=st.dictionaries(st.sampled_from(BOARD_PARAMETERS), values, max_size=5),
    htmx=st.booleans(),
)
def test_no_query_string_makes_the_board_fail(query, htmx, admission, nurse, visitator, at_noon):
    for user in (nurse, visitator):
        response = logged_in(user).get("/", query, headers=HTMX if htmx else {})
        assert response.status_code in (200, 204)


# --- The commands -----------------------------------------------------------------------------------------

BASE = {
    "profile": "hovedstaden",
    "now": "2026-04-07T12:00:00+02:00",
    "citizen": {"known_in_eoj": True, "residence": "own_home", "social_area": False, "terminal": False},
    "events": [
        {"at": "2026-04-05T10:00:00+02:00", "type": "admitted", "expected_stay": "over_48h", "somatic": True},
        {"at": "2026-04-05T10:01:00+02:00", "type": "message", "code": "ADVIS-IND"},
        {
            "at": "2026-04-05T12:00:00+02:00",
            "type": "message",
            "code": "PFP",
            "coordination_needed": False,
            "faerdigbehandlet_date": "2026-04-08",
            "date_certain": True,
        },
        {
            "at": "2026-04-06T09:00:00+02:00",
            "type": "discharge_planned",
            "discharge_at": "2026-04-08T10:00:00+02:00",
            "needs_changed": False,
            "practical_help_only": False,
            "municipal_nursing": False,
            "destination": "own_home",
        },
    ],
}
TIMES = ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:00-05:00", "2026-10-25T02:30:00+01:00", "0001-01-01"]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.sampled_from(NASTY + TIMES)
    | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
KEYS = [
    "at",
    "type",
    "code",
    "date",
    "discharge_at",
    "conference_at",
    "faerdigbehandlet_date",
    "reason",
    "by",
    "from",
    "subject",
    "waiting_for",
    "content",
    "destination",
    "expected_stay",
    "somatic",
]


@st.composite
def timelines(draw) -> dict:
    """BASE with a few fields replaced by anything JSON can hold (or removed), at the top or in an event."""
    timeline = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        target = draw(st.sampled_from(["top", "citizen", "event"]))
        if target == "top":
            key = draw(st.sampled_from(["profile", "now", "citizen", "events"]))
            where = timeline
        elif target == "citizen":
            key = draw(st.sampled_from(["known_in_eoj", "residence", "social_area", "terminal"]))
            where = timeline["citizen"] if isinstance(timeline.get("citizen"), dict) else timeline
        else:
            events = timeline.get("events")
            if not isinstance(events, list) or not events or not isinstance(events[-1], dict):
                continue
            where = events[draw(st.integers(0, len(events) - 1))]
            if not isinstance(where, dict):
                continue
            key = draw(st.sampled_from(KEYS))
        if draw(st.integers(0, 5)) == 0:
            where.pop(key, None)
        else:
            where[key] = draw(json_values)
    return timeline


def counts() -> tuple[int, int, int]:
    return Admission.objects.count(), Event.objects.count(), Citizen.objects.count()


@FUZZ
@given(timeline=timelines(), as_text=st.sampled_from(["json", "cut", "deep"]))
@pytest.mark.django_db
def test_replay_of_anything_is_json_or_one_line_and_exit_2_and_writes_nothing(timeline, as_text, monkeypatch):
    text = json.dumps(timeline)
    if as_text == "cut":
        text = text[: len(text) // 2]
    elif as_text == "deep":
        text = text.replace('"own_home"', "[" * 20_000 + "]" * 20_000, 1)
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    before, out = counts(), io.StringIO()
    try:
        call_command("replay_timeline", "-", stdout=out)
    except CommandError as error:
        assert error.returncode == 2
        assert str(error) and "\n" not in str(error)
        assert out.getvalue() == ""
    else:
        assert set(json.loads(out.getvalue())) >= {"obligations", "faerdigbehandling", "rejected"}
    assert counts() == before


@FUZZ
@given(lines=st.lists(st.one_of(timelines(), st.sampled_from(["garbage", "[]", "{}", "\x00"])), max_size=3))
@pytest.mark.django_db
def test_load_judges_every_line_on_its_own_and_exits_by_the_contract(lines, monkeypatch):
    cprs = ["0203451234", "1505321236", "1111501238"]
    text_lines = []
    for line, cpr in zip(lines, cprs, strict=False):
        if isinstance(line, dict):
            line.pop("now", None)
            line["where"] = {
                "hospital": "Nordsjællands Hospital",
                "ward": "Medicinsk afdeling",
                "municipality": "0219",
                "cpr": cpr,
                "name": "Karen Hansen",
            }
            text_lines.append(json.dumps(line))
        else:
            text_lines.append(line)
    citizens = set(Citizen.objects.values_list("cpr", flat=True))
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(text_lines)))
    out, err, code = io.StringIO(), io.StringIO(), 0
    try:
        call_command("load_timelines", "-", stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    summary = re.fullmatch(r"loaded (\d+), failed (\d+)", out.getvalue().strip())
    assert summary is not None
    loaded, failed = map(int, summary.groups())
    assert loaded + failed == sum(1 for t in text_lines if t.strip())
    failed_lines = {int(n) for n in re.findall(r"^linje (\d+): ", err.getvalue(), re.M)}
    assert len(failed_lines) == failed and "Traceback" not in err.getvalue()
    if not loaded and not failed:
        assert code == 2  # no timeline at all: unusable input
    else:
        assert code == (0 if failed == 0 else code) and code in ((0,) if failed == 0 else (1, 2))
    # A failed line left nothing behind; a loaded one left its citizen.
    new = set(Citizen.objects.values_list("cpr", flat=True)) - citizens
    for number, line in enumerate(text_lines, start=1):
        if line.strip().startswith("{") and '"where"' in line:
            cpr = json.loads(line)["where"]["cpr"]
            assert (cpr in new) == (number not in failed_lines) or cpr in citizens
