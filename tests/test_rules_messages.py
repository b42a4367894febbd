"""R-MILR, R-ILR, R-READ, R-USR and R-ADVIS-UD (seed 000; R-USR also seed 001)."""

from __future__ import annotations

import pytest

from coordination.rules import Citizen, ilr_expected
from tests.replay_checks import admitted, at, event, message, obligations_of, only, planned, read, run

# --- R-MILR -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("advis_at", "expected_due"),
    [
        # advis 14:21 -> 8 elapsed hours -> 22:21 the same evening
        ("2026-02-02T14:21:00+01:00", "2026-02-02T22:21:00+01:00"),
        # advis 22:59, before the night shift -> 06:59 next morning
        ("2026-02-02T22:59:00+01:00", "2026-02-03T06:59:00+01:00"),
        # advis 23:10, night shift -> due 10:00 next morning (not 07:10)
        ("2026-02-02T23:10:00+01:00", "2026-02-03T10:00:00+01:00"),
        # advis 03:00, night shift that began the evening before -> 10:00 the same morning
        ("2026-02-03T03:00:00+01:00", "2026-02-03T10:00:00+01:00"),
        # advis 07:00, the shift has ended -> 15:00
        ("2026-02-03T07:00:00+01:00", "2026-02-03T15:00:00+01:00"),
        # advis 20:00 +01:00 on 28 March + 8 elapsed hours = 05:00 +02:00 (the clock jumps at 02:00)
        ("2026-03-28T20:00:00+01:00", "2026-03-29T05:00:00+02:00"),
        # advis 01:30 +01:00 on the March change night -> 10:00 summer time the same morning
        ("2026-03-29T01:30:00+01:00", "2026-03-29T10:00:00+02:00"),
        # advis 23:30 +02:00 before the October change -> 10:00 winter time (11.5 elapsed hours)
        ("2026-10-24T23:30:00+02:00", "2026-10-25T10:00:00+01:00"),
        # advis 21:00 +02:00 before the October change + 8 elapsed hours = 04:00 +01:00
        ("2026-10-24T21:00:00+02:00", "2026-10-25T04:00:00+01:00"),
    ],
    ids=[
        "day",
        "just-before-night",
        "night-23-10",
        "night-03-00",
        "shift-ended-07-00",
        "dst-march-elapsed",
        "dst-march-night",
        "dst-october-night",
        "dst-october-elapsed",
    ],
)
def test_milr_is_due_8_hours_after_the_advis_or_at_10_after_a_night_advis(advis_at, expected_due):
    evaluation = run([admitted(advis_at), message(advis_at, "ADVIS-IND")], now=advis_at)
    milr = only(evaluation, "R-MILR")
    assert milr.due == at(expected_due)
    assert milr.due.isoformat() == expected_due  # the Copenhagen offset of that instant
    assert (milr.owner, milr.status) == ("municipality", "open")


@pytest.mark.parametrize(
    ("milr_at", "now", "status"),
    [
        ("2026-02-02T22:21:00+01:00", "2026-02-03T12:00:00+01:00", "met"),  # exactly at due: met
        ("2026-02-02T22:22:00+01:00", "2026-02-03T12:00:00+01:00", "late"),  # a minute after: late
        (None, "2026-02-02T22:21:00+01:00", "open"),  # at due, nothing yet: still open
        (None, "2026-02-02T22:22:00+01:00", "overdue"),  # after due, nothing: overdue
    ],
)
def test_milr_status_is_judged_against_due_at_now(milr_at, now, status):
    events = [admitted("2026-02-02T14:20:00+01:00"), message("2026-02-02T14:21:00+01:00", "ADVIS-IND")]
    if milr_at:
        events.append(message(milr_at, "MILR"))
    milr = only(run(events, now=now), "R-MILR")
    assert milr.status == status
    assert milr.met_at == (at(milr_at) if milr_at else None)


def test_milr_runs_from_the_advis_not_the_admission_and_is_listed_only_once_an_advis_exists():
    before = run([admitted("2026-02-02T08:00:00+01:00")], now="2026-02-02T20:00:00+01:00")
    assert obligations_of(before, "R-MILR") == []
    events = [admitted("2026-02-02T08:00:00+01:00"), message("2026-02-02T12:00:00+01:00", "ADVIS-IND")]
    assert only(run(events, now="2026-02-02T20:00:00+01:00"), "R-MILR").due == at("2026-02-02T20:00:00+01:00")


