"""The three default agreement profiles follow RULES.md's profile matrix; versions by valid_from."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from coordination.rules import PROFILES, profile_at

H, S, M = PROFILES["hovedstaden"], PROFILES["sjaelland"], PROFILES["midtjylland"]


def test_there_are_exactly_the_three_regions_with_their_valid_from_dates():
    assert {code: p.valid_from for code, p in PROFILES.items()} == {
        "hovedstaden": date(2019, 1, 1),
        "sjaelland": date(2019, 1, 1),
        "midtjylland": date(2023, 1, 1),
    }
    assert all(p.code == code for code, p in PROFILES.items())


@pytest.mark.parametrize(
    ("field", "hovedstaden", "sjaelland", "midtjylland"),
    [
        ("milr_due_hours", 8, None, None),  # R-MILR: 8 h / 10:00 | no due | no due
        ("milr_night_due_time", time(10), None, None),
        ("pfp_coord", True, False, False),  # R-PFP-COORD
        ("mun_contact_hours", 24, None, None),  # R-MUN-24H
        ("mun_contact", True, False, False),
        ("pfp_date", True, False, True),  # R-PFP-DATE: 13:00 the day before | - | no due
        ("pfp_date_due_time", time(13), None, None),
        ("pfp_always", False, True, False),  # R-PFP-ALWAYS
        ("pfp_ack", False, True, False),  # R-PFP-ACK
        ("conference_pfp", False, True, False),  # R-CONFERENCE(-MINUTES)
        ("call_13", True, False, False),  # R-CALL-13
        ("advis_ud_hours", 2, None, None),  # R-ADVIS-UD: 2 h | no due | no due
        ("read_receipts", True, False, False),  # R-READ
        ("read_hours", 8, 8, 8),
        ("gop_start_days", 7, 7, 7),  # R-GOP-START in every profile
        ("gop_answer", False, True, False),  # R-GOP-ANSWER
        ("extended_responsibility_hours", None, None, 72),  # R-72H
        ("medicine_until_weekday", False, True, False),  # R-MEDICIN
        ("psyk_refusals", False, False, True),  # R-PSYK
        ("plejebolig_warning", True, False, False),  # R-PLEJEBOLIG
        ("fb_date_mismatch_warning", True, False, False),  # R-FB-REG mismatch
        ("fb_precond_warning", True, False, False),  # R-FB-PRECOND
        ("night_shift_start", time(23), time(23), time(23)),
        ("night_shift_end", time(7), time(7), time(7)),
        ("late_evening_start", time(20), time(20), time(20)),
        ("late_evening_end", time(7), time(7), time(7)),
        ("pfp_ack_subject", "Plejeforløbsplan ok", "Plejeforløbsplan ok", "Plejeforløbsplan ok"),
        ("gop_question_prefix", "Genoptræningsplan", "Genoptræningsplan", "Genoptræningsplan"),
        ("long_stay_hours", 48, 48, 48),
        ("extended_responsibility_min_stay_hours", 24, 24, 24),
        ("pfp_date_days_before", 1, 1, 1),
        ("call_13_time", time(13), time(13), time(13)),
    ],
)
def test_the_default_profiles_follow_the_matrix(field, hovedstaden, sjaelland, midtjylland):
    assert (getattr(H, field), getattr(S, field), getattr(M, field)) == (hovedstaden, sjaelland, midtjylland)


def test_the_version_in_force_is_the_latest_valid_from_on_or_before_the_day_else_the_earliest():
    v2024 = replace(H, valid_from=date(2024, 1, 1), milr_due_hours=6)
    versions = (H, v2024)
    assert profile_at(versions, date(2023, 12, 31)).milr_due_hours == 8
    assert profile_at(versions, date(2024, 1, 1)).milr_due_hours == 6
    assert profile_at(versions, date(2018, 6, 1)).milr_due_hours == 8  # before all: the earliest
