"""replay_timeline and load_timelines on unusable input (issue 11, REPLAY.md "Errors", CONTRACTS.md exits):
one clear line on standard error and exit 2, never a traceback, nothing on standard output (replay) and
nothing written; load_timelines judges every line on its own and goes on after a bad one."""

import copy
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from coordination.models import Admission, Citizen, Event, Hospital, Ward

NOW = "2026-04-07T12:00:00+02:00"
BASE = {
    "profile": "hovedstaden",
    "now": NOW,
    "citizen": {"known_in_eoj": True, "residence": "own_home", "social_area": False, "terminal": False},
    "events": [
        {"at": "2026-04-05T10:00:00+02:00", "type": "admitted", "expected_stay": "over_48h", "somatic": True},
        {"at": "2026-04-05T10:01:00+02:00", "type": "message", "code": "ADVIS-IND"},
        {"at": "2026-04-05T12:00:00+02:00", "type": "coordination_identified", "reason": "Hjælpemidler"},
    ],
}


def changed(**edits) -> dict:
    """BASE with `events_N_field=value` or a top-level `field=value` replaced (value None: removed)."""
    timeline = copy.deepcopy(BASE)
    for key, value in edits.items():
        if key.startswith("events_"):
            _events, index, field = key.split("_", 2)
            timeline["events"][int(index)][field] = value
        else:
            timeline[key] = value
    return timeline


def event(**fields) -> dict:
    timeline = copy.deepcopy(BASE)
    timeline["events"].append({"at": "2026-04-06T09:00:00+02:00", **fields})
    return timeline


DEEP = "[" * 50_000 + "]" * 50_000
UNUSABLE = {
    "nested 50,000 deep": DEEP,
    "nested 50,000 deep inside an event": json.dumps(event(type="message", code="USR")).replace(
        '"code": "USR"', '"code": "USR", "content": ' + DEEP
    ),
    "a number of 5,000 digits": json.dumps(BASE).replace('"somatic": true', '"somatic": ' + "9" * 5000),
    "code as a list": event(type="message", code=["PFP"]),
    "code as an object": event(type="message", code={"PFP": 1}),
    "type as a list": event(type=["message"]),
    "year 1 in at": changed(events_0_at="0001-01-01T00:00:00+01:00"),
    "year 9999 in at": changed(events_2_at="9999-12-31T23:59:00-05:00"),
    "year 1 in now": changed(now="0001-01-01T00:00:00+01:00"),
    "year 9999 in now": changed(now="9999-12-31T23:59:00-05:00"),
    "year 9999 in discharge_at": event(
        type="discharge_planned",
        discharge_at="9999-12-31T23:59:00-05:00",
        needs_changed=False,
        practical_help_only=False,
        municipal_nursing=False,
        destination="own_home",
    ),
    "year 1 in conference_at": event(type="conference_planned", conference_at="0001-01-01T00:00:00+00:00"),
    "year 1 in a PFP date": event(
        type="message",
        code="PFP",
        coordination_needed=False,
        faerdigbehandlet_date="0001-01-01",
        date_certain=True,
    ),
    "year 9999 in a PFP date": event(
        type="message",
        code="PFP",
        coordination_needed=False,
        faerdigbehandlet_date="9999-12-31",
        date_certain=True,
    ),
    "year 1 in a færdigbehandlet date": event(type="faerdigbehandlet", date="0001-01-01"),
    "NUL in a reason": changed(events_2_reason="Hjælp\u0000midler"),
    "NUL in a KM subject": event(type="message", code="KM", **{"from": "hospital", "subject": "a\u0000b"}),
    "NUL in a USR's content": event(type="message", code="USR", content={"summary": "x\u0000y"}),
    "a lone surrogate in a note": event(type="coordination_identified", reason="\ud800"),
    "content nested 100 deep": event(
        type="message", code="USR", content={"a": json.loads("[" * 100 + "]" * 100)}
    ),
    "events as an object": changed(events={"0": 1}),
    "citizen as a list": changed(citizen=[1, 2]),
    "now as a number": changed(now=20260407),
    "profile as a list": changed(profile=["hovedstaden"]),
}


def as_text(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(UNUSABLE))
def test_replay_of_unusable_input_is_one_line_and_exit_2_and_writes_nothing(name, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(as_text(UNUSABLE[name])))
    before = (Admission.objects.count(), Event.objects.count(), Citizen.objects.count())
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("replay_timeline", "-", stdout=out)
    assert error.value.returncode == 2
    message = str(error.value)
    assert message and "\n" not in message and "Traceback" not in message
    assert out.getvalue() == ""
    assert (Admission.objects.count(), Event.objects.count(), Citizen.objects.count()) == before


def test_a_year_outside_2000_to_2100_is_named_in_the_message(monkeypatch, db):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(UNUSABLE["year 1 in a PFP date"])))
    with pytest.raises(CommandError) as error:
        call_command("replay_timeline", "-", stdout=io.StringIO())
    assert str(error.value) == (
        "hændelse 3: feltet 'faerdigbehandlet_date' ('0001-01-01') ligger uden for årene 2000–2100 "
        "og kan ikke passe"
    )


