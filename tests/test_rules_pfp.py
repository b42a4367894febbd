"""R-PFP-COORD, R-MUN-24H, R-PFP-DATE (seed 000); R-PFP-ALWAYS, R-PFP-ACK, R-CONFERENCE,
R-CONFERENCE-MINUTES (seed 001)."""

from __future__ import annotations

import pytest

from tests.replay_checks import admitted, at, event, km, message, obligations_of, only, pfp, planned, run

# --- R-PFP-COORD and R-MUN-24H ----------------------------------------------------------------------


def test_a_recorded_coordination_need_calls_for_a_pfp_saying_so_with_no_due():
    identified = [
        admitted("2026-02-02T08:00:00+01:00", stay="under_48h"),
        event("2026-02-02T10:00:00+01:00", "coordination_identified", reason="hjælpemidler"),
    ]
    open_duty = only(run(identified, now="2026-02-09T10:00:00+01:00"), "R-PFP-COORD")
    assert (open_duty.owner, open_duty.due, open_duty.status) == ("hospital", None, "open")
    # a PFP without coordination_needed does not meet it; the first one with it does
    done = [
        *identified,
        pfp("2026-02-02T11:00:00+01:00", "2026-02-03", coordination=False),
        pfp("2026-02-02T12:00:00+01:00", "2026-02-03", coordination=True),
    ]
    duty = only(run(done, now="2026-02-02T13:00:00+01:00"), "R-PFP-COORD")
    assert (duty.status, duty.met_at) == ("met", at("2026-02-02T12:00:00+01:00"))


@pytest.mark.parametrize("profile", ["sjaelland", "midtjylland"])
def test_pfp_coord_and_mun_24h_are_hovedstaden_duties(profile):
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        event("2026-02-02T10:00:00+01:00", "coordination_identified", reason="bolig"),
        pfp("2026-02-02T12:00:00+01:00", "2026-02-06", coordination=True),
    ]
    evaluation = run(events, now="2026-02-04T13:00:00+01:00", profile=profile)
    assert obligations_of(evaluation, "R-PFP-COORD") == []
    assert obligations_of(evaluation, "R-MUN-24H") == []


@pytest.mark.parametrize(
    ("contact", "now", "status"),
    [
        (
            km("2026-02-03T11:00:00+01:00", "municipality", "Vedr. hjemtagning"),
            "2026-02-03T12:00:00+01:00",
            "met",
        ),
        (event("2026-02-03T12:00:00+01:00", "municipality_contacted"), "2026-02-03T13:00:00+01:00", "met"),
        (event("2026-02-03T12:01:00+01:00", "municipality_contacted"), "2026-02-03T13:00:00+01:00", "late"),
        # a KM from the hospital is not the municipality's contact
        (km("2026-02-03T11:00:00+01:00", "hospital"), "2026-02-03T12:01:00+01:00", "overdue"),
        # a phone agreement about the discharge time does not count
        (
            event("2026-02-03T11:00:00+01:00", "phone_agreement", discharge_at="2026-02-06T10:00:00+01:00"),
            "2026-02-03T12:01:00+01:00",
            "overdue",
        ),
    ],
    ids=["km", "phone-at-due", "phone-late", "hospital-km", "phone-agreement"],
)
def test_the_municipality_contacts_the_hospital_within_24_hours_of_a_coordination_pfp(contact, now, status):
    # PFP asking for coordination 2 Feb 12:00 -> due 3 Feb 12:00
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        pfp("2026-02-02T12:00:00+01:00", "2026-02-06", certain=False, coordination=True),
        contact,
    ]
    duty = only(run(events, now=now), "R-MUN-24H")
    assert (duty.owner, duty.due, duty.status) == ("municipality", at("2026-02-03T12:00:00+01:00"), status)


def test_mun_24h_counts_elapsed_hours_across_the_march_change():
    # PFP 28 March 12:00 +01:00 (11:00Z) + 24 h = 29 March 11:00Z = 13:00 +02:00
    events = [
        admitted("2026-03-27T08:00:00+01:00"),
        pfp("2026-03-28T12:00:00+01:00", "2026-04-01", coordination=True),
    ]
    assert (
        only(run(events, now="2026-03-28T13:00:00+01:00"), "R-MUN-24H").due.isoformat()
        == "2026-03-29T13:00:00+02:00"
    )


# --- R-PFP-DATE -------------------------------------------------------------------------------------


