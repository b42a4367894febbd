"""Every worked example in domain/examples passes through parse_timeline + evaluate + to_replay_dict."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from coordination.rules import PROFILES, TimelineError, evaluate, parse_timeline, to_replay_dict
from tests.replay_checks import assert_replay_output, examples_dir, rules_md

EXAMPLES = examples_dir()
TIMELINES = sorted(EXAMPLES.glob("*.json"))
ERRORS = sorted((EXAMPLES / "errors").glob("*.json"))

# The event each error file is about (the index its message must name).
ERROR_EVENT = {
    "after-now.json": 1,
    "mof-as-message.json": 1,
    "no-offset.json": 0,
    "not-admitted-first.json": 0,
    "out-of-order.json": 1,
    "unknown-type.json": 1,
}


def test_the_examples_folder_holds_the_timelines_and_the_errors():
    assert EXAMPLES.is_dir(), f"no examples at {EXAMPLES}"
    assert len(TIMELINES) >= 5
    assert {p.name for p in ERRORS} >= set(ERROR_EVENT)


@pytest.mark.parametrize("path", TIMELINES, ids=lambda p: p.stem)
def test_each_worked_example_gives_what_it_says(path: Path):
    example = json.loads(path.read_text(encoding="utf-8"))
    replay = parse_timeline(example["input"])
    evaluation = evaluate(replay.events, replay.citizen, PROFILES[replay.profile], replay.now)
    output = to_replay_dict(evaluation)
    json.dumps(output)  # the output must be plain JSON
    assert_replay_output(output, example)


@pytest.mark.parametrize("path", ERRORS, ids=lambda p: p.stem)
def test_each_error_example_is_refused_with_one_line_naming_the_event(path: Path):
    with pytest.raises(TimelineError) as caught:
        parse_timeline(json.loads(path.read_text(encoding="utf-8")))
    message = str(caught.value)
    assert "\n" not in message and message.strip() == message
    expected = ERROR_EVENT.get(path.name)
    if expected is None:
        assert re.match(r"hændelse \d+: ", message), message
    else:
        assert message.startswith(f"hændelse {expected}: "), message


def test_the_checks_compare_times_as_instants_and_fail_on_a_wrong_value():
    output = {
        "obligations": [
            {
                "rule": "R-MILR",
                "owner": "municipality",
                "due": "2026-02-02T21:21:00Z",
                "status": "met",
                "met_at": None,
            }
        ],
        "faerdigbehandling": {"periods": [], "days": 3},
        "extended_responsibility_until": None,
        "medicine_until": None,
        "warnings": [],
        "rejected": [],
    }
    # 21:21Z is 22:21+01:00: the same instant.
    assert_replay_output(
        output, {"checks": [["ob", "R-MILR", {"due": "2026-02-02T22:21:00+01:00"}], ["days", 3]]}
    )
    with pytest.raises(AssertionError):
        assert_replay_output(output, {"checks": [["ob", "R-MILR", {"status": "late"}]]})
    with pytest.raises(AssertionError):
        assert_replay_output(output, {"checks": [["days", 4]]})
    with pytest.raises(AssertionError):
        assert_replay_output(output, {"checks": [["no", "R-MILR"]]})


def test_the_copy_in_tests_data_matches_the_shared_examples():
    # The copy lets a lone clone run the examples; it must not drift from ../shared when that is present.
    copy = Path(__file__).resolve().parent / "data" / "examples"
    if EXAMPLES == copy:
        pytest.skip("../shared is not beside the repository")
    shared_files = {p.relative_to(EXAMPLES): p.read_bytes() for p in EXAMPLES.rglob("*.json")}
    copied_files = {p.relative_to(copy): p.read_bytes() for p in copy.rglob("*.json")}
    assert copied_files == shared_files, "update tests/data/examples from ../shared/domain/examples"


def test_the_copy_of_rules_md_in_tests_data_matches_the_shared_one():
    copy = Path(__file__).resolve().parent / "data" / "RULES.md"
    if rules_md() == copy:
        pytest.skip("../shared is not beside the repository")
    assert copy.read_bytes() == rules_md().read_bytes(), "update tests/data/RULES.md from ../shared/domain"
