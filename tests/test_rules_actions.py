"""What a side can do now and why each deadline is what it is (issue 14), judged by the pure engine.

Each step (event type + message code) is judged at `now` as the refusal rules would judge it; each open
obligation names the step that meets it; each deadline-making rule says this case's arithmetic (`why`)."""

from __future__ import annotations

import pytest

from coordination.rules import engine
from coordination.rules.flow import FULFILLED_BY
from coordination.rules.registry import DUTY
from coordination.rules.types import Step
from tests.replay_checks import admitted, event, km, message, only, pfp, planned, run

ADVIS = "2026-03-02T10:05:00+01:00"
ADMITTED = admitted("2026-03-02T10:00:00+01:00")
LEFT = event("2026-03-05T10:00:00+01:00", "left_ward")
NOW = "2026-03-06T10:00:00+01:00"


def judged(evaluation, step: Step):
    return next(s for s in evaluation.steps if s.step == step)


def available(evaluation) -> set[str]:
    return {s.step.key for s in evaluation.available_steps}


# --- Which steps the engine would refuse now -------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "step", "rule"),
    [
        # the discharge registered once already: a second is refused
        (
            [ADMITTED, LEFT, event("2026-03-05T11:00:00+01:00", "discharge_registered")],
            Step("discharge_registered"),
            "R-FLOW",
        ),
        # the citizen has not left: the discharge cannot be registered yet
        ([ADMITTED], Step("discharge_registered"), "R-FLOW"),
        # after leaving: no PFP, no plan, no phone agreement, no second departure
        ([ADMITTED, LEFT], Step("message", "PFP"), "R-FLOW"),
        ([ADMITTED, LEFT], Step("discharge_planned"), "R-FLOW"),
        ([ADMITTED, LEFT], Step("phone_agreement"), "R-FLOW"),
        ([ADMITTED, LEFT], Step("left_ward"), "R-FLOW"),
        ([ADMITTED, LEFT], Step("faerdigbehandlet"), "R-FLOW"),
        # no MOF yet: nothing to dispute
        ([ADMITTED], Step("mof_disputed"), "R-FB-DISPUTE"),
        # no open færdigbehandling period: nothing to resume
        ([ADMITTED], Step("treatment_resumed"), "R-FB-RESUME"),
        # rehabilitation before the departure meets nothing (R-GOP-START counts only a start after it)
        ([ADMITTED], Step("rehabilitation_started"), "R-GOP-START"),
        # færdigbehandlet while a period is open
        (
            [ADMITTED, event("2026-03-04T09:00:00+01:00", "faerdigbehandlet", date="2026-03-04")],
            Step("faerdigbehandlet"),
            "R-FB-REG",
        ),
    ],
    ids=[
        "discharge-twice",
        "discharge-before-leaving",
        "pfp-after-leaving",
        "plan-after-leaving",
        "phone-after-leaving",
        "second-departure",
        "fb-after-leaving",
        "dispute-without-mof",
        "resume-without-period",
        "rehabilitation-before-leaving",
        "fb-while-open",
    ],
)
def test_a_step_the_engine_would_refuse_now_is_not_available(events, step, rule):
    evaluation = run(events, now=NOW)
    refused = judged(evaluation, step)
    assert not refused.available
    assert refused.rule == rule
    assert refused.refused.key  # a text key; the sentence is made when shown
    assert step.key not in available(evaluation)


def test_after_leaving_only_km_usr_gop_the_registration_rehabilitation_and_facts_remain():
    evaluation = run([ADMITTED, LEFT], now=NOW)
    assert available(evaluation) == {
        "message:KM",
        "message:USR",
        "message:GOP",
        "discharge_registered",
        "rehabilitation_started",
        "citizen_changed",
        "sharing_wishes",  # § 41: a change of mind may come after the departure too
        "message_read",
    }


def test_a_dispute_is_available_once_there_is_a_mof():
    mof = event("2026-03-04T09:00:00+01:00", "faerdigbehandlet", date="2026-03-04")
    evaluation = run([ADMITTED, mof], now=NOW)
    assert "mof_disputed" in available(evaluation)
    assert "treatment_resumed" in available(evaluation)


def test_psyk_refuses_the_reports_so_they_are_not_available():
    evaluation = run([ADMITTED], now=NOW, profile="midtjylland", known_in_eoj=False, social_area=True)
    assert judged(evaluation, Step("message", "PFP")).rule == "R-PSYK"
    assert "message:KM" in available(evaluation)