def test_a_long_stay_needs_a_certain_pfp_by_13_the_day_before_the_named_date():
    # PFP names 6 Feb (expected) -> due 5 Feb 13:00; the certain PFP for 6 Feb comes 5 Feb 12:59 -> met
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        pfp("2026-02-03T10:00:00+01:00", "2026-02-06", certain=False),
        pfp("2026-02-05T12:59:00+01:00", "2026-02-06", certain=True),
    ]
    duty = only(run(events, now="2026-02-05T14:00:00+01:00"), "R-PFP-DATE")
    assert (duty.owner, duty.due, duty.status, duty.met_at) == (
        "hospital",
        at("2026-02-05T13:00:00+01:00"),
        "met",
        at("2026-02-05T12:59:00+01:00"),
    )


@pytest.mark.parametrize(
    ("certain_at", "now", "status"),
    [
        (None, "2026-02-05T12:00:00+01:00", "open"),
        (None, "2026-02-05T13:01:00+01:00", "overdue"),
        ("2026-02-05T13:30:00+01:00", "2026-02-05T14:00:00+01:00", "late"),
    ],
)
def test_pfp_date_status_open_overdue_late(certain_at, now, status):
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        pfp("2026-02-03T10:00:00+01:00", "2026-02-06", certain=False),
    ]
    if certain_at:
        events.append(pfp(certain_at, "2026-02-06", certain=True))
    assert only(run(events, now=now), "R-PFP-DATE").status == status


def test_the_day_before_13_00_is_wall_clock_across_the_october_change():
    # D = Monday 26 Oct -> D-1 = Sunday 25 Oct, the change day -> 13:00 is winter time (+01:00)
    events = [
        admitted("2026-10-20T08:00:00+02:00"),
        pfp("2026-10-21T10:00:00+02:00", "2026-10-26", certain=False),
    ]
    duty = only(run(events, now="2026-10-21T11:00:00+02:00"), "R-PFP-DATE")
    assert duty.due.isoformat() == "2026-10-25T13:00:00+01:00"


def test_the_day_before_13_00_is_wall_clock_across_the_march_change():
    # D = Monday 30 March -> 29 March 13:00 summer time (+02:00)
    events = [
        admitted("2026-03-25T08:00:00+01:00"),
        pfp("2026-03-26T10:00:00+01:00", "2026-03-30", certain=False),
    ]
    assert (
        only(run(events, now="2026-03-26T11:00:00+01:00"), "R-PFP-DATE").due.isoformat()
        == "2026-03-29T13:00:00+02:00"
    )


def test_a_changed_date_reopens_the_duty_until_a_pfp_names_the_new_date():
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        pfp("2026-02-03T10:00:00+01:00", "2026-02-06", certain=True),  # met for 6 Feb
        planned("2026-02-04T10:00:00+01:00", "2026-02-09T10:00:00+01:00"),  # the date moves to 9 Feb
    ]
    duty = only(run(events, now="2026-02-04T11:00:00+01:00"), "R-PFP-DATE")
    assert (duty.due, duty.status, duty.met_at) == (at("2026-02-08T13:00:00+01:00"), "open", None)
    events.append(pfp("2026-02-05T09:00:00+01:00", "2026-02-09", certain=True))
    assert only(run(events, now="2026-02-05T10:00:00+01:00"), "R-PFP-DATE").status == "met"


def test_a_later_uncertain_pfp_for_the_same_date_undoes_nothing():
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        pfp("2026-02-03T10:00:00+01:00", "2026-02-06", certain=True),
        pfp("2026-02-04T10:00:00+01:00", "2026-02-06", certain=False),
    ]
    duty = only(run(events, now="2026-02-06T10:00:00+01:00"), "R-PFP-DATE")
    assert (duty.status, duty.met_at) == ("met", at("2026-02-03T10:00:00+01:00"))


def test_a_short_stay_without_coordination_has_no_pfp_duty():
    # under 48 hours, a phone agreement: R-CALL-13 covers it
    events = [
        admitted("2026-02-02T08:00:00+01:00", stay="under_48h"),
        event("2026-02-02T09:00:00+01:00", "phone_agreement", discharge_at="2026-02-03T10:00:00+01:00"),
    ]
    assert obligations_of(run(events, now="2026-02-03T09:00:00+01:00"), "R-PFP-DATE") == []


def test_a_short_stay_that_passes_48_hours_is_at_once_overdue():
    # admitted 2 Feb 08:00 (expected short); phone agreement names 3 Feb -> due 2 Feb 13:00
    events = [
        admitted("2026-02-02T08:00:00+01:00", stay="under_48h"),
        event("2026-02-02T09:00:00+01:00", "phone_agreement", discharge_at="2026-02-03T10:00:00+01:00"),
    ]
    # 4 Feb 07:59 is 47h59 after admission: no duty; at 08:00 (48 h) the duty appears, already overdue
    assert obligations_of(run(events, now="2026-02-04T07:59:00+01:00"), "R-PFP-DATE") == []
    duty = only(run(events, now="2026-02-04T08:00:00+01:00"), "R-PFP-DATE")
    assert (duty.due, duty.status) == (at("2026-02-02T13:00:00+01:00"), "overdue")


