"""R-CALL-13, R-GOP-SEND, R-GOP-START, R-GOP-ANSWER, R-MEDICIN, R-72H, R-PLEJEBOLIG and R-MUN-PLAN."""

from __future__ import annotations

from datetime import date

import pytest

from tests.replay_checks import admitted, at, event, km, message, obligations_of, only, planned, run

# --- R-CALL-13 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("discharge_at", "plan", "citizen", "call_due"),
    [
        # 12:59, unchanged needs, straight home: no call
        ("2026-02-05T12:59:00+01:00", {}, {}, False),
        # at 13:00: a call ("udskrives efter kl. 13")
        ("2026-02-05T13:00:00+01:00", {}, {}, True),
        # morning, but needs changed
        ("2026-02-05T10:00:00+01:00", {"needs_changed": True}, {}, True),
        # morning, to a midlertidig plads: cannot go straight home
        ("2026-02-05T10:00:00+01:00", {"destination": "midlertidig_plads"}, {}, True),
        # morning, unknown in EOJ: always changed needs
        ("2026-02-05T10:00:00+01:00", {}, {"known_in_eoj": False}, True),
        # practical help only: no call whatever else holds
        ("2026-02-05T15:00:00+01:00", {"practical_help_only": True, "needs_changed": True}, {}, False),
        # living in a plejebolig and going back there: straight home
        ("2026-02-05T10:00:00+01:00", {"destination": "plejebolig"}, {"residence": "plejebolig"}, False),
    ],
    ids=[
        "morning",
        "at-13",
        "needs-changed",
        "not-home",
        "unknown-in-eoj",
        "practical-only",
        "plejebolig-home",
    ],
)
def test_the_hospital_phones_to_agree_the_discharge_time_when_the_agreement_says_so(
    discharge_at, plan, citizen, call_due
):
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        planned("2026-02-04T09:00:00+01:00", discharge_at, **plan),
    ]
    calls = obligations_of(run(events, now="2026-02-04T10:00:00+01:00", **citizen), "R-CALL-13")
    assert len(calls) == int(call_due)
    if call_due:
        assert (calls[0].owner, calls[0].due, calls[0].status) == ("hospital", at(discharge_at), "open")


def test_the_call_is_judged_on_the_newest_plan_and_met_by_a_phone_agreement_at_any_time():
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        event("2026-02-03T09:00:00+01:00", "phone_agreement", discharge_at="2026-02-05T15:00:00+01:00"),
        planned("2026-02-04T09:00:00+01:00", "2026-02-05T10:00:00+01:00"),  # morning, no call needed
        planned("2026-02-04T10:00:00+01:00", "2026-02-05T15:00:00+01:00"),  # afternoon: call
    ]
    call = only(run(events, now="2026-02-05T16:00:00+01:00"), "R-CALL-13")
    assert (call.due, call.status, call.met_at) == (
        at("2026-02-05T15:00:00+01:00"),
        "met",
        at("2026-02-03T09:00:00+01:00"),
    )


def test_an_uncalled_afternoon_discharge_is_overdue_after_its_time():
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        planned("2026-02-04T09:00:00+01:00", "2026-02-05T14:00:00+01:00"),
    ]
    assert only(run(events, now="2026-02-05T14:01:00+01:00"), "R-CALL-13").status == "overdue"


@pytest.mark.parametrize("profile", ["sjaelland", "midtjylland"])
def test_call_13_is_a_hovedstaden_duty(profile):
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        planned("2026-02-04T09:00:00+01:00", "2026-02-05T14:00:00+01:00"),
    ]
    assert obligations_of(run(events, now="2026-02-05T15:00:00+01:00", profile=profile), "R-CALL-13") == []


# --- R-GOP-SEND and R-GOP-START ---------------------------------------------------------------------


def test_the_genoptraeningsplan_is_due_by_the_end_of_the_discharge_day():
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        planned("2026-02-04T09:00:00+01:00", "2026-02-05T10:00:00+01:00", rehabilitation_needed=True),
    ]
    duty = only(run(events, now="2026-02-05T23:59:00+01:00"), "R-GOP-SEND")
    assert (duty.owner, duty.due, duty.status) == ("hospital", at("2026-02-06T00:00:00+01:00"), "open")
    # the departure a day later moves the discharge day
    events.append(event("2026-02-06T11:00:00+01:00", "left_ward"))
    duty = only(run(events, now="2026-02-06T12:00:00+01:00"), "R-GOP-SEND")
    assert (duty.due, duty.status) == (at("2026-02-07T00:00:00+01:00"), "open")


