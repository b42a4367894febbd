"""R-FLOW and R-PSYK refusals, and the order in which refusals are asked."""

from __future__ import annotations

import pytest

from tests.replay_checks import admitted, event, km, message, pfp, planned, run

ADMITTED = admitted("2026-03-02T10:00:00+01:00")
LEFT = event("2026-03-05T10:00:00+01:00", "left_ward")
AFTER = "2026-03-05T11:00:00+01:00"


@pytest.mark.parametrize(
    ("events", "refused_index"),
    [
        ([ADMITTED, admitted("2026-03-03T10:00:00+01:00")], 1),  # a second admission
        ([ADMITTED, LEFT, event(AFTER, "left_ward")], 2),  # a second departure
        ([ADMITTED, LEFT, event(AFTER, "discharge_registered"), event(AFTER, "discharge_registered")], 3),
        (
            [ADMITTED, event("2026-03-04T10:00:00+01:00", "discharge_registered")],
            1,
        ),  # registered before leaving
        ([ADMITTED, LEFT, message(AFTER, "MILR")], 2),
        ([ADMITTED, LEFT, pfp(AFTER, "2026-03-05")], 2),
        ([ADMITTED, LEFT, planned(AFTER, "2026-03-06T10:00:00+01:00")], 2),
        ([ADMITTED, LEFT, event(AFTER, "phone_agreement", discharge_at="2026-03-06T10:00:00+01:00")], 2),
        ([ADMITTED, LEFT, event(AFTER, "treatment_resumed", reason="relapse")], 2),
        ([ADMITTED, LEFT, event(AFTER, "conference_planned", conference_at="2026-03-06T10:00:00+01:00")], 2),
    ],
    ids=[
        "second-admission",
        "second-departure",
        "second-registration",
        "registered-before-leaving",
        "milr-after-leaving",
        "pfp-after-leaving",
        "plan-after-leaving",
        "phone-after-leaving",
        "resume-after-leaving",
        "conference-after-leaving",
    ],
)
def test_events_that_break_the_course_are_refused_with_r_flow(events, refused_index):
    evaluation = run(events, now="2026-03-06T10:00:00+01:00")
    assert [(r.event, r.rule) for r in evaluation.rejected] == [(refused_index, "R-FLOW")]
    assert evaluation.rejected[0].key.startswith("flow.")  # a text key; the sentence is made when shown


@pytest.mark.parametrize(
    "late_event",
    [
        km(AFTER, "municipality", "Tak"),
        message(AFTER, "USR"),
        message(AFTER, "GOP"),
        event(AFTER, "message_read", code="ADVIS-UD", by="municipality"),
        event(AFTER, "discharge_registered"),
        event(AFTER, "rehabilitation_started"),
    ],
    ids=["km", "usr", "gop", "read", "discharge-registered", "rehabilitation"],
)
def test_after_the_departure_messages_reads_registration_and_rehabilitation_are_still_accepted(late_event):
    assert run([ADMITTED, LEFT, late_event], now="2026-03-06T10:00:00+01:00").rejected == ()


def test_a_refused_event_changes_nothing_and_raises_no_warning():
    events = [
        ADMITTED,
        LEFT,
        # after the departure: refused by R-FLOW; would otherwise warn R-FB-REASON and open a period
        event(AFTER, "faerdigbehandlet", date="2026-03-05"),
        event("2026-03-05T11:30:00+01:00", "discharge_registered"),
    ]
    evaluation = run(events, now="2026-03-08T10:00:00+01:00")
    assert [(r.event, r.rule) for r in evaluation.rejected] == [(2, "R-FLOW")]
    assert (evaluation.warnings, evaluation.periods, evaluation.days) == ((), (), 0)
    # the replay went on: the registration after the refused event was accepted
    assert evaluation.discharge_registered_at is not None


def test_r_flow_is_asked_before_the_faerdigbehandling_rules():
    events = [ADMITTED, LEFT, event(AFTER, "faerdigbehandlet", date="2026-03-09", waiting_for=["andet"])]
    # after the departure AND dated in the future AND terminal: R-FLOW comes first
    assert [r.rule for r in run(events, now="2026-03-06T10:00:00+01:00", terminal=True).rejected] == [
        "R-FLOW"
    ]


# --- R-PSYK -----------------------------------------------------------------------------------------

SOCIAL = {"known_in_eoj": False, "social_area": True}


@pytest.mark.parametrize("code", ["ILR", "MILR", "GOP", "USR"])
def test_midtjylland_refuses_reports_for_a_citizen_of_the_social_area(code):
    evaluation = run(
        [ADMITTED, message("2026-03-03T10:00:00+01:00", code)],
        now="2026-03-04T10:00:00+01:00",
        profile="midtjylland",
        **SOCIAL,
    )
    assert [(r.event, r.rule) for r in evaluation.rejected] == [(1, "R-PSYK")]


def test_psyk_refuses_a_pfp_and_lets_km_through():
    events = [
        ADMITTED,
        pfp("2026-03-03T10:00:00+01:00", "2026-03-05"),
        km("2026-03-03T11:00:00+01:00", "hospital"),
    ]
    evaluation = run(events, now="2026-03-04T10:00:00+01:00", profile="midtjylland", **SOCIAL)
    assert [(r.event, r.rule) for r in evaluation.rejected] == [(1, "R-PSYK")]


def test_psyk_leaves_out_the_duties_that_need_those_reports():
    events = [
        ADMITTED,
        message("2026-03-02T10:01:00+01:00", "ADVIS-IND"),
        planned("2026-03-03T10:00:00+01:00", "2026-03-05T10:00:00+01:00", rehabilitation_needed=True),
        event("2026-03-03T11:00:00+01:00", "phone_agreement", discharge_at="2026-03-05T10:00:00+01:00"),
    ]
    evaluation = run(
        events, now="2026-03-04T10:00:00+01:00", profile="midtjylland", residence="plejebolig", **SOCIAL
    )
    listed = {o.rule for o in evaluation.obligations}
    assert listed.isdisjoint({"R-MILR", "R-PFP-DATE", "R-GOP-SEND", "R-USR"})
    # the same course for a citizen in elderly care has them
    in_care = run(events, now="2026-03-04T10:00:00+01:00", profile="midtjylland", social_area=True)
    assert {"R-MILR", "R-PFP-DATE", "R-GOP-SEND", "R-USR"} <= {o.rule for o in in_care.obligations}


@pytest.mark.parametrize(
    ("profile", "citizen"),
    [
        ("hovedstaden", SOCIAL),  # R-PSYK is midtjylland's
        (
            "midtjylland",
            {"known_in_eoj": True, "social_area": True},
        ),  # also in elderly care: reports are used
        ("midtjylland", {"known_in_eoj": False, "social_area": False}),
    ],
)
def test_psyk_refuses_nothing_elsewhere(profile, citizen):
    evaluation = run(
        [ADMITTED, message("2026-03-03T10:00:00+01:00", "USR")],
        now="2026-03-04T10:00:00+01:00",
        profile=profile,
        **citizen,
    )
    assert evaluation.rejected == ()
