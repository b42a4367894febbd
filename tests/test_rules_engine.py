"""The engine as a whole: the registry against RULES.md, the board facts, keys, reevaluate_at, the output,
and the rules' independence from Django and the clock."""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from coordination.rules import (
    PROFILES,
    RULES,
    Citizen,
    Event,
    evaluate,
    to_replay_dict,
)
from tests.replay_checks import admitted, at, event, message, pfp, planned, rules_md, run

RULES_DIR = Path(__file__).resolve().parents[1] / "coordination" / "rules"
# Monitoring and reporting rules are figures over many admissions (the reports), not rules of one admission;
# R-MIDT-NOTICE is a report figure too (færdigbehandlet date vs actual discharge date). R-FK and R-FK-QUALITY
# are judged per course (one admission's timeline, coordination/rules/forloeb.py); the report counts them.
NOT_PER_ADMISSION = {"R-MON-FB", "R-MON-TIMELY", "R-MIDT-NOTICE"}


def rule_ids_in_rules_md() -> set[str]:
    text = rules_md().read_text(encoding="utf-8")
    ids: set[str] = set()
    for bold in re.findall(r"\*\*([^*]+)\*\*", text):
        ids.update(re.findall(r"\bR-[A-Z0-9]+(?:-[A-Z0-9]+)*", bold))
    return ids


def test_every_rule_of_one_admission_in_rules_md_has_exactly_one_unit():
    defined = rule_ids_in_rules_md()
    assert {"R-MILR", "R-FLOW", "R-GOP-SEND", "R-GOP-START", "R-FB-DISPUTE"} <= defined  # the parse works
    implemented = [unit.id for unit in RULES]
    # R-CORRECTION is the product's (issue 12: corrections on the timeline), not an agreement's rule
    beyond_rules_md = {"R-CORRECTION"}
    assert len(implemented) == len(set(implemented)), "a rule id has two units"
    assert set(implemented) == (defined - NOT_PER_ADMISSION) | beyond_rules_md


def test_every_unit_names_its_seed_a_label_and_explains_itself():
    for unit in RULES:
        assert unit.label and unit.seed and len(unit.doc) > 40, unit


def test_the_rules_package_imports_no_django_and_reads_no_clock():
    for path in RULES_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("django") for a in node.names), path
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("django"), path
            if isinstance(node, ast.Attribute):
                assert (
                    node.attr not in ("now", "today", "utcnow")
                    or not isinstance(node.value, ast.Name)
                    or node.value.id not in ("datetime", "date", "time")
                ), f"{path}: reads the clock"


# --- evaluate with Event objects, as the services call it ---------------------------------------------

CITIZEN = Citizen(known_in_eoj=True, residence="own_home", social_area=False, terminal=False)


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def test_obligation_keys_use_the_event_id_or_else_the_list_index():
    events = [
        Event(
            "admitted",
            _at("2026-02-02T14:20:00+01:00"),
            {"expected_stay": "over_48h", "somatic": True},
            id=101,
        ),
        Event("message", _at("2026-02-02T14:21:00+01:00"), {"code": "ADVIS-IND"}, id=102),
        Event("message", _at("2026-02-02T14:22:00+01:00"), {"code": "ILR"}),
    ]
    evaluation = evaluate(events, CITIZEN, PROFILES["hovedstaden"], _at("2026-02-02T15:00:00+01:00"))
    assert sorted(o.key for o in evaluation.obligations) == ["R-MILR", "R-READ:102", "R-READ:2"]
    assert {o.label for o in evaluation.obligations} >= {"MILR sendes", "ADVIS-IND læses"}


def test_a_naive_now_is_rejected():
    with pytest.raises(ValueError):
        evaluate([], CITIZEN, PROFILES["hovedstaden"], datetime(2026, 1, 1, 12, 0))


def test_each_duty_is_judged_by_the_profile_version_in_force_on_its_trigger_date():
    # a later hovedstaden version (from 1 March 2026) gives the municipality 12 hours for the MILR
    later = replace(PROFILES["hovedstaden"], valid_from=date(2026, 3, 1), milr_due_hours=12)
    versions = [later, PROFILES["hovedstaden"]]  # any order

    def milr_due(advis_at: str) -> datetime:
        events = [
            Event("admitted", _at(advis_at), {"expected_stay": "over_48h", "somatic": True}),
            Event("message", _at(advis_at), {"code": "ADVIS-IND"}),
        ]
        (milr,) = [
            o for o in evaluate(events, CITIZEN, versions, _at(advis_at)).obligations if o.rule == "R-MILR"
        ]
        return milr.due

    assert milr_due("2026-02-28T10:00:00+01:00") == _at("2026-02-28T18:00:00+01:00")  # old version: 8 h
    assert milr_due("2026-03-01T10:00:00+01:00") == _at("2026-03-01T22:00:00+01:00")  # new version: 12 h
    # before the earliest version, the earliest applies
    only_later = [later]
    events = [
        Event("admitted", _at("2026-02-01T10:00:00+01:00"), {"expected_stay": "over_48h", "somatic": True}),
        Event("message", _at("2026-02-01T10:00:00+01:00"), {"code": "ADVIS-IND"}),
    ]
    (milr,) = [
        o
        for o in evaluate(events, CITIZEN, only_later, _at("2026-02-01T11:00:00+01:00")).obligations
        if o.rule == "R-MILR"
    ]
    assert milr.due == _at("2026-02-01T22:00:00+01:00")


# --- the board facts ----------------------------------------------------------------------------------


