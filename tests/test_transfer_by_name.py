"""Issue 11: a `transferred` event names its places by name and code (docs/replay.md), never by this
database's ids: an imported timeline cannot move an admission (and its access) to a ward named by an
id."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from coordination import services
from coordination.models import Admission
from tests.conftest import cph
from tests.factories import CitizenFactory, WardFactory, municipality, staff_user
from tests.test_commands_load import timeline


def sees(user, admission) -> bool:
    return Admission.objects.visible_to(user).filter(pk=admission.pk).exists()


@pytest.fixture
def load(monkeypatch):
    def run(lines):
        monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(json.dumps(line) for line in lines)))
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command("load_timelines", "-", stdout=out, stderr=err)
        except SystemExit as exit_:
            return exit_.code, out.getvalue(), err.getvalue()
        return 0, out.getvalue(), err.getvalue()

    return run


def with_transfer(cpr, **fields):
    line = timeline(cpr)
    at = (timezone.now() - timedelta(hours=20)).isoformat()
    line["events"].append({"at": at, "type": "transferred", **fields})
    return line


def test_an_imported_transfer_naming_a_ward_by_its_id_does_not_move_the_access(db, load):
    elsewhere = WardFactory(name="Kardiologisk afdeling", hospital__name="Herlev og Gentofte Hospital")
    stranger = staff_user("herlev", ward=elsewhere)
    cpr = CitizenFactory.build().cpr
    code, _out, err = load([with_transfer(cpr, ward=str(elsewhere.pk))])
    assert code == 0, err
    admission = Admission.objects.get(citizen__cpr=cpr)
    assert admission.ward_id != elsewhere.pk and not sees(stranger, admission)
    # The value is read as a ward's name at the timeline's hospital.
    assert (admission.ward.hospital.name, admission.ward.name) == (
        "Nordsjællands Hospital",
        str(elsewhere.pk),
    )


def test_an_imported_transfer_moves_by_ward_name_and_municipality_code(db, load):
    cpr = CitizenFactory.build().cpr
    code, _out, err = load([with_transfer(cpr, ward="Geriatrisk afdeling", municipality="0101")])
    assert code == 0, err
    admission = Admission.objects.get(citizen__cpr=cpr)
    assert (admission.ward.hospital.name, admission.ward.name) == (
        "Nordsjællands Hospital",
        "Geriatrisk afdeling",
    )
    assert admission.municipality.code == "0101"
    assert sees(staff_user("kbh", municipality=municipality("0101")), admission)
    assert not sees(staff_user("hillerod", municipality=municipality("0219")), admission)


def test_an_imported_transfer_to_an_unknown_municipality_code_is_refused(db, load):
    cpr = CitizenFactory.build().cpr
    code, _out, err = load([with_transfer(cpr, municipality="9999")])
    assert code != 0 and "Ukendt kommunekode" in err
    assert not Admission.objects.filter(citizen__cpr=cpr).exists()


def test_a_move_in_the_app_is_stored_by_name_and_a_later_move_keeps_the_ward(admission, hospital_actor):
    new_ward = WardFactory(name="Geriatrisk afdeling", hospital=admission.ward.hospital)
    services.transfer_admission(
        admission,
        at=cph("2026-02-03 09:00"),
        ward=new_ward,
        actor=hospital_actor,
        now=cph("2026-02-03 09:00"),
    )
    event = admission.events.get(type="transferred")
    assert event.data == {
        "ward": "Geriatrisk afdeling",
        "hospital": admission.ward.hospital.name,
        "municipality": None,
    }
    services.transfer_admission(
        admission,
        at=cph("2026-02-03 10:00"),
        municipality=municipality("0101"),
        actor=hospital_actor,
        now=cph("2026-02-03 10:00"),
    )
    admission.refresh_from_db()
    assert admission.ward == new_ward and admission.municipality.code == "0101"
