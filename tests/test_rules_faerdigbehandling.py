"""R-FB-DEF, R-FB-FEE, R-FB-REG, R-FB-REASON, R-FB-PRECOND, R-FB-RESUME, R-FB-TERMINAL, R-FB-DISPUTE."""

from __future__ import annotations

from datetime import date

import pytest

from coordination.rules import FB_CHECKLIST, to_replay_dict
from tests.replay_checks import admitted, event, pfp, run


def fb(at: str, day: str, *reasons: str) -> dict:
    return event(at, "faerdigbehandlet", date=day, waiting_for=list(reasons) or None)


def resumed(at: str, reason: str = "relapse") -> dict:
    return event(at, "treatment_resumed", reason=reason)


ADMITTED = admitted("2026-03-02T10:00:00+01:00")


# --- R-FB-DEF ---------------------------------------------------------------------------------------


def test_the_readiness_checklist_names_the_five_conditions_of_the_definition():
    assert [item.code for item in FB_CHECKLIST] == [
        "treatment_done",
        "rehabilitation_plan",
        "administrative_tasks",
        "patient_informed",
        "discharge_agreed",
    ]
    assert "FMK" in FB_CHECKLIST[2].text


# --- R-FB-FEE ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "now", "days", "ended"),
    [
        # registered 4 March, now 6 March: 5th and 6th are paid -> 2 days
        ([fb("2026-03-04T10:00:00+01:00", "2026-03-04", "plejebolig")], "2026-03-06T10:00:00+01:00", 2, None),
        # registered today: 0 days yet
        ([fb("2026-03-04T10:00:00+01:00", "2026-03-04", "plejebolig")], "2026-03-04T23:59:00+01:00", 0, None),
        # registered 4 March, left 9 March -> 5 days
        (
            [
                fb("2026-03-04T10:00:00+01:00", "2026-03-04", "plejebolig"),
                event("2026-03-09T10:00:00+01:00", "left_ward"),
            ],
            "2026-03-20T10:00:00+01:00",
            5,
            "2026-03-09",
        ),
        # registered 4 March, relapse 6 March -> 2 days
        (
            [
                fb("2026-03-04T10:00:00+01:00", "2026-03-04", "plejebolig"),
                resumed("2026-03-06T08:00:00+01:00"),
            ],
            "2026-03-20T10:00:00+01:00",
            2,
            "2026-03-06",
        ),
        # left 00:30 +01:00 on 10 March is still 10 March in Copenhagen (23:30Z on the 9th)
        (
            [
                fb("2026-03-04T10:00:00+01:00", "2026-03-04", "plejebolig"),
                event("2026-03-09T23:30:00Z", "left_ward"),
            ],
            "2026-03-20T10:00:00+01:00",
            6,
            "2026-03-10",
        ),
        # a registration dated back to the day before it was made counts from that date
        ([fb("2026-03-05T09:00:00+01:00", "2026-03-04", "plejebolig")], "2026-03-05T10:00:00+01:00", 1, None),
    ],
    ids=["open", "same-day", "left", "relapse", "copenhagen-date", "backdated"],
)
def test_fee_days_run_from_the_day_after_registration_to_the_day_the_period_ends(events, now, days, ended):
    evaluation = run([ADMITTED, *events], now=now)
    (period,) = evaluation.periods
    assert (period.days, period.ended, evaluation.days) == (
        days,
        date.fromisoformat(ended) if ended else None,
        days,
    )


def test_two_periods_with_a_relapse_between_add_up_and_show_in_the_replay_output():
    events = [
        ADMITTED,
        fb("2026-03-04T10:00:00+01:00", "2026-03-04", "hjaelpemidler"),
        resumed("2026-03-06T10:00:00+01:00"),
        fb("2026-03-08T10:00:00+01:00", "2026-03-08", "plejebolig", "hjemmepleje"),
        event("2026-03-11T10:00:00+01:00", "left_ward"),
    ]
    evaluation = run(events, now="2026-03-12T10:00:00+01:00")
    assert to_replay_dict(evaluation)["faerdigbehandling"] == {
        "periods": [
            {
                "registered": "2026-03-04",
                "ended": "2026-03-06",
                "days": 2,
                "voided": False,
                "waiting_for": ["hjaelpemidler"],
            },
            {
                "registered": "2026-03-08",
                "ended": "2026-03-11",
                "days": 3,
                "voided": False,
                "waiting_for": ["plejebolig", "hjemmepleje"],
            },
        ],
        "days": 5,
    }
    assert evaluation.faerdigbehandlet_on is None


# --- R-FB-RESUME ------------------------------------------------------------------------------------


def test_a_registration_made_by_mistake_is_voided_with_zero_days_ended_on_the_resumption_date():
    events = [
        ADMITTED,
        fb("2026-03-04T10:00:00+01:00", "2026-03-04", "plejebolig"),
        resumed("2026-03-07T09:00:00+01:00", "error"),
    ]
    evaluation = run(events, now="2026-03-10T10:00:00+01:00")
    (period,) = evaluation.periods
    assert (period.voided, period.days, period.ended, evaluation.days) == (True, 0, date(2026, 3, 7), 0)