def where(cpr: str, **overrides) -> dict:
    return {
        "hospital": "Nordsjællands Hospital",
        "ward": "Medicinsk afdeling",
        "municipality": "0219",
        "cpr": cpr,
        "name": "Karen Hansen",
        **overrides,
    }


def good(cpr: str) -> dict:
    now = timezone.now()
    timeline = copy.deepcopy(BASE)
    del timeline["now"]
    for index, e in enumerate(timeline["events"]):
        e["at"] = (now - timezone.timedelta(hours=30 - index)).isoformat()
    return {**timeline, "where": where(cpr)}


@pytest.fixture
def load(monkeypatch):
    def run(text: str):
        monkeypatch.setattr("sys.stdin", io.StringIO(text))
        out, err = io.StringIO(), io.StringIO()
        code = 0
        try:
            call_command("load_timelines", "-", stdout=out, stderr=err)
        except SystemExit as exit_:
            code = exit_.code
        return code, out.getvalue(), err.getvalue()

    return run


def line(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)


BAD_WHERE = {
    "a name longer than its column": where("0101451234", name="K" * 201),
    "a hospital longer than its column": where("0101451234", hospital="H" * 151),
    "a ward longer than its column": where("0101451234", ward="A" * 151),
    "a NUL in the name": where("0101451234", name="Karen\u0000Hansen"),
    "a CPR of 50 characters": where("x" * 50),
    "an empty hospital": where("0101451234", hospital=" "),
}


@pytest.mark.django_db
def test_load_judges_each_line_on_its_own_and_goes_on_after_a_bad_one(load):
    bad = {f"where with {name}": line({**good("0101451234"), "where": w}) for name, w in BAD_WHERE.items()}
    for name, value in UNUSABLE.items():
        bad[name] = value if isinstance(value, str) else line({**value, "where": where("0101451234")})
    # A good line first and last, every unusable line in between (lines 2 .. N+1).
    code, out, err = load("\n".join([line(good("0203451234")), *bad.values(), line(good("1505321236"))]))
    assert (code, out.strip()) == (2, f"loaded 2, failed {len(bad)}")
    reported = err.strip().splitlines()
    assert [r.split(":")[0] for r in reported] == [f"linje {n}" for n in range(2, len(bad) + 2)]
    assert "Traceback" not in err
    # The bad lines left nothing behind; the lines around them were recorded.
    assert sorted(Citizen.objects.values_list("cpr", flat=True)) == ["0203451234", "1505321236"]
    assert not Hospital.objects.filter(name__startswith="HHH").exists()
    assert not Ward.objects.filter(name__startswith="AAA").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text", ["", "\n\n  \n", "garbage", "\x00\x00", "[]", "null", "42", '"text"', "{}"], ids=repr
)
def test_load_of_an_empty_file_or_garbage_is_unusable_input(text, load):
    code, out, err = load(text)
    assert code == 2
    assert out.strip().startswith("loaded 0, failed ")
    assert err.strip() and "Traceback" not in err
    assert not Citizen.objects.exists()


def test_from_a_real_process_unusable_input_is_one_line_and_exit_2_never_a_traceback():
    from tests.test_commands_replay import run_command

    for stdin in (DEEP, json.dumps(UNUSABLE["year 9999 in now"]), "\x00"):
        result = run_command("replay_timeline", "-", stdin=stdin)
        assert (result.returncode, result.stdout) == (2, "")
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    empty = run_command("load_timelines", "-", stdin="")
    assert empty.returncode == 2 and empty.stdout.strip() == "loaded 0, failed 0"
    assert "Traceback" not in empty.stderr


def test_standard_input_that_is_not_utf8_is_unusable_input(tmp_path):
    import subprocess
    import sys

    from tests.test_commands_replay import ROOT

    for command in ("replay_timeline", "load_timelines"):
        result = subprocess.run(
            [sys.executable, "manage.py", command, "-"],
            cwd=ROOT,
            input=b"\xff\xfe{",
            capture_output=True,
            env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"},
            timeout=60,
        )
        assert result.returncode == 2, command
        assert b"Traceback" not in result.stderr and b"UTF-8" in result.stderr


@pytest.mark.parametrize("start", ["0001-01-01T00:30:00+01:00", "9999-12-31T23:59:00-05:00"])
def test_a_medcom_notice_from_year_1_or_9999_is_rejected_with_a_reason_not_a_traceback(
    herlev, tmp_path, start
):
    from tests.medcom_fixtures import DATA

    text = (DATA / "HospitalNotification_Ex_STIN_A.json").read_text()
    path = tmp_path / "notice.json"
    path.write_text(text.replace("2023-03-01T12:00:00+01:00", start))
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import_medcom", str(path), stdout=out, stderr=io.StringIO())
    assert exit_.value.code == 1  # CONTRACTS.md: exit 1 when any file was rejected
    report = json.loads(out.getvalue())
    assert report["status"] == "rejected"
    assert "kun årene 2000–2100 kan passe" in report["error"]
    assert not Admission.objects.exists()