def test_the_board_facts_come_from_the_accepted_events():
    events = [
        admitted("2026-02-02T14:20:00+01:00"),
        pfp("2026-02-03T11:00:00+01:00", "2026-02-06", certain=False),
        pfp("2026-02-04T10:00:00+01:00", "2026-02-05", certain=True),
        planned("2026-02-04T11:00:00+01:00", "2026-02-05T14:00:00+01:00"),
        event("2026-02-04T11:15:00+01:00", "phone_agreement", discharge_at="2026-02-05T13:30:00+01:00"),
        event(
            "2026-02-04T12:00:00+01:00", "faerdigbehandlet", date="2026-02-04", waiting_for=["hjemmepleje"]
        ),
    ]
    evaluation = run(events, now="2026-02-04T13:00:00+01:00")
    assert evaluation.admitted_at == at("2026-02-02T14:20:00+01:00")
    assert evaluation.over_48h is True
    assert (evaluation.expected_faerdigbehandlet_on, evaluation.faerdigbehandlet_date_certain) == (
        date(2026, 2, 5),
        True,
    )
    assert evaluation.planned_discharge_at == at("2026-02-05T14:00:00+01:00")
    assert evaluation.agreed_discharge_at == at("2026-02-05T13:30:00+01:00")
    assert (evaluation.left_at, evaluation.discharge_registered_at) == (None, None)
    assert evaluation.faerdigbehandlet_on == date(2026, 2, 4)
    # an open period's days grow at the next Copenhagen midnight
    assert evaluation.reevaluate_at == at("2026-02-05T00:00:00+01:00")


def test_a_conference_discharge_time_is_the_agreed_discharge_when_it_is_the_newest():
    events = [
        admitted("2026-09-07T10:00:00+02:00"),
        event("2026-09-08T10:00:00+02:00", "phone_agreement", discharge_at="2026-09-12T10:00:00+02:00"),
        event("2026-09-10T11:00:00+02:00", "conference_held", discharge_at="2026-09-14T11:00:00+02:00"),
        event("2026-09-10T12:00:00+02:00", "conference_held"),  # fixed no time: changes nothing
    ]
    assert run(events, now="2026-09-10T13:00:00+02:00").agreed_discharge_at == at("2026-09-14T11:00:00+02:00")


def test_reevaluate_at_is_the_48_hour_mark_of_a_short_stay():
    events = [admitted("2026-03-27T10:00:00+01:00", stay="under_48h")]
    # 27 March 10:00 +01:00 (09:00Z) + 48 h = 29 March 09:00Z = 11:00 +02:00
    evaluation = run(events, now="2026-03-28T10:00:00+01:00")
    assert (evaluation.over_48h, evaluation.reevaluate_at) == (False, at("2026-03-29T11:00:00+02:00"))
    assert evaluation.reevaluate_at.isoformat() == "2026-03-29T11:00:00+02:00"
    after = run(events, now="2026-03-29T11:00:00+02:00")
    assert (after.over_48h, after.reevaluate_at) == (True, None)


def test_nothing_pending_means_no_reevaluation():
    events = [admitted("2026-02-02T10:00:00+01:00"), event("2026-02-03T10:00:00+01:00", "left_ward")]
    assert run(events, now="2026-02-04T10:00:00+01:00").reevaluate_at is None


# --- the replay output --------------------------------------------------------------------------------


def test_the_replay_output_has_exactly_replays_fields_with_copenhagen_offsets():
    events = [
        admitted("2026-03-28T09:00:00Z"),
        message("2026-03-28T19:00:00Z", "ADVIS-IND"),  # 20:00 +01:00 -> MILR due 05:00 +02:00
        event("2026-03-30T10:00:00+02:00", "faerdigbehandlet", date="2026-03-30"),
    ]
    output = to_replay_dict(run(events, now="2026-03-31T10:00:00+02:00"))
    assert set(output) == {
        "obligations",
        "faerdigbehandling",
        "extended_responsibility_until",
        "medicine_until",
        "warnings",
        "rejected",
    }
    milr = next(o for o in output["obligations"] if o["rule"] == "R-MILR")
    assert milr == {
        "rule": "R-MILR",
        "owner": "municipality",
        "due": "2026-03-29T05:00:00+02:00",
        "status": "overdue",
        "met_at": None,
    }
    read = next(o for o in output["obligations"] if o["rule"] == "R-READ")
    assert set(read) == {"rule", "owner", "due", "status", "met_at", "message"}
    assert output["warnings"][0]["rule"] == "R-FB-REASON" and set(output["warnings"][0]) == {
        "rule",
        "message",
    }
    assert output["faerdigbehandling"]["periods"][0]["waiting_for"] == []


def test_the_48_hours_are_elapsed_hours_across_the_march_change():
    # admitted 28 March 10:00 +01:00, left 30 March 10:30 +02:00: the wall clock says 48 h 30 min,
    # but only 47 h 30 min passed -> not over 48 hours, no PFP-date duty
    events = [
        admitted("2026-03-28T10:00:00+01:00", stay="under_48h"),
        event("2026-03-28T11:00:00+01:00", "phone_agreement", discharge_at="2026-03-30T10:30:00+02:00"),
        event("2026-03-30T10:30:00+02:00", "left_ward"),
    ]
    evaluation = run(events, now="2026-03-31T10:00:00+02:00")
    assert evaluation.over_48h is False
    assert [o.rule for o in evaluation.obligations if o.rule == "R-PFP-DATE"] == []
