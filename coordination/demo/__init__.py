"""Deterministic demo timelines for Region Hovedstaden (pure, no Django).

`demo_timelines(count, seed, now)` returns citizens' courses in the `load_timelines` shape of
shared/domain/REPLAY.md ("Persisting timelines"): ``profile``, ``citizen``, ``events`` and ``where``.
`seed_demo` records them through the same services as `load_timelines`.

The set shows every stage of the flow on the board: just admitted (MILR open, some overdue), reports
received, PFP with an expected and with a certain date, further coordination, discharge agreed by phone,
færdigbehandlet and waiting, a relapse, USR sent, recently discharged, and rehabilitation after discharge.
Every timeline obeys RULES.md: nothing the engine would refuse (R-FLOW, R-FB-REG, R-FB-RESUME, R-FB-TERMINAL).

How times are made: all arithmetic is on UTC instants (elapsed time is right across daylight saving), and
local clock times are built in Europe/Copenhagen. Each event is drawn in a window that starts after the
previous event and ends before `now` (or before a deadline the stage wants kept), preferring daytime, so
every timeline is in strict time order and nothing lies after `now`, whatever time of day `now` is.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from coordination.cpr import fictitious_cpr
from coordination.demo.content import with_content
from coordination.demo.course import PROFILE, iso, to_local
from coordination.demo.stages import STAGES, waited_then_home
from coordination.reference_data import (
    FIRST_NAMES_FEMALE,
    FIRST_NAMES_MALE,
    HOSPITAL_CATCHMENT,
    HOSPITALS,
    SURNAMES,
)


def _birth_date(rng: random.Random, today: date) -> date:
    """A birth date giving an age of 65–98 today (mostly around 80), never 1 January (see fictitious_cpr)."""
    while True:
        age = min(98, int(rng.triangular(65, 99, 82)))
        try:
            latest = today.replace(year=today.year - age)
        except ValueError:  # today is 29 February
            latest = date(today.year - age, 2, 28)
        born = latest - timedelta(days=rng.randint(0, 364))
        if (born.month, born.day) != (1, 1):
            return born


def _where(rng: random.Random, today: date, used_cprs: set[str]) -> dict[str, str]:
    """Hospital, ward, municipality of residence (in the hospital's catchment), CPR and name."""
    hospitals = HOSPITALS[PROFILE]
    # Bornholm and Rigshospitalet (highly specialised) admit fewer of these citizens.
    weights = [
        1 if h.name == "Bornholms Hospital" else 3 if h.name == "Rigshospitalet" else 5 for h in hospitals
    ]
    hospital = rng.choices(hospitals, weights=weights)[0]
    # Place and name first: they must not shift with today's date, which the birth date below depends on.
    ward = rng.choice(hospital.wards).name
    municipality = rng.choice(HOSPITAL_CATCHMENT[hospital.name])
    female = rng.random() < 0.58  # more women than men among the oldest citizens
    first = rng.choice(FIRST_NAMES_FEMALE if female else FIRST_NAMES_MALE)
    name = f"{first} {rng.choice(SURNAMES)}"
    while True:
        born = _birth_date(rng, today)
        cpr = fictitious_cpr(born, female, rng)
        if cpr not in used_cprs:
            break
    used_cprs.add(cpr)
    return {"hospital": hospital.name, "ward": ward, "municipality": municipality, "cpr": cpr, "name": name}


def demo_timelines(count: int, seed: int, now: datetime) -> list[dict[str, Any]]:
    """`count` demo timelines for Region Hovedstaden, judged at `now` (an aware datetime).

    Deterministic: the same (count, seed, now) gives the same list, and a smaller count gives a prefix of a
    larger one. Timeline i is of stage ``STAGES[i % len(STAGES)]``; later rounds vary the times and details.
    Each is a `load_timelines` object: ``{"profile", "now", "citizen", "events", "where"}``.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if count < 0:
        raise ValueError("count must not be negative")
    now = now.astimezone(UTC)
    today = to_local(now).date()
    used_cprs: set[str] = set()
    timelines = []
    for index in range(count):
        # One rng per timeline, seeded from (seed, index): a timeline does not depend on the ones before it.
        rng = random.Random(f"sektorovergang-demo:{seed}:{index}")
        _name, build = STAGES[index % len(STAGES)]
        course = build(rng, now, index // len(STAGES))
        timelines.append(
            {
                "profile": PROFILE,
                # Not needed by load_timelines (it uses the clock), but it makes each object a replay input.
                "now": iso(now),
                "citizen": course.citizen,
                # The messages' text for the printouts, from an rng of its own (the times stay as they are).
                "events": with_content(course.events(), random.Random(f"sektorovergang-text:{seed}:{index}")),
                # Its own rng too: where a citizen lies (and so which demo users see whom) does not shift with
                # the time of day the demo is made.
                "where": _where(random.Random(f"sektorovergang-where:{seed}:{index}"), today, used_cprs),
            }
        )
    return timelines


# Courses that end with the citizen gone home: the history behind the figures, the sweep and the reports.
_HISTORIC = (
    *(build for name, build in STAGES if name in ("discharged", "rehabilitation")),
    waited_then_home,
)


def _completed(events: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """A course long past is complete: every message read by the side that received it, and the
    rehabilitation started after a genoptræningsplan. A course cut off at its moment in the past would
    leave those duties open, and the admission on its side's board for ever (issue 15: the benchmark's
    historic admissions)."""
    from coordination.rules.messages import receiver

    last = max(datetime.fromisoformat(e["at"]) for e in events)
    received, read = {}, {}  # (code, side): the index of the last message, of the last read
    for index, event in enumerate(events):
        data = {k: v for k, v in event.items() if k not in ("at", "type")}
        told = receiver(event["type"], data)
        if told is not None:
            received[told] = index
        if event["type"] == "message_read":
            read[(event["code"], event["by"])] = index
    extra = []
    for code, side in sorted(received):
        if read.get((code, side), -1) < received[(code, side)]:
            last += timedelta(minutes=7)
            extra.append({"at": iso(last), "type": "message_read", "code": code, "by": side})
    left = any(e["type"] == "left_ward" for e in events)
    gop = any(e["type"] == "message" and e.get("code") == "GOP" for e in events)
    if left and gop and not any(e["type"] == "rehabilitation_started" for e in events):
        last += timedelta(days=2)
        extra.append({"at": iso(last), "type": "rehabilitation_started"})
    return events + [e for e in extra if datetime.fromisoformat(e["at"]) <= now]


def historic_timelines(
    count: int, seed: int, now: datetime, *, taken: frozenset[str] | set[str] = frozenset()
) -> list[dict[str, Any]]:
    """`count` admissions discharged between a month and three years before `now` (benchmark data, issue 15):
    discharged courses of the demo judged at a moment of their own in the past, to be loaded at `now`.
    Deterministic like `demo_timelines`; no CPR of `taken` (e.g. the active demo's citizens) is used."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    used_cprs = set(taken)
    timelines = []
    for index in range(count):
        rng = random.Random(f"sektorovergang-historic:{seed}:{index}")
        then = now - timedelta(days=rng.uniform(30, 3 * 365), minutes=rng.randrange(24 * 60))
        course = _HISTORIC[index % len(_HISTORIC)](rng, then, index // len(_HISTORIC))
        text = random.Random(f"sektorovergang-historic-text:{seed}:{index}")
        where = random.Random(f"sektorovergang-historic-where:{seed}:{index}")
        timelines.append(
            {
                "profile": PROFILE,
                "now": iso(now),
                "citizen": course.citizen,
                "events": with_content(_completed(course.events(), now), text),
                "where": _where(where, to_local(then).date(), used_cprs),
            }
        )
    return timelines
