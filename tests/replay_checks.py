"""Checking a replay output against a worked example (`domain/examples/README.md`).

`assert_replay_output(output, example)` is shared by the engine-level test and the command-level test.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any


def _instant(value: Any) -> datetime | None:
    """An ISO time with an offset as an instant, else None (plain strings, dates, numbers)."""
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def same_value(actual: Any, expected: Any) -> bool:
    """Equal, with times compared as instants (10:00+01:00 is 09:00Z)."""
    actual_instant, expected_instant = _instant(actual), _instant(expected)
    if actual_instant is not None and expected_instant is not None:
        return actual_instant == expected_instant
    return actual == expected


def _canonical(obligation: dict[str, Any]) -> str:
    return json.dumps(obligation, sort_keys=True, ensure_ascii=False)


def _assert_full_output(output: dict[str, Any], expected: dict[str, Any]) -> None:
    """The whole output: every key equal; obligations in any order but each exactly once."""
    assert set(output) == set(expected), f"top-level keys differ: {sorted(output)} != {sorted(expected)}"
    actual_obligations = sorted(_canonical(o) for o in output["obligations"])
    expected_obligations = sorted(_canonical(o) for o in expected["obligations"])
    missing = [o for o in expected_obligations if o not in actual_obligations]
    extra = [o for o in actual_obligations if o not in expected_obligations]
    assert actual_obligations == expected_obligations, (
        f"missing obligations: {missing}\nextra obligations: {extra}"
    )
    for key in expected:
        if key != "obligations":
            assert output[key] == expected[key], f"{key}: {output[key]!r} != {expected[key]!r}"


def _check(output: dict[str, Any], check: list[Any]) -> None:
    kind, *args = check
    obligations = output["obligations"]
    if kind == "ob":
        rule, fields = args
        of_rule = [o for o in obligations if o["rule"] == rule]
        assert of_rule, f"no obligation of {rule}; obligations: {obligations}"
        assert any(all(same_value(o.get(k), v) for k, v in fields.items()) for o in of_rule), (
            f"no {rule} obligation with {fields}; found {of_rule}"
        )
    elif kind == "no":
        (rule,) = args
        found = [o for o in obligations if o["rule"] == rule]
        assert not found, f"expected no {rule} obligation, found {found}"
    elif kind == "days":
        (days,) = args
        assert output["faerdigbehandling"]["days"] == days, (
            f"days {output['faerdigbehandling']['days']} != {days}"
        )
    elif kind in ("rejected", "warning"):
        (rule,) = args
        listed = output["rejected" if kind == "rejected" else "warnings"]
        assert any(item["rule"] == rule for item in listed), f"{rule} not in {kind}: {listed}"
    elif kind == "nowarn":
        (rule,) = args
        found = [w for w in output["warnings"] if w["rule"] == rule]
        assert not found, f"unexpected {rule} warning: {found}"
    elif kind == "ext":
        (until,) = args
        actual = output["extended_responsibility_until"]
        assert same_value(actual, until), f"extended_responsibility_until {actual!r} != {until!r}"
    elif kind == "field":
        key, value = args
        assert same_value(output[key], value), f"{key}: {output[key]!r} != {value!r}"
    else:
        raise AssertionError(f"unknown check {kind!r} in the example")


def assert_replay_output(output: dict[str, Any], example: dict[str, Any]) -> None:
    """Assert that a replay `output` shows what the worked `example` says ("output" and/or "checks")."""
    assert "output" in example or "checks" in example, "the example has neither output nor checks"
    if "output" in example:
        _assert_full_output(output, example["output"])
    for check in example.get("checks", ()):
        _check(output, check)


# --- Building timelines in REPLAY.md's shape, for the rule tests -----------------------------------------

KNOWN_CITIZEN = {"known_in_eoj": True, "residence": "own_home", "social_area": False, "terminal": False}


def timeline(
    events: list[dict[str, Any]], *, now: str, profile: str = "hovedstaden", **citizen: Any
) -> dict[str, Any]:
    """A REPLAY.md input object; `citizen` overrides fields of a citizen known in EOJ living at home."""
    return {"profile": profile, "now": now, "citizen": {**KNOWN_CITIZEN, **citizen}, "events": events}


def admitted(at: str, stay: str = "over_48h", somatic: bool = True) -> dict[str, Any]:
    return {"at": at, "type": "admitted", "expected_stay": stay, "somatic": somatic}


def message(at: str, code: str) -> dict[str, Any]:
    return {"at": at, "type": "message", "code": code}


def pfp(at: str, day: str, certain: bool = True, coordination: bool = False) -> dict[str, Any]:
    return {
        "at": at,
        "type": "message",
        "code": "PFP",
        "coordination_needed": coordination,
        "faerdigbehandlet_date": day,
        "date_certain": certain,
    }


def km(at: str, sender: str, subject: str = "Spørgsmål") -> dict[str, Any]:
    return {"at": at, "type": "message", "code": "KM", "from": sender, "subject": subject}


def read(at: str, code: str, by: str) -> dict[str, Any]:
    return {"at": at, "type": "message_read", "code": code, "by": by}


def planned(
    at: str,
    discharge_at: str,
    *,
    needs_changed: bool = False,
    practical_help_only: bool = False,
    municipal_nursing: bool = True,
    destination: str = "own_home",
    rehabilitation_needed: bool = False,
) -> dict[str, Any]:
    return {
        "at": at,
        "type": "discharge_planned",
        "discharge_at": discharge_at,
        "needs_changed": needs_changed,
        "practical_help_only": practical_help_only,
        "municipal_nursing": municipal_nursing,
        "destination": destination,
        "rehabilitation_needed": rehabilitation_needed,
    }


def event(at: str, kind: str, **fields: Any) -> dict[str, Any]:
    """Any other event: `event("...", "phone_agreement", discharge_at="...")`."""
    return {"at": at, "type": kind, **fields}


def run(events: list[dict[str, Any]], *, now: str, profile: str = "hovedstaden", **citizen: Any):
    """Parse the timeline and evaluate it with the default profile, as the replay command does."""
    from coordination.rules import PROFILES, evaluate, parse_timeline

    replay = parse_timeline(timeline(events, now=now, profile=profile, **citizen))
    return evaluate(replay.events, replay.citizen, PROFILES[replay.profile], replay.now)


def obligations_of(evaluation: Any, rule: str) -> list[Any]:
    return [o for o in evaluation.obligations if o.rule == rule]


def only(evaluation: Any, rule: str) -> Any:
    """The one obligation of `rule` (fails when there is none or more than one)."""
    found = obligations_of(evaluation, rule)
    assert len(found) == 1, f"expected one {rule}, found {found}"
    return found[0]


def at(value: str) -> datetime:
    """An ISO time with offset as an aware datetime (for comparing with the engine's times)."""
    return datetime.fromisoformat(value)


def rules_md() -> Path:
    """`../shared/domain/RULES.md` beside the repository, else its copy in `tests/data` (as examples_dir)."""
    here = Path(__file__).resolve()
    shared = here.parents[2] / "shared" / "domain" / "RULES.md"
    return shared if shared.is_file() else here.parent / "data" / "RULES.md"


def examples_dir() -> Path:
    """The worked examples: `../shared/domain/examples` beside the repository (the source of truth), else the
    copy in `tests/data/examples` so a clone on its own still runs them."""
    here = Path(__file__).resolve()
    shared = here.parents[2] / "shared" / "domain" / "examples"
    return shared if shared.is_dir() else here.parent / "data" / "examples"
