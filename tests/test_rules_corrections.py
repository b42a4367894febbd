"""R-CORRECTION (issue 12): an event entered in error is left out of the timeline the rules judge, a
corrected event is judged with its corrected values; nothing is edited or deleted."""

from __future__ import annotations

import pytest

from coordination.rules import TimelineError, apply_corrections, parse_timeline
from tests.replay_checks import admitted, at, event, only, pfp, planned, run, timeline


def in_error(at_: str, target: int, reason: str = "Registreret på den forkerte borger") -> dict:
    return event(at_, "entered_in_error", event=target, reason=reason)


def corrected(at_: str, target: int, reason: str = "Forkert dato", **values) -> dict:
    return event(at_, "corrected", event=target, reason=reason, values=values)


ADMITTED = admitted("2026-02-02T08:00:00+01:00")  # a stay over 48 hours: R-PFP-DATE applies
# 0 admitted; 1 PFP naming Thursday 5 Feb as expected; 2 PFP naming it as certain (meets R-PFP-DATE)
PFPS = [
    ADMITTED,
    pfp("2026-02-03T09:00:00+01:00", "2026-02-05", certain=False),
    pfp("2026-02-03T10:00:00+01:00", "2026-02-05", certain=True),
]


def test_a_pfp_entered_in_error_brings_the_pfp_date_obligation_back_to_open():
    # D = 5 Feb -> due 13:00 the day before = 4 Feb 13:00; judged 3 Feb 12:00: met by PFP 2 at 10:00
    before = only(run(PFPS, now="2026-02-03T12:00:00+01:00"), "R-PFP-DATE")
    assert (before.status, before.met_at) == ("met", at("2026-02-03T10:00:00+01:00"))
    # PFP 2 in error: only PFP 1 (expected, not certain) is left -> open, still due 4 Feb 13:00
    events = [*PFPS, in_error("2026-02-03T11:00:00+01:00", 2, "Sendt med forkert dato")]
    after = only(run(events, now="2026-02-03T12:00:00+01:00"), "R-PFP-DATE")
    assert (after.status, after.due, after.met_at) == ("open", at("2026-02-04T13:00:00+01:00"), None)


def test_a_pfp_corrected_to_another_date_is_judged_with_that_date():
    # PFP 2's date corrected to 6 Feb: D = 6 Feb (the newest naming event), due 5 Feb 13:00; PFP 2 now names
    # 6 Feb as certain, after PFP 1 (which named another date) -> met by PFP 2 at its own time, 10:00
    events = [*PFPS, corrected("2026-02-03T11:00:00+01:00", 2, faerdigbehandlet_date="2026-02-06")]
    evaluation = run(events, now="2026-02-03T12:00:00+01:00")
    duty = only(evaluation, "R-PFP-DATE")
    assert (duty.due, duty.status, duty.met_at) == (
        at("2026-02-05T13:00:00+01:00"),
        "met",
        at("2026-02-03T10:00:00+01:00"),
    )
    assert evaluation.expected_faerdigbehandlet_on.isoformat() == "2026-02-06"
    (correction,) = evaluation.corrections
    assert (correction.event, correction.kind, correction.by, correction.reason) == (
        2,
        "corrected",
        3,
        "Forkert dato",
    )
    assert correction.values["faerdigbehandlet_date"].isoformat() == "2026-02-06"


# A plan for 6 Feb 14:00 (after 13:00) calls for R-CALL-13, met by the phone agreement of 5 Feb 10:00.
CALL = [
    ADMITTED,
    planned("2026-02-05T09:00:00+01:00", "2026-02-06T14:00:00+01:00"),
    event("2026-02-05T10:00:00+01:00", "phone_agreement", discharge_at="2026-02-06T14:00:00+01:00"),
]


@pytest.mark.parametrize(
    ("correction", "status", "agreed"),
    [
        # no correction: met at 10:00, agreed 6 Feb 14:00
        (None, "met", "2026-02-06T14:00:00+01:00"),
        # the agreement in error: no call made -> R-CALL-13 open again (due 6 Feb 14:00), nothing agreed
        (in_error("2026-02-05T11:00:00+01:00", 2), "open", None),
        # the agreed time corrected to 15:30: still met by the same call, the agreement says 15:30
        (
            corrected("2026-02-05T11:00:00+01:00", 2, discharge_at="2026-02-06T15:30:00+01:00"),
            "met",
            "2026-02-06T15:30:00+01:00",
        ),
    ],
    ids=["as-recorded", "in-error", "corrected-time"],
)
def test_a_phone_agreement_in_error_or_corrected(correction, status, agreed):
    events = CALL + ([correction] if correction else [])
    evaluation = run(events, now="2026-02-05T12:00:00+01:00")
    duty = only(evaluation, "R-CALL-13")
    assert (duty.status, duty.due) == (status, at("2026-02-06T14:00:00+01:00"))
    assert evaluation.agreed_discharge_at == (at(agreed) if agreed else None)
    assert evaluation.rejected == ()