def test_a_departure_at_exactly_48_hours_makes_the_stay_long():
    events = [
        admitted("2026-02-02T08:00:00+01:00", stay="under_48h"),
        event("2026-02-02T09:00:00+01:00", "phone_agreement", discharge_at="2026-02-04T08:00:00+01:00"),
        event("2026-02-04T08:00:00+01:00", "left_ward"),
    ]
    evaluation = run(events, now="2026-02-05T08:00:00+01:00")
    assert evaluation.over_48h is True
    assert only(evaluation, "R-PFP-DATE").status == "overdue"


def test_a_coordination_pfp_brings_the_duty_into_a_short_stay():
    events = [
        admitted("2026-02-02T08:00:00+01:00", stay="under_48h"),
        pfp("2026-02-02T10:00:00+01:00", "2026-02-03", certain=False, coordination=True),
    ]
    duty = only(run(events, now="2026-02-02T11:00:00+01:00"), "R-PFP-DATE")
    assert (duty.due, duty.status) == (at("2026-02-02T13:00:00+01:00"), "open")


def test_a_pfp_sent_before_the_duty_arose_counts():
    # the certain PFP came at 09:00; the stay passes 48 hours later; the duty is met by that PFP
    events = [
        admitted("2026-02-02T08:00:00+01:00", stay="under_48h"),
        pfp("2026-02-02T09:00:00+01:00", "2026-02-05", certain=True),
    ]
    duty = only(run(events, now="2026-02-04T09:00:00+01:00"), "R-PFP-DATE")
    assert (duty.status, duty.met_at) == ("met", at("2026-02-02T09:00:00+01:00"))


def test_a_conference_discharge_time_is_a_known_date_and_a_departure_is_not():
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        pfp("2026-02-03T10:00:00+01:00", "2026-02-06", certain=True),
        event("2026-02-04T10:00:00+01:00", "conference_held", discharge_at="2026-02-10T10:00:00+01:00"),
        event("2026-02-05T10:00:00+01:00", "left_ward"),  # names no date
    ]
    duty = only(run(events, now="2026-02-05T11:00:00+01:00"), "R-PFP-DATE")
    assert (duty.due, duty.status) == (at("2026-02-09T13:00:00+01:00"), "open")


def test_pfp_date_has_no_due_in_midtjylland_and_does_not_apply_in_sjaelland():
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        pfp("2026-02-03T10:00:00+01:00", "2026-02-06", certain=False),
    ]
    midt = only(run(events, now="2026-02-09T10:00:00+01:00", profile="midtjylland"), "R-PFP-DATE")
    assert (midt.due, midt.status) == (None, "open")
    assert (
        obligations_of(run(events, now="2026-02-09T10:00:00+01:00", profile="sjaelland"), "R-PFP-DATE") == []
    )


# --- R-PFP-ALWAYS and R-PFP-ACK ---------------------------------------------------------------------


def test_sjaelland_wants_a_pfp_always_once_the_advis_exists_with_no_due():
    base = [admitted("2026-09-07T10:00:00+02:00", stay="under_48h")]
    assert (
        obligations_of(run(base, now="2026-09-07T11:00:00+02:00", profile="sjaelland"), "R-PFP-ALWAYS") == []
    )
    events = [*base, message("2026-09-07T10:01:00+02:00", "ADVIS-IND")]
    duty = only(
        run(events, now="2026-09-20T11:00:00+02:00", profile="sjaelland", known_in_eoj=False), "R-PFP-ALWAYS"
    )
    assert (duty.owner, duty.due, duty.status) == ("hospital", None, "open")
    assert obligations_of(run(events, now="2026-09-20T11:00:00+02:00"), "R-PFP-ALWAYS") == []  # hovedstaden


@pytest.mark.parametrize("subject", ["Plejeforløbsplan ok", "  plejeforløbsplan OK ", "PLEJEFORLØBSPLAN OK"])
def test_the_ack_subject_is_compared_without_case_or_surrounding_space(subject):
    events = [
        admitted("2026-09-07T10:00:00+02:00"),
        pfp("2026-09-07T16:00:00+02:00", "2026-09-11", certain=False),
        km("2026-09-08T09:00:00+02:00", "municipality", subject),
    ]
    duty = only(run(events, now="2026-09-08T10:00:00+02:00", profile="sjaelland"), "R-PFP-ACK")
    assert (duty.owner, duty.status, duty.met_at) == ("municipality", "met", at("2026-09-08T09:00:00+02:00"))