def test_a_milr_before_the_advis_does_not_meet_the_duty():
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        message("2026-02-02T08:00:00+01:00", "MILR"),
        message("2026-02-02T08:01:00+01:00", "ADVIS-IND"),
    ]
    assert only(run(events, now="2026-02-02T17:00:00+01:00"), "R-MILR").status == "overdue"


@pytest.mark.parametrize(
    ("known", "residence", "listed"),
    [
        (True, "own_home", True),
        (False, "own_home", False),  # unknown in EOJ at home: the municipality has nothing to update
        (False, "plejebolig", True),  # "Ved indlæggelser fra en plejebolig ... skal der altid sendes en MILR"
        (False, "midlertidig_plads", True),
    ],
)
def test_milr_is_owed_for_citizens_known_in_eoj_or_coming_from_a_plejebolig_or_midlertidig_plads(
    known, residence, listed
):
    events = [admitted("2026-02-02T08:00:00+01:00"), message("2026-02-02T08:01:00+01:00", "ADVIS-IND")]
    evaluation = run(events, now="2026-02-02T09:00:00+01:00", known_in_eoj=known, residence=residence)
    assert len(obligations_of(evaluation, "R-MILR")) == int(listed)


@pytest.mark.parametrize("profile", ["sjaelland", "midtjylland"])
def test_milr_has_no_due_outside_hovedstaden_and_is_never_overdue(profile):
    events = [admitted("2026-09-01T08:00:00+02:00"), message("2026-09-01T08:01:00+02:00", "ADVIS-IND")]
    milr = only(run(events, now="2026-09-10T08:00:00+02:00", profile=profile), "R-MILR")
    assert (milr.due, milr.status) == (None, "open")


# --- R-ILR ------------------------------------------------------------------------------------------


def test_no_ilr_is_expected_for_a_citizen_unknown_in_eoj():
    assert (
        ilr_expected(Citizen(known_in_eoj=False, residence="own_home", social_area=False, terminal=False))
        is False
    )
    assert (
        ilr_expected(Citizen(known_in_eoj=True, residence="own_home", social_area=False, terminal=False))
        is True
    )
    evaluation = run(
        [admitted("2026-02-02T08:00:00+01:00")], now="2026-02-02T09:00:00+01:00", known_in_eoj=False
    )
    assert evaluation.ilr_expected is False
    assert [o.rule for o in evaluation.obligations] == []  # R-ILR is never an obligation


# --- R-READ -----------------------------------------------------------------------------------------


def test_each_received_message_is_read_by_the_receiving_side_within_8_hours():
    events = [
        admitted("2026-02-02T14:20:00+01:00"),
        message("2026-02-02T14:21:00+01:00", "ADVIS-IND"),  # hospital -> municipality
        message("2026-02-02T14:22:00+01:00", "ILR"),  # municipality -> hospital
        message("2026-02-02T15:00:00+01:00", "KM"),  # no read duty: KM has its own agreement
    ]
    events[-1].update({"from": "hospital", "subject": "Hej"})
    reads = obligations_of(run(events, now="2026-02-02T16:00:00+01:00"), "R-READ")
    assert [(o.message, o.owner, o.due.isoformat()) for o in reads] == [
        ("ADVIS-IND", "municipality", "2026-02-02T22:21:00+01:00"),
        ("ILR", "hospital", "2026-02-02T22:22:00+01:00"),
    ]
    assert len({o.key for o in reads}) == 2


def test_a_read_marks_every_earlier_unread_message_of_that_code_but_not_later_ones():
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        event(
            "2026-02-03T09:00:00+01:00",
            "message",
            code="PFP",
            coordination_needed=False,
            faerdigbehandlet_date="2026-02-06",
            date_certain=False,
        ),
        event(
            "2026-02-03T10:00:00+01:00",
            "message",
            code="PFP",
            coordination_needed=False,
            faerdigbehandlet_date="2026-02-06",
            date_certain=True,
        ),
        read("2026-02-03T11:00:00+01:00", "PFP", "municipality"),
        event(
            "2026-02-03T12:00:00+01:00",
            "message",
            code="PFP",
            coordination_needed=False,
            faerdigbehandlet_date="2026-02-06",
            date_certain=True,
        ),
    ]
    reads = obligations_of(run(events, now="2026-02-03T21:00:00+01:00"), "R-READ")
    assert [(o.status, o.met_at) for o in reads] == [
        ("met", at("2026-02-03T11:00:00+01:00")),
        ("met", at("2026-02-03T11:00:00+01:00")),
        ("overdue", None),  # sent 12:00 after the read; due 20:00
    ]