def test_a_faerdigbehandlet_in_error_leaves_no_period_and_its_date_corrected_moves_the_period():
    # registered færdigbehandlet 3 Feb, left 6 Feb: fee days 4, 5, 6 Feb = 3
    fb = [
        ADMITTED,
        event("2026-02-03T12:00:00+01:00", "faerdigbehandlet", date="2026-02-03", waiting_for=["plejebolig"]),
        event("2026-02-06T10:00:00+01:00", "left_ward"),
    ]
    assert run(fb, now="2026-02-06T12:00:00+01:00").days == 3
    # in error: no period, no days; the departure after it still stands
    gone = run([*fb, in_error("2026-02-06T11:00:00+01:00", 1)], now="2026-02-06T12:00:00+01:00")
    assert (gone.periods, gone.days, gone.rejected) == ((), 0, ())
    assert gone.left_at == at("2026-02-06T10:00:00+01:00")
    # the date corrected to 2 Feb, the admission day (after the departure: a correction is no step of the
    # course, R-FLOW does not refuse it): fee days 3, 4, 5, 6 Feb = 4
    moved = run(
        [*fb, corrected("2026-02-06T11:00:00+01:00", 1, date="2026-02-02")], now="2026-02-06T12:00:00+01:00"
    )
    assert (moved.periods[0].registered.isoformat(), moved.days) == ("2026-02-02", 4)
    # corrected to 4 Feb, after the day it was registered: the registration itself is then refused
    # (R-FB-REG), as it would have been so recorded; the services refuse such a correction
    late = run(
        [*fb, corrected("2026-02-06T11:00:00+01:00", 1, date="2026-02-04")], now="2026-02-06T12:00:00+01:00"
    )
    assert [(r.event, r.rule) for r in late.rejected] == [(1, "R-FB-REG")]


def test_an_event_in_error_that_a_later_event_needs_makes_that_event_refused():
    # marking the departure in error leaves the discharge registration before any departure (R-FLOW)
    events = [
        ADMITTED,
        event("2026-02-06T10:00:00+01:00", "left_ward"),
        event("2026-02-06T11:00:00+01:00", "discharge_registered"),
        in_error("2026-02-06T12:00:00+01:00", 1),
    ]
    evaluation = run(events, now="2026-02-06T13:00:00+01:00")
    assert [(r.event, r.rule) for r in evaluation.rejected] == [(2, "R-FLOW")]


@pytest.mark.parametrize(
    ("correction", "why"),
    [
        # a correction of a correction
        (in_error("2026-02-03T11:30:00+01:00", 3), "correction.of_correction"),
        # an event already in error
        (in_error("2026-02-03T11:30:00+01:00", 2), "correction.already_in_error"),
        # the admission itself
        (in_error("2026-02-03T11:30:00+01:00", 0), "correction.admission"),
        # no reason
        (in_error("2026-02-03T11:30:00+01:00", 1, reason="  "), "correction.no_reason"),
    ],
    ids=["correction-of-correction", "already-in-error", "admission", "no-reason"],
)
def test_corrections_the_engine_refuses_change_nothing(correction, why):
    events = [*PFPS, in_error("2026-02-03T11:00:00+01:00", 2), correction]
    evaluation = run(events, now="2026-02-03T12:00:00+01:00")
    (refused,) = evaluation.rejected
    assert (refused.event, refused.rule) == (4, "R-CORRECTION")
    assert refused.key == why  # the text is made when shown (coordination.texts)
    assert [c.event for c in evaluation.corrections] == [2]  # only the first correction counts
    assert only(evaluation, "R-PFP-DATE").status == "open"


