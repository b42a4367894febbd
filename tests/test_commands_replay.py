"""replay_timeline (REPLAY.md): every worked example gives what it says, through the product's own services,
and nothing is written; every input in examples/errors/ exits 2 with one line on standard error."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from coordination.models import Admission, Citizen, Event, Hospital
from tests.replay_checks import assert_replay_output, examples_dir

ROOT = Path(__file__).resolve().parents[1]


EXAMPLES = sorted(p.name for p in examples_dir().glob("*.json"))
ERRORS = sorted(p.name for p in (examples_dir() / "errors").glob("*.json"))


def replay(timeline: dict, monkeypatch) -> dict:
    """`replay_timeline -` with the timeline on standard input; the JSON it prints."""
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(timeline)))
    out = io.StringIO()
    call_command("replay_timeline", "-", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
@pytest.mark.parametrize("name", EXAMPLES)
def test_worked_example_gives_what_it_says(name, monkeypatch):
    example = json.loads((examples_dir() / name).read_text())
    before = (
        Admission.objects.count(),
        Event.objects.count(),
        Citizen.objects.count(),
        Hospital.objects.count(),
    )
    assert_replay_output(replay(example["input"], monkeypatch), example)
    # The replay ran inside a transaction that was rolled back: nothing is left behind.
    assert (
        Admission.objects.count(),
        Event.objects.count(),
        Citizen.objects.count(),
        Hospital.objects.count(),
    ) == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", ERRORS)
def test_invalid_timeline_is_unusable_input(name):
    with pytest.raises(CommandError) as error:
        call_command("replay_timeline", str(examples_dir() / "errors" / name), stdout=io.StringIO())
    assert error.value.returncode == 2
    assert "\n" not in str(error.value)
    assert "hændelse" in str(error.value)


@pytest.mark.django_db
def test_rejected_events_are_listed_by_their_input_index_and_the_replay_goes_on(monkeypatch):
    example = json.loads((examples_dir() / "hovedstaden-refusals.json").read_text())
    output = replay(example["input"], monkeypatch)
    # events 2 (resume with nothing open) and 4 (second registration while one is open) are refused
    assert [(r["event"], r["rule"]) for r in output["rejected"]] == [(2, "R-FB-RESUME"), (4, "R-FB-REG")]
    assert all(r["message"] for r in output["rejected"])


def run_command(*args, stdin: str | None = None):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.django_db
def test_replay_reads_a_file_as_well(tmp_path):
    example = json.loads((examples_dir() / "midtjylland-72h.json").read_text())
    path = tmp_path / "timeline.json"
    path.write_text(json.dumps(example["input"]), encoding="utf-8")
    out = io.StringIO()
    call_command("replay_timeline", str(path), stdout=out)
    assert json.loads(out.getvalue())["extended_responsibility_until"] == "2026-11-08T15:20:00+01:00"


@pytest.mark.parametrize("name", ERRORS)
def test_command_line_error_is_one_line_on_stderr_and_nothing_on_stdout(name):
    result = run_command("replay_timeline", str(examples_dir() / "errors" / name))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


def test_input_that_is_not_json_is_refused_from_stdin():
    result = run_command("replay_timeline", "-", stdin="{not json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "JSON" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_missing_file_is_unusable_input():
    result = run_command("replay_timeline", "/nonexistent/timeline.json")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
