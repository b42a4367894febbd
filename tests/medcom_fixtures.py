"""The places MedCom's example messages name, set up as a municipality would have them: Plejecenter Herlev
(SOR 953741000016009) receives for Herlev Kommune, the heart department of Herlev og Gentofte Hospital has
SOR 265161000016000, and the test citizen Bruno Test Elmer (CPR 2509479989) lives in Herlev."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from coordination.models import Citizen, MedcomUnit
from tests.factories import WardFactory, municipality

DATA = Path(__file__).parent / "data" / "medcom"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "medcom" / "examples"
CPR = "2509479989"
HERLEV_WARD_SOR = "265161000016000"
PLEJECENTER_HERLEV_SOR = "953741000016009"


def example(name: str) -> bytes:
    return (DATA / name).read_bytes()


def hn_files() -> list[Path]:
    return sorted(DATA.glob("HospitalNotification_*.json"))


def same_as_shared(path: Path) -> bool:
    """A copied example equals its original in ../shared when that folder is present."""
    original = SHARED / path.name
    return not original.exists() or filecmp.cmp(path, original, shallow=False)


@pytest.fixture
def herlev(db):
    ward = WardFactory(
        name="Hjerteafdelingen", code=HERLEV_WARD_SOR, hospital__name="Herlev og Gentofte Hospital"
    )
    unit = MedcomUnit.objects.create(
        sor_code=PLEJECENTER_HERLEV_SOR, name="Plejecenter Herlev", municipality=municipality("0163")
    )
    citizen = Citizen.objects.create(cpr=CPR, name="Bruno Test Elmer", municipality=municipality("0163"))
    return {"ward": ward, "unit": unit, "citizen": citizen}