def test_no_gop_duty_without_rehabilitation_in_the_newest_plan():
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        planned("2026-02-03T09:00:00+01:00", "2026-02-05T10:00:00+01:00", rehabilitation_needed=True),
        planned("2026-02-04T09:00:00+01:00", "2026-02-05T10:00:00+01:00", rehabilitation_needed=False),
    ]
    assert obligations_of(run(events, now="2026-02-05T11:00:00+01:00"), "R-GOP-SEND") == []


@pytest.mark.parametrize("profile", ["hovedstaden", "sjaelland", "midtjylland"])
def test_rehabilitation_starts_within_7_calendar_days_of_the_departure_in_every_profile(profile):
    # left Thu 5 Feb -> 5 + 7 = 12 Feb -> due the end of 12 Feb = 13 Feb 00:00
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        planned("2026-02-04T09:00:00+01:00", "2026-02-05T10:00:00+01:00", rehabilitation_needed=True),
        message("2026-02-05T09:00:00+01:00", "GOP"),
        event("2026-02-05T10:00:00+01:00", "left_ward"),
    ]
    evaluation = run(events, now="2026-02-13T00:00:00+01:00", profile=profile)
    assert only(evaluation, "R-GOP-SEND").status == "met"
    start = only(evaluation, "R-GOP-START")
    assert (start.owner, start.due, start.status) == ("municipality", at("2026-02-13T00:00:00+01:00"), "open")
    events.append(event("2026-02-12T15:00:00+01:00", "rehabilitation_started"))
    assert only(run(events, now="2026-02-13T09:00:00+01:00", profile=profile), "R-GOP-START").status == "met"


def test_rehabilitation_start_is_listed_only_once_a_gop_was_sent_and_the_citizen_left():
    events = [admitted("2026-02-02T08:00:00+01:00"), event("2026-02-05T10:00:00+01:00", "left_ward")]
    assert obligations_of(run(events, now="2026-02-06T10:00:00+01:00"), "R-GOP-START") == []
    early = [admitted("2026-02-02T08:00:00+01:00"), message("2026-02-04T10:00:00+01:00", "GOP")]
    assert obligations_of(run(early, now="2026-02-05T10:00:00+01:00"), "R-GOP-START") == []


# --- R-GOP-ANSWER -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked_at", "due"),
    [
        # Tue 3 Feb -> next weekday Wed 4 Feb -> due the end of it
        ("2026-02-03T10:00:00+01:00", "2026-02-05T00:00:00+01:00"),
        # Fri 6 Feb -> Mon 9 Feb
        ("2026-02-06T15:00:00+01:00", "2026-02-10T00:00:00+01:00"),
        # Wed 1 April before Easter -> Thu/Fri/Sat/Sun/Mon are off -> Tue 7 April (summer time)
        ("2026-04-01T10:00:00+02:00", "2026-04-08T00:00:00+02:00"),
        # Wed 23 Dec -> Thu 24 Dec, juleaftensdag, is a weekday (not a public holiday)
        ("2026-12-23T10:00:00+01:00", "2026-12-25T00:00:00+01:00"),
        # Thu 24 Dec -> 25, 26 Dec, weekend -> Mon 28 Dec
        ("2026-12-24T10:00:00+01:00", "2026-12-29T00:00:00+01:00"),
    ],
    ids=["tuesday", "friday", "easter", "christmas-eve", "christmas"],
)
def test_a_question_about_the_gop_is_answered_by_the_end_of_the_next_weekday(asked_at, due):
    events = [
        admitted("2026-01-01T08:00:00+01:00"),
        km(asked_at, "municipality", "Genoptræningsplan: spørgsmål"),
    ]
    answer = only(run(events, now=asked_at, profile="sjaelland"), "R-GOP-ANSWER")
    assert (answer.owner, answer.due.isoformat(), answer.status) == ("hospital", due, "open")


def test_each_question_is_its_own_obligation_met_by_the_next_hospital_km():
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        km("2026-02-03T10:00:00+01:00", "municipality", "  genoptræningsplan - niveau?"),
        km("2026-02-03T11:00:00+01:00", "municipality", "Plejeforløbsplan"),  # not a GOP question
        km("2026-02-04T09:00:00+01:00", "hospital", "Svar"),
        km("2026-02-06T10:00:00+01:00", "municipality", "GENOPTRÆNINGSPLAN igen"),
    ]
    answers = obligations_of(
        run(events, now="2026-02-10T00:01:00+01:00", profile="sjaelland"), "R-GOP-ANSWER"
    )
    assert [(a.key, a.status) for a in answers] == [("R-GOP-ANSWER:1", "met"), ("R-GOP-ANSWER:4", "overdue")]
    assert obligations_of(run(events, now="2026-02-10T00:01:00+01:00"), "R-GOP-ANSWER") == []  # hovedstaden