def test_a_read_by_the_sending_side_does_not_count():
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        message("2026-02-02T08:01:00+01:00", "ADVIS-IND"),
        read("2026-02-02T09:00:00+01:00", "ADVIS-IND", "hospital"),
    ]
    assert only(run(events, now="2026-02-02T10:00:00+01:00"), "R-READ").met_at is None


def test_mof_mof_genoptaget_and_advis_ud_that_follow_from_events_must_be_read_too():
    events = [
        admitted("2026-02-02T08:00:00+01:00"),
        event("2026-02-05T10:00:00+01:00", "faerdigbehandlet", date="2026-02-05", waiting_for=["plejebolig"]),
        event("2026-02-06T10:00:00+01:00", "treatment_resumed", reason="relapse"),
        event("2026-02-07T10:00:00+01:00", "left_ward"),
        event("2026-02-07T11:00:00+01:00", "discharge_registered"),
        read("2026-02-07T12:00:00+01:00", "ADVIS-UD", "municipality"),
    ]
    reads = obligations_of(run(events, now="2026-02-07T12:00:00+01:00"), "R-READ")
    assert [(o.message, o.owner, o.status) for o in reads] == [
        ("MOF", "municipality", "overdue"),
        ("MOF-GENOPTAGET", "municipality", "overdue"),
        ("ADVIS-UD", "municipality", "met"),
    ]


def test_the_read_deadline_counts_elapsed_hours_across_the_october_change():
    # ADVIS-IND 22:00 +02:00 (20:00Z) + 8 h = 04:00Z = 05:00 +01:00
    events = [admitted("2026-10-24T22:00:00+02:00"), message("2026-10-24T22:00:00+02:00", "ADVIS-IND")]
    read_duty = only(run(events, now="2026-10-24T23:00:00+02:00"), "R-READ")
    assert read_duty.due.isoformat() == "2026-10-25T05:00:00+01:00"


@pytest.mark.parametrize("profile", ["sjaelland", "midtjylland"])
def test_read_receipts_are_a_hovedstaden_duty_only(profile):
    events = [admitted("2026-02-02T08:00:00+01:00"), message("2026-02-02T08:01:00+01:00", "ADVIS-IND")]
    assert obligations_of(run(events, now="2026-02-02T20:00:00+01:00", profile=profile), "R-READ") == []


# --- R-USR ------------------------------------------------------------------------------------------


def test_usr_is_due_at_the_planned_discharge_and_then_at_the_departure():
    base = [
        admitted("2026-02-02T08:00:00+01:00"),
        planned("2026-02-04T09:00:00+01:00", "2026-02-05T11:00:00+01:00"),
    ]
    before = only(run(base, now="2026-02-05T11:30:00+01:00"), "R-USR")
    assert (before.due, before.status) == (at("2026-02-05T11:00:00+01:00"), "overdue")
    after = only(
        run([*base, event("2026-02-05T12:10:00+01:00", "left_ward")], now="2026-02-05T12:30:00+01:00"),
        "R-USR",
    )
    assert (after.due, after.status) == (at("2026-02-05T12:10:00+01:00"), "overdue")


def test_usr_is_met_by_a_usr_sent_days_before_and_late_when_sent_after_the_departure():
    early = [
        admitted("2026-02-02T08:00:00+01:00"),
        message("2026-02-03T09:00:00+01:00", "USR"),
        planned("2026-02-04T09:00:00+01:00", "2026-02-05T11:00:00+01:00"),
    ]
    assert only(run(early, now="2026-02-05T12:00:00+01:00"), "R-USR").status == "met"
    late = [
        admitted("2026-02-02T08:00:00+01:00"),
        planned("2026-02-04T09:00:00+01:00", "2026-02-05T11:00:00+01:00"),
        event("2026-02-05T11:00:00+01:00", "left_ward"),
        message("2026-02-05T11:05:00+01:00", "USR"),
    ]
    assert only(run(late, now="2026-02-05T12:00:00+01:00"), "R-USR").status == "late"


