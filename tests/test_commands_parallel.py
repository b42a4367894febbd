"""`load_timelines --jobs` and `seed_demo --jobs` (commands/_parallel.py, issue 15): the timelines loaded in
several processes leave exactly what loading them in one leaves, and the failures are reported alike, in the
order of the lines. The processes open their own connections, so these tests commit (transaction=True)."""

from __future__ import annotations

import io
import json
from datetime import datetime

import pytest

from coordination.demo import demo_timelines
from coordination.management.commands import _parallel
from coordination.management.commands.load_timelines import load_lines_judged
from coordination.models import Admission, Hospital, Ward
from tests.test_bulk_loading import snapshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NOW = datetime.fromisoformat("2026-12-02T10:00:00+01:00")


def lines(prefix: str, count: int) -> list[str]:
    """`count` demo timelines for citizens numbered from `prefix`, and two lines that fail."""
    found = []
    for index, obj in enumerate(demo_timelines(count, seed=5, now=NOW)):
        found.append(json.dumps({**obj, "where": {**obj["where"], "cpr": f"{prefix}{index:05d}"}}))
    refused = json.loads(found[3])
    refused["where"]["cpr"] = f"{prefix}99999"
    refused["events"].append({**refused["events"][-1], "type": "admitted"})  # a second admission
    found.insert(7, json.dumps(refused))
    found.insert(2, "not json")
    return found


def load(text: list[str], jobs: int) -> tuple[tuple, str, dict]:
    err = io.StringIO()
    result = load_lines_judged("\n".join(text), now=NOW, stderr=err, jobs=jobs)
    mine = Admission.objects.filter(citizen__cpr__startswith=text_prefix(text))
    loaded = {a.citizen.cpr[5:]: snapshot(a) for a in mine}
    return result, err.getvalue(), loaded


def text_prefix(text: list[str]) -> str:
    return json.loads(text[0])["where"]["cpr"][:5]


def test_loading_in_two_processes_leaves_what_one_process_leaves(monkeypatch):
    monkeypatch.setattr(_parallel, "MIN_PER_PROCESS", 5)
    made_places = []
    original = _parallel._make_places
    monkeypatch.setattr(_parallel, "_make_places", lambda work: made_places.append(original(work)))
    one = load(lines("02024", 26), jobs=1)
    assert not made_places  # one process: no places made beforehand
    two = load(lines("03034", 26), jobs=2)
    assert made_places  # two processes were used
    assert len(one[2]) == 26
    assert one[0] == two[0]
    assert one[1].replace("02024", "03034") == two[1]
    assert one[2] == two[2]
    # every place once, whoever needed it first
    assert Hospital.objects.count() == Hospital.objects.values("name").distinct().count()
    assert Ward.objects.count() == Ward.objects.values("hospital", "name").distinct().count()


def test_inside_a_transaction_it_stays_in_one_process(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(_parallel, "MIN_PER_PROCESS", 5)
    monkeypatch.setattr(_parallel, "_make_places", lambda work: pytest.fail("processes inside a transaction"))
    with transaction.atomic():
        (loaded, failed, _worst), _err, _ = load(lines("04044", 12), jobs=2)
    assert (loaded, failed) == (12, 2)
