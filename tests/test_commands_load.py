"""load_timelines (REPLAY.md "Persisting timelines"): each line in its own transaction, via the services."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from coordination.models import Admission, Citizen, Hospital, Ward


def timeline(cpr: str, name: str = "Karen Hansen", **overrides) -> dict:
    now = timezone.now()
    obj = {
        "profile": "hovedstaden",
        "citizen": {"known_in_eoj": True, "residence": "own_home", "social_area": False, "terminal": False},
        "events": [
            {
                "at": (now - timedelta(hours=30)).isoformat(),
                "type": "admitted",
                "expected_stay": "over_48h",
                "somatic": True,
            },
            {
                "at": (now - timedelta(hours=29, minutes=59)).isoformat(),
                "type": "message",
                "code": "ADVIS-IND",
            },
            {"at": (now - timedelta(hours=25)).isoformat(), "type": "message", "code": "MILR"},
        ],
        "where": {
            "hospital": "Nordsjællands Hospital",
            "ward": "Medicinsk afdeling",
            "municipality": "0219",
            "cpr": cpr,
            "name": name,
        },
    }
    obj.update(overrides)
    return obj


@pytest.fixture
def load(monkeypatch):
    """Run `load_timelines -` on these lines; returns (exit code, stdout, stderr)."""

    def run(lines: list[dict | str]):
        text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
        monkeypatch.setattr("sys.stdin", io.StringIO(text))
        out, err = io.StringIO(), io.StringIO()
        code = 0
        try:
            call_command("load_timelines", "-", stdout=out, stderr=err)
        except SystemExit as exit_:
            code = exit_.code
        return code, out.getvalue(), err.getvalue()

    return run


@pytest.mark.django_db
def test_loads_timelines_creating_hospital_and_ward_in_the_profiles_region(load):
    code, out, err = load([timeline("0203451234"), timeline("1505321236", name="Ole Olsen")])
    assert code == 0
    assert out.strip().splitlines()[-1] == "loaded 2, failed 0"
    hospital = Hospital.objects.get(name="Nordsjællands Hospital")
    assert hospital.region.slug == "hovedstaden"
    assert Ward.objects.filter(hospital=hospital, name="Medicinsk afdeling").count() == 1
    admission = Admission.objects.get(citizen__cpr="0203451234")
    assert admission.municipality.code == "0219"
    assert admission.obligations.get(rule="R-MILR").status == "met"


@pytest.mark.django_db
def test_a_failing_line_is_reported_by_number_and_leaves_nothing_behind(load):
    bad_order = timeline("1111501238", name="Uheldig Ordning")
    bad_order["events"].append({"at": bad_order["events"][0]["at"], "type": "left_ward"})  # before the MILR
    refused = timeline("1212501236", name="Afvist Hændelse")
    refused["events"].append(
        {"at": timezone.now().isoformat(), "type": "treatment_resumed", "reason": "relapse"}
    )
    unknown_municipality = timeline("0506471238", name="Ukendt Kommune")
    unknown_municipality["where"]["municipality"] = "9999"
    code, out, err = load([timeline("0203451234"), "not json", bad_order, unknown_municipality, refused])
    assert code == 2  # lines 2-4 are no usable timelines (CONTRACTS.md: 2 on unusable input)
    assert out.strip().splitlines()[-1] == "loaded 1, failed 4"
    reported = [line.split(":")[0] for line in err.strip().splitlines()]
    assert reported == ["linje 2", "linje 3", "linje 4", "linje 5"]
    assert "R-FB-RESUME" in err
    # Only the first line's citizen exists; the refused ones left no citizen, admission or event.
    assert list(Citizen.objects.values_list("cpr", flat=True)) == ["0203451234"]
    assert Admission.objects.count() == 1


@pytest.mark.django_db
def test_a_timeline_whose_event_the_services_refuse_is_work_that_failed_exit_1(load):
    refused = timeline("1212501236", name="Afvist Hændelse")
    refused["events"].append(
        {"at": timezone.now().isoformat(), "type": "treatment_resumed", "reason": "relapse"}
    )
    code, out, err = load([timeline("0203451234"), refused])
    assert (code, out.strip().splitlines()[-1]) == (1, "loaded 1, failed 1")
    assert err.startswith("linje 2: ") and "R-FB-RESUME" in err