@pytest.mark.parametrize("subject", ["Plejeforløbsplan", "Plejeforløbsplan ok?", "Udvidet koordinering"])
def test_other_subjects_are_not_an_acknowledgement(subject):
    events = [
        admitted("2026-09-07T10:00:00+02:00"),
        pfp("2026-09-07T16:00:00+02:00", "2026-09-11", certain=False),
        km("2026-09-08T09:00:00+02:00", "municipality", subject),
    ]
    assert (
        only(run(events, now="2026-09-08T10:00:00+02:00", profile="sjaelland"), "R-PFP-ACK").status == "open"
    )


def test_a_new_pfp_needs_a_new_acknowledgement():
    events = [
        admitted("2026-09-07T10:00:00+02:00"),
        pfp("2026-09-07T16:00:00+02:00", "2026-09-11", certain=False),
        km("2026-09-08T09:00:00+02:00", "municipality", "Plejeforløbsplan ok"),
        pfp("2026-09-09T14:00:00+02:00", "2026-09-12", certain=True),
    ]
    duty = only(run(events, now="2026-09-09T15:00:00+02:00", profile="sjaelland"), "R-PFP-ACK")
    assert (duty.status, duty.met_at) == ("open", None)


# --- R-CONFERENCE and R-CONFERENCE-MINUTES ----------------------------------------------------------


def test_each_planned_conference_needs_a_pfp_before_it_starts():
    events = [
        admitted("2026-09-07T10:00:00+02:00"),
        event("2026-09-08T10:00:00+02:00", "conference_planned", conference_at="2026-09-10T10:00:00+02:00"),
        # moved: a new conference, due at its own start
        event("2026-09-09T10:00:00+02:00", "conference_planned", conference_at="2026-09-11T10:00:00+02:00"),
        pfp("2026-09-10T10:30:00+02:00", "2026-09-14", certain=False),
    ]
    conferences = obligations_of(
        run(events, now="2026-09-10T11:00:00+02:00", profile="sjaelland"), "R-CONFERENCE"
    )
    assert [(c.due, c.status, c.key) for c in conferences] == [
        (at("2026-09-10T10:00:00+02:00"), "late", "R-CONFERENCE:1"),
        (at("2026-09-11T10:00:00+02:00"), "met", "R-CONFERENCE:2"),
    ]


def test_a_pfp_sent_before_the_conference_was_planned_does_not_count():
    events = [
        admitted("2026-09-07T10:00:00+02:00"),
        pfp("2026-09-07T16:00:00+02:00", "2026-09-11", certain=False),
        event("2026-09-08T10:00:00+02:00", "conference_planned", conference_at="2026-09-10T10:00:00+02:00"),
    ]
    duty = only(run(events, now="2026-09-10T10:01:00+02:00", profile="sjaelland"), "R-CONFERENCE")
    assert duty.status == "overdue"


def test_each_held_conference_needs_its_minutes_in_a_later_pfp():
    events = [
        admitted("2026-09-07T10:00:00+02:00"),
        event("2026-09-10T11:00:00+02:00", "conference_held", discharge_at="2026-09-14T11:00:00+02:00"),
    ]
    duty = only(run(events, now="2026-09-20T11:00:00+02:00", profile="sjaelland"), "R-CONFERENCE-MINUTES")
    assert (duty.owner, duty.due, duty.status) == ("hospital", None, "open")
    events.append(pfp("2026-09-10T15:00:00+02:00", "2026-09-14", certain=True))
    assert (
        only(run(events, now="2026-09-20T11:00:00+02:00", profile="sjaelland"), "R-CONFERENCE-MINUTES").status
        == "met"
    )


def test_conferences_may_be_held_in_any_profile_but_the_pfp_duties_are_sjaellands():
    events = [
        admitted("2026-09-07T10:00:00+02:00"),
        event("2026-09-08T10:00:00+02:00", "conference_planned", conference_at="2026-09-10T10:00:00+02:00"),
        event("2026-09-10T11:00:00+02:00", "conference_held"),
    ]
    evaluation = run(events, now="2026-09-11T10:00:00+02:00")
    assert evaluation.rejected == ()
    assert (
        obligations_of(evaluation, "R-CONFERENCE") == obligations_of(evaluation, "R-CONFERENCE-MINUTES") == []
    )
