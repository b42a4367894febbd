"""The three default agreement profiles, as plain data (RULES.md "Agreement profiles", the profile matrix).

These are the reference the database's data migration mirrors; an administrator may add later versions.
`profile_at` picks the version in force on a date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, time

from .types import Profile

# Hovedstaden, seed 000 (Kommunikationsaftale 2019): the fixed deadlines.
HOVEDSTADEN = Profile(
    code="hovedstaden",
    valid_from=date(2019, 1, 1),
    milr_due_hours=8,  # "senest 8 timer efter at indlæggelsesadvis er modtaget"
    night_shift_start=time(23, 0),
    night_shift_end=time(7, 0),
    milr_night_due_time=time(10, 0),  # "Ved indlæggelse i nattevagt sendes inden kl. 10"
    pfp_coord=True,
    mun_contact=True,
    mun_contact_hours=24,  # "Kommunen kontakter hospitalet indenfor 24 timer"
    pfp_date=True,
    pfp_date_due_time=time(13, 0),  # "senest kl. 13 dagen før udskrivelsen"
    pfp_date_days_before=1,
    long_stay_hours=48,
    pfp_always=False,
    pfp_ack=False,
    pfp_ack_subject="Plejeforløbsplan ok",
    conference_pfp=False,
    call_13=True,
    call_13_time=time(13, 0),
    advis_ud_hours=2,  # "senest 2 timer efter at borgeren har forladt afdelingen"
    read_receipts=True,
    read_hours=8,  # "2-3 gange i hver vagt": within one shift
    gop_start_days=7,
    gop_answer=False,
    gop_question_prefix="Genoptræningsplan",
    extended_responsibility_hours=None,
    extended_responsibility_min_stay_hours=24,
    medicine_until_weekday=False,
    psyk_refusals=False,
    plejebolig_warning=True,
    late_evening_start=time(20, 0),
    late_evening_end=time(7, 0),
    fb_date_mismatch_warning=True,
    fb_precond_warning=True,
)

# Sjælland, seed 001 (Sundhedsaftalen 2019-2023): the PFP always, acknowledged by KM; no fixed hours.
SJAELLAND = replace(
    HOVEDSTADEN,
    code="sjaelland",
    valid_from=date(2019, 1, 1),
    milr_due_hours=None,
    milr_night_due_time=None,
    pfp_coord=False,
    mun_contact=False,
    mun_contact_hours=None,
    pfp_date=False,
    pfp_date_due_time=None,
    pfp_always=True,
    pfp_ack=True,
    conference_pfp=True,
    call_13=False,
    advis_ud_hours=None,
    read_receipts=False,
    gop_answer=True,  # "Besvarer henvendelser ... senest efterfølgende hverdag"
    medicine_until_weekday=True,  # "Giver medicin ... med til førstkommende hverdag"
    plejebolig_warning=False,
    fb_date_mismatch_warning=False,
    fb_precond_warning=False,
)

# Midtjylland, seed 002 (2023): "de faste tidsfrister (varslinger) er fjernet" -> duties without due;
# the 72-hour extended responsibility; psychiatry / social area refusals.
MIDTJYLLAND = replace(
    HOVEDSTADEN,
    code="midtjylland",
    valid_from=date(2023, 1, 1),
    milr_due_hours=None,
    milr_night_due_time=None,
    pfp_coord=False,
    mun_contact=False,
    mun_contact_hours=None,
    pfp_date=True,
    pfp_date_due_time=None,  # "fælles forberedelsestid": the duty stays, without a deadline
    call_13=False,
    advis_ud_hours=None,
    read_receipts=False,
    extended_responsibility_hours=72,
    psyk_refusals=True,
    plejebolig_warning=False,
    fb_date_mismatch_warning=False,
    fb_precond_warning=False,
)

PROFILES: dict[str, Profile] = {p.code: p for p in (HOVEDSTADEN, SJAELLAND, MIDTJYLLAND)}


def as_versions(profiles: Profile | Sequence[Profile]) -> tuple[Profile, ...]:
    """The versions sorted by valid_from (one profile is one version)."""
    versions = (profiles,) if isinstance(profiles, Profile) else tuple(profiles)
    if not versions:
        raise ValueError("at least one profile version is needed")
    return tuple(sorted(versions, key=lambda p: p.valid_from))


def profile_at(versions: Sequence[Profile], day: date) -> Profile:
    """The version in force on `day`: the latest valid_from on or before it; before all, the earliest."""
    chosen = versions[0]
    for version in versions:
        if version.valid_from <= day:
            chosen = version
    return chosen