# --- Which open obligation each step meets ---------------------------------------------------------------


def test_every_duty_rule_with_a_step_names_it():
    duties = {unit.id for unit in engine.RULES if unit.kind == DUTY}
    assert duties == set(FULFILLED_BY)


def test_the_milr_step_meets_the_open_milr_and_the_obligation_names_its_step():
    evaluation = run([ADMITTED, message(ADVIS, "ADVIS-IND")], now="2026-03-02T12:00:00+01:00")
    milr = only(evaluation, "R-MILR")
    assert milr.step == "message:MILR"
    assert judged(evaluation, Step("message", "MILR")).meets == ("R-MILR",)


def test_a_met_duty_is_met_by_no_step():
    events = [ADMITTED, message(ADVIS, "ADVIS-IND"), message("2026-03-02T11:00:00+01:00", "MILR")]
    evaluation = run(events, now="2026-03-02T12:00:00+01:00")
    assert judged(evaluation, Step("message", "MILR")).meets == ()


def test_after_leaving_the_pfp_meets_nothing_and_the_missed_pfp_duty_has_no_step():
    events = [ADMITTED, planned("2026-03-03T10:00:00+01:00", "2026-03-05T10:00:00+01:00"), LEFT]
    evaluation = run(events, now=NOW)
    pfp_date = only(evaluation, "R-PFP-DATE")
    assert not pfp_date.possible
    assert pfp_date.step == ""
    assert judged(evaluation, Step("message", "USR")).meets == ("R-USR",)


def test_municipality_contact_is_met_by_a_km_or_a_recorded_contact():
    events = [ADMITTED, pfp("2026-03-03T10:00:00+01:00", "2026-03-06", certain=False, coordination=True)]
    evaluation = run(events, now="2026-03-03T12:00:00+01:00")
    assert only(evaluation, "R-MUN-24H").step == "message:KM"
    assert "R-MUN-24H" in judged(evaluation, Step("municipality_contacted")).meets
    assert "R-MUN-24H" in judged(evaluation, Step("message", "KM")).meets


# --- Why each deadline is what it is ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("advis", "key", "due"),
    [
        # advis 23:10, night shift (23:00-07:00) -> due 10:00 the next morning
        ("2026-03-02T23:10:00+01:00", "why.milr_night", "2026-03-03T10:00:00+01:00"),
        # advis 03:00, night shift -> due 10:00 the same morning
        ("2026-03-03T03:00:00+01:00", "why.milr_night", "2026-03-03T10:00:00+01:00"),
        # advis 10:05, day -> 8 elapsed hours -> due 18:05
        ("2026-03-02T10:05:00+01:00", "why.milr_hours", "2026-03-02T18:05:00+01:00"),
    ],
    ids=["night-before-midnight", "night-after-midnight", "day"],
)
def test_milr_says_when_the_advis_came_and_which_shift(advis, key, due):
    evaluation = run([ADMITTED, message(advis, "ADVIS-IND")], now="2026-03-03T04:00:00+01:00")
    why = only(evaluation, "R-MILR").why
    assert why.key == key
    assert why.params["base"] == "message:ADVIS-IND"
    assert why.params["at"] == advis
    assert why.params["due"] == due
    if key == "why.milr_night":
        assert (why.params["shift_start"], why.params["shift_end"]) == ("23:00", "07:00")
    else:
        assert why.params["hours"] == 8


def test_pfp_date_names_the_date_and_the_day_before():
    # færdigbehandlingsdato 5 Dec (from the PFP) -> certain PFP at the latest 13:00 on 4 Dec
    events = [
        admitted("2026-12-01T10:00:00+01:00"),
        pfp("2026-12-02T10:00:00+01:00", "2026-12-05", certain=False),
    ]
    evaluation = run(events, now="2026-12-03T10:00:00+01:00")
    why = only(evaluation, "R-PFP-DATE").why
    assert why.key == "why.pfp_date"
    assert why.params["base"] == "message:PFP"
    assert why.params["date"] == "2026-12-05"
    assert (why.params["due_time"], why.params["days_before"]) == ("13:00", 1)
    assert why.params["due"] == "2026-12-04T13:00:00+01:00"


