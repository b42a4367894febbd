"""Where each fact came from (issue 12): the engine names the event that states each fact in force, so the
admission page can show its source beside it. Events are numbered by their place in the timeline."""

from __future__ import annotations

from tests.replay_checks import admitted, event, pfp, planned, run

# 0 admitted Mon 2 Feb 08:00; 1 PFP (5 Feb expected); 2 plan 6 Feb 10:00; 3 PFP (5 Feb certain);
# 4 a later plan (6 Feb 14:00) replaces plan 2; 5 phone agreement 6 Feb 14:00
COURSE = [
    admitted("2026-02-02T08:00:00+01:00"),
    pfp("2026-02-03T09:00:00+01:00", "2026-02-05", certain=False),
    planned("2026-02-03T09:30:00+01:00", "2026-02-06T10:00:00+01:00"),
    pfp("2026-02-03T10:00:00+01:00", "2026-02-05", certain=True),
    planned("2026-02-04T09:00:00+01:00", "2026-02-06T14:00:00+01:00"),
    event("2026-02-04T12:00:00+01:00", "phone_agreement", discharge_at="2026-02-06T14:00:00+01:00"),
]
NOW = "2026-02-04T13:00:00+01:00"


def test_each_fact_names_the_newest_event_that_states_it():
    sources = run(COURSE, now=NOW).sources
    assert sources == {
        "admitted_at": 0,
        "citizen": 0,  # the citizen's facts as recorded with the admission
        "expected_faerdigbehandlet_on": 3,  # the newest PFP
        "planned_discharge_at": 4,  # the later plan replaced plan 2
        "agreed_discharge_at": 5,
    }


def test_a_fact_from_an_event_entered_in_error_falls_back_to_the_one_before():
    # PFP 3 entered in error (event 6): the date in force is PFP 1's again, and so is its source
    events = [*COURSE, event("2026-02-04T12:30:00+01:00", "entered_in_error", event=3, reason="Forkert")]
    sources = run(events, now=NOW).sources
    assert sources["expected_faerdigbehandlet_on"] == 1


def test_departure_registration_faerdigbehandling_and_a_changed_citizen_name_their_events():
    events = [
        *COURSE,
        # 6 færdigbehandlet 5 Feb; 7 citizen changed (moved to a plejebolig); 8 left; 9 registered
        event("2026-02-05T09:00:00+01:00", "faerdigbehandlet", date="2026-02-05"),
        event("2026-02-05T10:00:00+01:00", "citizen_changed", residence="plejebolig", reason="Flyttet"),
        event("2026-02-06T14:05:00+01:00", "left_ward"),
        event("2026-02-06T15:00:00+01:00", "discharge_registered"),
    ]
    evaluation = run(events, now="2026-02-06T16:00:00+01:00")
    assert evaluation.faerdigbehandlet_on is None  # the departure ended the period: no fact, no source
    assert {k: evaluation.sources.get(k) for k in ("citizen", "left_at", "discharge_registered_at")} == {
        "citizen": 7,
        "left_at": 8,
        "discharge_registered_at": 9,
    }
    before_leaving = run(events[:8], now="2026-02-05T12:00:00+01:00")
    assert (
        before_leaving.faerdigbehandlet_on.isoformat(),
        before_leaving.sources["faerdigbehandlet_on"],
    ) == (
        "2026-02-05",
        6,
    )