# --- R-MEDICIN --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("discharge_at", "until"),
    [
        ("2026-02-05T10:00:00+01:00", "2026-02-06"),  # Thursday -> Friday
        ("2026-02-06T10:00:00+01:00", "2026-02-09"),  # Friday -> Monday
        ("2026-04-01T10:00:00+02:00", "2026-04-07"),  # before Easter -> Tuesday after 2. påskedag
        ("2026-12-24T10:00:00+01:00", "2026-12-28"),  # juleaftensdag -> Monday after Christmas
        ("2026-12-23T10:00:00+01:00", "2026-12-24"),  # juleaftensdag itself is a weekday
        ("2023-05-04T10:00:00+02:00", "2023-05-08"),  # Store bededag 2023 is a holiday
        ("2024-04-25T10:00:00+02:00", "2024-04-26"),  # ... and not from 2024
    ],
)
def test_medicine_is_given_until_the_first_weekday_after_the_discharge_date(discharge_at, until):
    events = [admitted("2023-01-02T08:00:00+01:00"), planned("2023-01-03T08:00:00+01:00", discharge_at)]
    evaluation = run(events, now="2023-01-03T09:00:00+01:00", profile="sjaelland")
    assert evaluation.medicine_until == date.fromisoformat(until)


def test_medicine_date_follows_the_departure_and_is_none_without_a_date_or_outside_sjaelland():
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        planned("2026-02-03T08:00:00+01:00", "2026-02-05T10:00:00+01:00"),
        event("2026-02-06T10:00:00+01:00", "left_ward"),  # Friday -> Monday
    ]
    assert run(events, now="2026-02-06T11:00:00+01:00", profile="sjaelland").medicine_until == date(
        2026, 2, 9
    )
    assert run(events[:1], now="2026-02-06T11:00:00+01:00", profile="sjaelland").medicine_until is None
    assert run(events, now="2026-02-06T11:00:00+01:00").medicine_until is None


# --- R-72H ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("admitted_at", "left_at", "somatic", "nursing", "until"),
    [
        # 24 h 01 min stay, somatic, to municipal nursing -> 72 h after leaving
        ("2026-11-02T10:00:00+01:00", "2026-11-03T10:01:00+01:00", True, True, "2026-11-06T10:01:00+01:00"),
        # exactly 24 hours: not over 24 -> no window
        ("2026-11-02T10:00:00+01:00", "2026-11-03T10:00:00+01:00", True, True, None),
        # psychiatry (not somatic) -> no window
        ("2026-11-02T10:00:00+01:00", "2026-11-05T10:00:00+01:00", False, True, None),
        # not to municipal nursing -> no window
        ("2026-11-02T10:00:00+01:00", "2026-11-05T10:00:00+01:00", True, False, None),
        # left 23 Oct 12:00 +02:00 (10:00Z) + 72 h = 26 Oct 10:00Z = 11:00 +01:00 (across the October change)
        ("2026-10-20T10:00:00+02:00", "2026-10-23T12:00:00+02:00", True, True, "2026-10-26T11:00:00+01:00"),
    ],
    ids=["over-24h", "exactly-24h", "psychiatry", "no-municipal-nursing", "dst-october"],
)
def test_the_discharging_ward_answers_for_72_hours_after_a_stay_over_24_hours(
    admitted_at, left_at, somatic, nursing, until
):
    events = [
        admitted(admitted_at, somatic=somatic),
        planned(admitted_at, left_at, municipal_nursing=nursing),
        event(left_at, "left_ward"),
    ]
    evaluation = run(events, now="2026-11-10T10:00:00+01:00", profile="midtjylland")
    assert (evaluation.extended_responsibility_until.isoformat() if until else None) == until


def test_no_72_hour_window_without_a_planned_discharge_before_the_departure_or_outside_midtjylland():
    events = [admitted("2026-11-02T10:00:00+01:00"), event("2026-11-05T10:00:00+01:00", "left_ward")]
    assert (
        run(events, now="2026-11-06T10:00:00+01:00", profile="midtjylland").extended_responsibility_until
        is None
    )
    with_plan = [events[0], planned("2026-11-04T10:00:00+01:00", "2026-11-05T10:00:00+01:00"), events[1]]
    assert (
        run(
            with_plan[:2], now="2026-11-04T11:00:00+01:00", profile="midtjylland"
        ).extended_responsibility_until
        is None
    )
    assert (
        run(with_plan, now="2026-11-06T10:00:00+01:00", profile="hovedstaden").extended_responsibility_until
        is None
    )