@pytest.mark.parametrize(
    ("values", "why"),
    [
        ({"at": "2026-02-03T08:00:00+01:00"}, "tidspunkt, type eller meddelelseskode"),
        ({"code": "KM"}, "tidspunkt, type eller meddelelseskode"),
        ({"type": "message"}, "tidspunkt, type eller meddelelseskode"),
        ({"discharge_at": "2026-02-06T14:00:00+01:00"}, "intet felt 'discharge_at'"),
        ({"faerdigbehandlet_date": "6. februar"}, "skal være en dato"),
        ({"faerdigbehandlet_date": "2999-02-06"}, "uden for årene"),
        ({"date_certain": None}, "påkrævet"),
    ],
    ids=["time", "code", "type", "unknown-field", "not-a-date", "year-2999", "required-to-null"],
)
def test_a_replay_input_whose_correction_cannot_fit_its_event_is_no_timeline(values, why):
    events = [*PFPS, {**corrected("2026-02-03T11:00:00+01:00", 2), "values": values}]
    with pytest.raises(TimelineError) as error:
        parse_timeline(timeline(events, now="2026-02-03T12:00:00+01:00"))
    assert str(error.value).startswith("hændelse 3: ")
    assert why in str(error.value)


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"event": 3}, "tidligere hændelse (0–2), ikke 3"),
        ({"event": 7}, "tidligere hændelse (0–2), ikke 7"),
        ({"event": -1}, "nummeret på en tidligere hændelse"),
        ({"event": True}, "nummeret på en tidligere hændelse"),
        ({"event": None}, "feltet 'event' mangler"),
        ({"reason": None}, "feltet 'reason' mangler"),
        ({"values": {}}, "JSON-objekt med de rettede felter"),
        ({"values": ["date"]}, "JSON-objekt med de rettede felter"),
    ],
    ids=["itself", "later", "negative", "bool", "missing-event", "missing-reason", "no-values", "list"],
)
def test_a_correction_naming_no_earlier_event_is_no_timeline(fields, why):
    raw = {**corrected("2026-02-03T11:00:00+01:00", 2, date_certain=False), **fields}
    events = [*PFPS, {k: v for k, v in raw.items() if v is not None}]
    with pytest.raises(TimelineError) as error:
        parse_timeline(timeline(events, now="2026-02-03T12:00:00+01:00"))
    assert str(error.value).startswith("hændelse 3: ")
    assert why in str(error.value)


def test_apply_corrections_keeps_the_input_indexes_and_leaves_the_events_as_they_were():
    replay = parse_timeline(
        timeline(
            [
                *PFPS,
                in_error("2026-02-03T11:00:00+01:00", 1),
                corrected("2026-02-03T11:05:00+01:00", 2, date_certain=False),
            ],
            now="2026-02-03T12:00:00+01:00",
        )
    )
    effective = apply_corrections(replay.events)
    # PFP 1 left out; the corrections are no events of the course
    assert [index for index, _ in effective.events] == [0, 2]
    assert effective.events[1][1].data["date_certain"] is False
    assert replay.events[2].data["date_certain"] is True  # the original is untouched
    assert [(c.event, c.kind, c.by) for c in effective.corrections] == [
        (1, "entered_in_error", 3),
        (2, "corrected", 4),
    ]
    assert effective.refused == ()


def test_a_second_correction_of_the_same_event_applies_on_top_of_the_first():
    # agreed 6 Feb 14:00, corrected to 15:30, then to 16:00: the newest value counts; the call stays met
    events = [
        *CALL,
        corrected("2026-02-05T11:00:00+01:00", 2, discharge_at="2026-02-06T15:30:00+01:00"),
        corrected(
            "2026-02-05T11:10:00+01:00", 2, reason="Igen forkert", discharge_at="2026-02-06T16:00:00+01:00"
        ),
    ]
    evaluation = run(events, now="2026-02-05T12:00:00+01:00")
    assert evaluation.agreed_discharge_at == at("2026-02-06T16:00:00+01:00")
    assert only(evaluation, "R-CALL-13").status == "met"
    assert [c.by for c in evaluation.corrections] == [3, 4]


def test_a_corrected_time_across_the_march_change_keeps_its_wall_clock():
    # the plan for Monday 30 March 14:00 summer time (+02:00), agreed by phone for 13:00 by mistake on the
    # Friday before the change (+01:00); corrected to 14:00+02:00 = 12:00Z, not 13:00Z
    events = [
        admitted("2026-03-26T08:00:00+01:00"),
        planned("2026-03-27T09:00:00+01:00", "2026-03-30T14:00:00+02:00"),
        event("2026-03-27T10:00:00+01:00", "phone_agreement", discharge_at="2026-03-30T13:00:00+02:00"),
        corrected("2026-03-27T11:00:00+01:00", 2, discharge_at="2026-03-30T14:00:00+02:00"),
    ]
    evaluation = run(events, now="2026-03-27T12:00:00+01:00")
    assert evaluation.agreed_discharge_at == at("2026-03-30T12:00:00+00:00")
    assert evaluation.agreed_discharge_at.utcoffset().total_seconds() == 7200