def test_a_resumption_without_an_open_period_is_refused():
    evaluation = run([ADMITTED, resumed("2026-03-03T09:00:00+01:00")], now="2026-03-04T10:00:00+01:00")
    assert [(r.event, r.rule) for r in evaluation.rejected] == [(1, "R-FB-RESUME")]


# --- R-FB-REG refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "registration", "refused"),
    [
        ([], fb("2026-03-04T10:00:00+01:00", "2026-03-05", "plejebolig"), True),  # dated tomorrow
        (
            [],
            fb("2026-03-04T10:00:00+01:00", "2026-03-01", "plejebolig"),
            True,
        ),  # before the admission's date
        (
            [],
            fb("2026-03-04T10:00:00+01:00", "2026-03-02", "plejebolig"),
            False,
        ),  # the admission's date is fine
        (
            [fb("2026-03-03T10:00:00+01:00", "2026-03-03", "plejebolig")],
            fb("2026-03-04T10:00:00+01:00", "2026-03-04", "plejebolig"),
            True,
        ),  # another is open
        # an earlier period ended 6 March (relapse): 6 March would be paid twice; 7 March is fine
        (
            [
                fb("2026-03-03T10:00:00+01:00", "2026-03-03", "plejebolig"),
                resumed("2026-03-06T10:00:00+01:00"),
            ],
            fb("2026-03-07T10:00:00+01:00", "2026-03-06", "plejebolig"),
            True,
        ),
        (
            [
                fb("2026-03-03T10:00:00+01:00", "2026-03-03", "plejebolig"),
                resumed("2026-03-06T10:00:00+01:00"),
            ],
            fb("2026-03-07T10:00:00+01:00", "2026-03-07", "plejebolig"),
            False,
        ),
        # a voided period blocks nothing
        (
            [
                fb("2026-03-03T10:00:00+01:00", "2026-03-03", "plejebolig"),
                resumed("2026-03-06T10:00:00+01:00", "error"),
            ],
            fb("2026-03-06T11:00:00+01:00", "2026-03-04", "plejebolig"),
            False,
        ),
    ],
    ids=[
        "future-date",
        "before-admission",
        "admission-date",
        "another-open",
        "paid-twice",
        "next-day",
        "after-void",
    ],
)
def test_registrations_that_would_pay_a_day_wrongly_are_refused(earlier, registration, refused):
    evaluation = run([ADMITTED, *earlier, registration], now="2026-03-08T10:00:00+01:00")
    index = 1 + len(earlier)
    assert [(r.event, r.rule) for r in evaluation.rejected] == ([(index, "R-FB-REG")] if refused else [])


def test_a_registration_after_the_departure_is_refused_by_r_flow():
    events = [
        ADMITTED,
        event("2026-03-05T10:00:00+01:00", "left_ward"),
        fb("2026-03-05T11:00:00+01:00", "2026-03-05", "andet"),
    ]
    assert [r.rule for r in run(events, now="2026-03-06T10:00:00+01:00").rejected] == ["R-FLOW"]


# --- R-FB-TERMINAL ----------------------------------------------------------------------------------


def test_terminal_patients_are_never_registered_faerdigbehandlet():
    events = [ADMITTED, fb("2026-03-04T10:00:00+01:00", "2026-03-04", "plejebolig")]
    evaluation = run(events, now="2026-03-06T10:00:00+01:00", terminal=True)
    assert [(r.event, r.rule) for r in evaluation.rejected] == [(1, "R-FB-TERMINAL")]
    assert (evaluation.periods, evaluation.days) == ((), 0)


def test_terminal_is_refused_before_the_registration_rules_are_asked():
    # dated in the future AND terminal: R-FB-TERMINAL comes first in the order
    events = [ADMITTED, fb("2026-03-04T10:00:00+01:00", "2026-03-09", "plejebolig")]
    assert [r.rule for r in run(events, now="2026-03-06T10:00:00+01:00", terminal=True).rejected] == [
        "R-FB-TERMINAL"
    ]


# --- warnings: R-FB-REASON, R-FB-REG mismatch, R-FB-PRECOND -----------------------------------------


@pytest.mark.parametrize("profile", ["hovedstaden", "sjaelland", "midtjylland"])
def test_a_registration_without_a_reason_is_warned_in_every_profile(profile):
    evaluation = run(
        [ADMITTED, fb("2026-03-04T10:00:00+01:00", "2026-03-04")],
        now="2026-03-05T10:00:00+01:00",
        profile=profile,
    )
    assert [(w.rule, w.event) for w in evaluation.warnings if w.rule == "R-FB-REASON"] == [("R-FB-REASON", 1)]
    assert evaluation.days == 1  # still registered