def test_usr_is_not_listed_before_a_discharge_is_planned():
    assert (
        obligations_of(run([admitted("2026-02-02T08:00:00+01:00")], now="2026-02-09T08:00:00+01:00"), "R-USR")
        == []
    )


@pytest.mark.parametrize(
    ("known", "practical_only", "listed"),
    [
        (
            False,
            True,
            False,
        ),  # "Hvis borgeren ikke er kendt ... og kun har brug for praktisk hjælp ... ikke en USR"
        (True, True, True),  # known: "Der sendes en USR"
        (False, False, True),
    ],
)
def test_usr_is_not_owed_for_a_citizen_unknown_in_eoj_who_needs_only_practical_help(
    known, practical_only, listed
):
    events = [
        admitted("2026-02-02T08:00:00+01:00", stay="under_48h"),
        planned("2026-02-02T09:00:00+01:00", "2026-02-02T15:00:00+01:00", practical_help_only=practical_only),
    ]
    evaluation = run(events, now="2026-02-02T10:00:00+01:00", known_in_eoj=known)
    assert len(obligations_of(evaluation, "R-USR")) == int(listed)


# --- R-ADVIS-UD -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left_at", "registered_at", "now", "due", "status"),
    [
        # left 14:10 -> due 16:10; registered 14:40 -> met
        (
            "2026-02-05T14:10:00+01:00",
            "2026-02-05T14:40:00+01:00",
            "2026-02-05T15:00:00+01:00",
            "2026-02-05T16:10:00+01:00",
            "met",
        ),
        # registered 16:11, one minute after due -> late
        (
            "2026-02-05T14:10:00+01:00",
            "2026-02-05T16:11:00+01:00",
            "2026-02-05T17:00:00+01:00",
            "2026-02-05T16:10:00+01:00",
            "late",
        ),
        # not registered, now after due -> overdue
        (
            "2026-02-05T14:10:00+01:00",
            None,
            "2026-02-05T16:11:00+01:00",
            "2026-02-05T16:10:00+01:00",
            "overdue",
        ),
        # left 01:30 +02:00 on the October change night; + 2 elapsed hours = 02:30 +01:00 (the second 02:30)
        ("2026-10-25T01:30:00+02:00", None, "2026-10-25T02:00:00+02:00", "2026-10-25T02:30:00+01:00", "open"),
    ],
    ids=["met", "late", "overdue", "dst-october"],
)
def test_the_discharge_is_registered_within_2_hours_of_leaving_the_ward(
    left_at, registered_at, now, due, status
):
    events = [admitted("2026-01-30T08:00:00+01:00"), event(left_at, "left_ward")]
    if registered_at:
        events.append(event(registered_at, "discharge_registered"))
    advis = only(run(events, now=now), "R-ADVIS-UD")
    assert (advis.due.isoformat(), advis.status, advis.owner) == (due, status, "hospital")


def test_advis_ud_has_no_due_in_sjaelland():
    events = [admitted("2026-02-02T08:00:00+01:00"), event("2026-02-05T14:10:00+01:00", "left_ward")]
    advis = only(run(events, now="2026-02-09T08:00:00+01:00", profile="sjaelland"), "R-ADVIS-UD")
    assert (advis.due, advis.status) == (None, "open")


def test_the_ambiguous_october_hour_is_judged_as_real_time():
    # left 01:30 +02:00 (23:30Z) -> due 01:30Z = the second 02:30 (+01:00); registered at the first 02:45
    # (+02:00 = 00:45Z) which is 45 minutes before due, although its wall clock reads later
    events = [
        admitted("2026-10-20T08:00:00+02:00"),
        event("2026-10-25T01:30:00+02:00", "left_ward"),
        event("2026-10-25T02:45:00+02:00", "discharge_registered"),
    ]
    advis = only(run(events, now="2026-10-25T04:00:00+01:00"), "R-ADVIS-UD")
    assert (advis.due.isoformat(), advis.status) == ("2026-10-25T02:30:00+01:00", "met")