def test_pfp_date_in_midtjylland_has_no_due_and_says_so():
    events = [
        admitted("2026-12-01T10:00:00+01:00"),
        pfp("2026-12-02T10:00:00+01:00", "2026-12-05", certain=False),
    ]
    evaluation = run(events, now="2026-12-03T10:00:00+01:00", profile="midtjylland")
    assert only(evaluation, "R-PFP-DATE").why.key == "why.pfp_date_no_due"


def test_gop_start_counts_seven_calendar_days_from_the_departure():
    # left Friday 4 Dec 15:00, GOP sent -> rehabilitation starts at the latest by the end of Friday 11 Dec
    events = [
        admitted("2026-12-01T10:00:00+01:00"),
        message("2026-12-04T14:00:00+01:00", "GOP"),
        event("2026-12-04T15:00:00+01:00", "left_ward"),
    ]
    evaluation = run(events, now="2026-12-05T10:00:00+01:00")
    why = only(evaluation, "R-GOP-START").why
    assert why.key == "why.gop_start"
    assert why.params["at"] == "2026-12-04T15:00:00+01:00"
    assert (why.params["days"], why.params["day"]) == (7, "2026-12-11")
    assert why.params["due"] == "2026-12-12T00:00:00+01:00"


def test_a_question_about_the_gop_is_answered_the_next_weekday():
    # KM "Genoptræningsplan …" Friday 4 Dec -> answer by the end of Monday 7 Dec
    events = [
        admitted("2026-12-01T10:00:00+01:00"),
        km("2026-12-04T12:00:00+01:00", "municipality", "Genoptræningsplan"),
    ]
    evaluation = run(events, now="2026-12-04T13:00:00+01:00", profile="sjaelland")
    why = only(evaluation, "R-GOP-ANSWER").why
    assert (why.key, why.params["day"]) == ("why.gop_answer", "2026-12-07")


def test_the_discharge_is_registered_two_hours_after_leaving():
    # left 10:00 -> registration at the latest 12:00
    evaluation = run([ADMITTED, LEFT], now=NOW)
    why = only(evaluation, "R-ADVIS-UD").why
    assert (why.key, why.params["hours"], why.params["due"]) == (
        "why.hours_after",
        2,
        "2026-03-05T12:00:00+01:00",
    )


def test_call_13_names_why_a_call_is_due():
    # planned discharge 14:00, needs changed -> call before 14:00
    events = [ADMITTED, planned("2026-03-03T10:00:00+01:00", "2026-03-04T14:00:00+01:00", needs_changed=True)]
    why = only(run(events, now="2026-03-03T11:00:00+01:00"), "R-CALL-13").why
    assert why.key == "why.call_13"
    assert why.params["reasons"] == ["afternoon", "needs_changed"]


def test_a_rule_with_no_special_arithmetic_says_base_and_no_due():
    events = [ADMITTED, event("2026-03-03T10:00:00+01:00", "coordination_identified", reason="Hjælpemidler")]
    why = only(run(events, now="2026-03-03T11:00:00+01:00"), "R-PFP-COORD").why
    assert why.key == "why.generic"
    assert (why.params["base"], why.params["due"]) == ("coordination_identified", None)


def test_every_obligation_says_why():
    events = [
        ADMITTED,
        message(ADVIS, "ADVIS-IND"),
        event("2026-03-02T12:00:00+01:00", "coordination_identified", reason="Hjælpemidler"),
        pfp("2026-03-03T10:00:00+01:00", "2026-03-05", coordination=True),
        planned("2026-03-03T11:00:00+01:00", "2026-03-05T14:00:00+01:00", rehabilitation_needed=True),
        event("2026-03-03T12:00:00+01:00", "conference_planned", conference_at="2026-03-04T10:00:00+01:00"),
        event("2026-03-04T09:00:00+01:00", "faerdigbehandlet", date="2026-03-04"),
        message("2026-03-05T09:00:00+01:00", "GOP"),
        km("2026-03-05T09:30:00+01:00", "municipality", "Genoptræningsplan spørgsmål"),
        LEFT,
    ]
    for profile in ("hovedstaden", "sjaelland", "midtjylland"):
        evaluation = run(events, now=NOW, profile=profile)
        assert evaluation.obligations
        for obligation in evaluation.obligations:
            assert obligation.why is not None, obligation.rule
            assert obligation.why.key.startswith("why."), obligation.rule