@pytest.mark.parametrize(
    ("stay", "given", "registered", "warned"),
    [
        # over 48 h: compared with the newest PFP's date (certain or not)
        ("over_48h", pfp("2026-03-03T10:00:00+01:00", "2026-03-04", certain=False), "2026-03-04", False),
        ("over_48h", pfp("2026-03-03T10:00:00+01:00", "2026-03-05", certain=True), "2026-03-04", True),
        # over 48 h: a phone agreement is not what counts
        (
            "over_48h",
            event("2026-03-03T10:00:00+01:00", "phone_agreement", discharge_at="2026-03-05T10:00:00+01:00"),
            "2026-03-04",
            False,
        ),
        # short stay: compared with the newest phone agreement's date
        (
            "under_48h",
            event("2026-03-03T10:00:00+01:00", "phone_agreement", discharge_at="2026-03-05T10:00:00+01:00"),
            "2026-03-03",
            True,
        ),
        (
            "under_48h",
            event("2026-03-03T10:00:00+01:00", "phone_agreement", discharge_at="2026-03-03T15:00:00+01:00"),
            "2026-03-03",
            False,
        ),
    ],
    ids=[
        "long-pfp-same",
        "long-pfp-differs",
        "long-phone-ignored",
        "short-phone-differs",
        "short-phone-same",
    ],
)
def test_the_mof_date_must_agree_with_the_date_given_earlier(stay, given, registered, warned):
    # the registration is made 3 March 11:00 for short stays (25 h after admission), 4 March for long
    made_at = "2026-03-03T11:00:00+01:00" if stay == "under_48h" else "2026-03-04T11:00:00+01:00"
    events = [admitted("2026-03-02T10:00:00+01:00", stay=stay), given, fb(made_at, registered, "plejebolig")]
    evaluation = run(events, now="2026-03-05T10:00:00+01:00")
    assert [w.rule for w in evaluation.warnings if w.rule == "R-FB-REG"] == (["R-FB-REG"] if warned else [])
    if warned:
        assert evaluation.warnings[0].params["registered"] == registered


def test_a_short_stay_that_passed_48_hours_is_compared_with_the_pfp():
    events = [
        admitted("2026-03-02T10:00:00+01:00", stay="under_48h"),
        pfp("2026-03-03T10:00:00+01:00", "2026-03-05", certain=False),
        fb("2026-03-04T10:00:00+01:00", "2026-03-04", "plejebolig"),  # exactly 48 h after admission
    ]
    assert "R-FB-REG" in [w.rule for w in run(events, now="2026-03-05T10:00:00+01:00").warnings]


def test_the_mismatch_warning_is_hovedstadens():
    events = [
        ADMITTED,
        pfp("2026-03-03T10:00:00+01:00", "2026-03-05"),
        fb("2026-03-04T10:00:00+01:00", "2026-03-04", "andet"),
    ]
    assert run(events, now="2026-03-05T10:00:00+01:00", profile="sjaelland").warnings == ()


def test_registering_while_the_pfp_date_duty_is_overdue_warns_that_the_fee_may_be_disputed():
    # PFP names 4 March (uncertain) -> due 3 March 13:00; no certain PFP; registration 4 March 10:00
    events = [
        ADMITTED,
        pfp("2026-03-02T12:00:00+01:00", "2026-03-04", certain=False),
        fb("2026-03-04T10:00:00+01:00", "2026-03-04", "plejebolig"),
    ]
    evaluation = run(events, now="2026-03-05T10:00:00+01:00")
    assert [(w.rule, w.event) for w in evaluation.warnings] == [("R-FB-PRECOND", 2)]
    assert run(events, now="2026-03-05T10:00:00+01:00", profile="sjaelland").warnings == ()


def test_a_pfp_date_met_in_time_raises_no_precondition_warning_and_later_events_do_not_matter():
    events = [
        ADMITTED,
        pfp("2026-03-02T12:00:00+01:00", "2026-03-04", certain=True),
        fb("2026-03-04T10:00:00+01:00", "2026-03-04", "plejebolig"),
        event("2026-03-05T09:00:00+01:00", "phone_agreement", discharge_at="2026-03-09T10:00:00+01:00"),
    ]
    assert run(events, now="2026-03-05T10:00:00+01:00").warnings == ()


# --- R-FB-DISPUTE -----------------------------------------------------------------------------------


def test_a_mof_can_be_marked_disputed_without_changing_its_days():
    events = [
        ADMITTED,
        fb("2026-03-04T10:00:00+01:00", "2026-03-04", "plejebolig"),
        event("2026-03-09T10:00:00+01:00", "left_ward"),
        event("2026-03-20T10:00:00+01:00", "mof_disputed", note="PFP kom for sent"),
    ]
    evaluation = run(events, now="2026-03-21T10:00:00+01:00")
    (period,) = evaluation.periods
    assert (period.disputed, period.dispute_note, period.days) == (True, "PFP kom for sent", 5)
    assert evaluation.rejected == ()


def test_a_dispute_without_a_mof_is_refused():
    events = [
        ADMITTED,
        fb("2026-03-04T10:00:00+01:00", "2026-03-04", "plejebolig"),
        resumed("2026-03-04T12:00:00+01:00", "error"),
        event("2026-03-05T10:00:00+01:00", "mof_disputed", note="?"),
    ]
    evaluation = run(events, now="2026-03-06T10:00:00+01:00")
    assert [(r.event, r.rule) for r in evaluation.rejected] == [(3, "R-FB-DISPUTE")]
    assert evaluation.periods[0].disputed is False
