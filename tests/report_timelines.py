"""Building known histories for the report tests: timelines in the REPLAY.md format, recorded through
`load_timelines` at a fixed clock."""

from __future__ import annotations

import io
import itertools
import json
import random
import sys
from datetime import date

from django.core.management import CommandError, call_command

from coordination.cpr import fictitious_cpr

_serial = itertools.count(1)


def new_cpr() -> str:
    n = next(_serial)
    return fictitious_cpr(
        date(1935 + n % 30, 1 + n % 12, 2 + n % 27), female=n % 2 == 0, rng=random.Random(n)
    )


def timeline(
    events: list[dict],
    *,
    hospital="Nordsjællands Hospital",
    ward="Medicinsk afdeling",
    municipality="0219",
    profile="hovedstaden",
    cpr=None,
) -> dict:
    return {
        "profile": profile,
        "citizen": {"known_in_eoj": True, "residence": "own_home", "social_area": False, "terminal": False},
        "events": events,
        "where": {
            "hospital": hospital,
            "ward": ward,
            "municipality": municipality,
            "cpr": cpr or new_cpr(),
            "name": "Karen Hansen",
        },
    }


def admitted(at: str) -> dict:
    return {"at": at, "type": "admitted", "expected_stay": "over_48h", "somatic": True}


def message(at: str, code: str, **fields) -> dict:
    return {"at": at, "type": "message", "code": code, **fields}


def event(at: str, kind: str, **fields) -> dict:
    return {"at": at, "type": kind, **fields}


def stay(admitted_at: str, *steps: dict, **where) -> dict:
    """An admission with its automatic advis a minute later, then the given events."""
    return timeline([admitted(admitted_at), message(admitted_at, "ADVIS-IND"), *steps], **where)


def load(timelines: list[dict]) -> str:
    """Record the timelines with `load_timelines -` (at the clock's time); every line must load."""
    text = "\n".join(json.dumps(t) for t in timelines)
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        call_command("load_timelines", "-", stdout=out, stderr=err)
    except SystemExit as exit_:
        raise AssertionError(f"load_timelines failed ({exit_.code}): {err.getvalue()}") from None
    finally:
        sys.stdin = old
    return out.getvalue()


def run_report(name: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command(name, *args, stdout=out, stderr=err)
    except CommandError as error:
        code = error.returncode
        err.write(str(error))
    return code, out.getvalue(), err.getvalue()