# --- R-PLEJEBOLIG -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("residence", "destination", "discharge_at", "left_at", "warned"),
    [
        ("plejebolig", "plejebolig", "2026-02-05T20:00:00+01:00", None, True),  # 20:00 is late evening
        ("plejebolig", "plejebolig", "2026-02-05T19:59:00+01:00", None, False),
        ("own_home", "plejebolig", "2026-02-06T06:30:00+01:00", None, True),  # going to a plejebolig, night
        ("own_home", "own_home", "2026-02-05T22:00:00+01:00", None, False),  # not a plejebolig
        (
            "plejebolig",
            "plejebolig",
            "2026-02-05T15:00:00+01:00",
            "2026-02-05T21:15:00+01:00",
            True,
        ),  # left late
        ("plejebolig", "plejebolig", "2026-02-05T07:00:00+01:00", "2026-02-05T07:10:00+01:00", False),
    ],
    ids=["plan-20-00", "plan-19-59", "going-to-plejebolig-night", "own-home", "left-late", "morning"],
)
def test_plejebolig_discharges_in_the_late_evening_or_night_are_warned(
    residence, destination, discharge_at, left_at, warned
):
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        planned("2026-02-04T09:00:00+01:00", discharge_at, destination=destination),
    ]
    if left_at:
        events.append(event(left_at, "left_ward"))
    evaluation = run(events, now="2026-02-06T08:00:00+01:00", residence=residence)
    rules = [w.rule for w in evaluation.warnings]
    assert rules == (["R-PLEJEBOLIG"] if warned else [])
    if warned:
        assert evaluation.warnings[0].event == (2 if left_at else 1)


def test_the_plejebolig_warning_is_hovedstadens():
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        planned("2026-02-04T09:00:00+01:00", "2026-02-05T22:00:00+01:00", destination="plejebolig"),
    ]
    assert run(events, now="2026-02-04T10:00:00+01:00", profile="midtjylland").warnings == ()


# --- R-MUN-PLAN -------------------------------------------------------------------------------------


def test_after_faerdigbehandlet_the_municipality_says_when_and_where_the_citizen_can_go():
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        km("2026-02-03T10:00:00+01:00", "municipality"),  # before the registration: does not count
        event("2026-02-04T10:00:00+01:00", "faerdigbehandlet", date="2026-02-04", waiting_for=["plejebolig"]),
    ]
    duty = only(run(events, now="2026-02-05T10:00:00+01:00"), "R-MUN-PLAN")
    assert (duty.owner, duty.due, duty.status) == ("municipality", None, "open")
    events.append(
        event("2026-02-05T11:00:00+01:00", "phone_agreement", discharge_at="2026-02-07T10:00:00+01:00")
    )
    duty = only(run(events, now="2026-02-05T12:00:00+01:00"), "R-MUN-PLAN")
    assert (duty.status, duty.met_at) == ("met", at("2026-02-05T11:00:00+01:00"))


def test_mun_plan_is_dropped_when_treatment_resumed_before_it_was_met_and_kept_when_met_before():
    base = [
        admitted("2026-02-02T08:00:00+01:00"),
        event("2026-02-04T10:00:00+01:00", "faerdigbehandlet", date="2026-02-04", waiting_for=["plejebolig"]),
    ]
    resumed = [*base, event("2026-02-05T10:00:00+01:00", "treatment_resumed", reason="relapse")]
    assert obligations_of(run(resumed, now="2026-02-06T10:00:00+01:00"), "R-MUN-PLAN") == []
    met_first = [
        *base,
        event("2026-02-04T12:00:00+01:00", "municipality_contacted"),
        event("2026-02-05T10:00:00+01:00", "treatment_resumed", reason="relapse"),
    ]
    assert only(run(met_first, now="2026-02-06T10:00:00+01:00"), "R-MUN-PLAN").status == "met"


def test_mun_plan_is_judged_on_the_newest_registration_that_is_not_voided():
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        event("2026-02-03T10:00:00+01:00", "faerdigbehandlet", date="2026-02-03", waiting_for=["plejebolig"]),
        event("2026-02-03T11:00:00+01:00", "municipality_contacted"),
        event("2026-02-04T10:00:00+01:00", "treatment_resumed", reason="relapse"),
        event("2026-02-05T10:00:00+01:00", "faerdigbehandlet", date="2026-02-05", waiting_for=["plejebolig"]),
        event("2026-02-05T11:00:00+01:00", "treatment_resumed", reason="error"),  # voids the second
    ]
    duty = only(run(events, now="2026-02-06T10:00:00+01:00"), "R-MUN-PLAN")
    assert (duty.status, duty.met_at) == ("met", at("2026-02-03T11:00:00+01:00"))


def test_mun_plan_stays_listed_when_the_period_ended_by_the_departure():
    # only a resumption drops it; a citizen who left without the municipality's word leaves it open
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        event("2026-02-04T10:00:00+01:00", "faerdigbehandlet", date="2026-02-04", waiting_for=["plejebolig"]),
        event("2026-02-06T10:00:00+01:00", "left_ward"),
    ]
    duty = only(run(events, now="2026-02-07T10:00:00+01:00"), "R-MUN-PLAN")
    assert (duty.status, duty.met_at) == ("open", None)
