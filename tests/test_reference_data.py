"""Reference data: official region and municipality codes, demo hospitals and names."""

import re
from collections import Counter

import pytest

from coordination.reference_data import (
    FIRST_NAMES_FEMALE,
    FIRST_NAMES_MALE,
    HOSPITAL_CATCHMENT,
    HOSPITALS,
    MUNICIPALITIES,
    REGIONS,
    SURNAMES,
    municipalities_in_region,
    municipality_by_code,
    region_by_code,
    region_by_slug,
)


def test_five_regions_with_official_codes() -> None:
    assert [(r.code, r.name, r.slug) for r in REGIONS] == [
        ("1081", "Region Nordjylland", "nordjylland"),
        ("1082", "Region Midtjylland", "midtjylland"),
        ("1083", "Region Syddanmark", "syddanmark"),
        ("1084", "Region Hovedstaden", "hovedstaden"),
        ("1085", "Region Sjælland", "sjaelland"),
    ]


def test_98_municipalities_with_unique_four_digit_codes_and_names() -> None:
    assert len(MUNICIPALITIES) == 98
    assert len({m.code for m in MUNICIPALITIES}) == 98
    assert len({m.name for m in MUNICIPALITIES}) == 98
    assert all(re.fullmatch(r"0[1-8][0-9]{2}", m.code) for m in MUNICIPALITIES)
    assert "0411" not in {m.code for m in MUNICIPALITIES}  # Christiansø is no municipality


def test_municipalities_per_region() -> None:
    counts = Counter(region_by_code(m.region_code).slug for m in MUNICIPALITIES)
    assert counts == {
        "hovedstaden": 29,
        "sjaelland": 17,
        "syddanmark": 22,
        "midtjylland": 19,
        "nordjylland": 11,
    }


@pytest.mark.parametrize(
    ("code", "name", "region"),
    [
        ("0101", "København", "hovedstaden"),
        ("0147", "Frederiksberg", "hovedstaden"),
        ("0173", "Lyngby-Taarbæk", "hovedstaden"),
        ("0169", "Høje-Taastrup", "hovedstaden"),
        ("0219", "Hillerød", "hovedstaden"),
        ("0400", "Bornholm", "hovedstaden"),
        ("0259", "Køge", "sjaelland"),
        ("0492", "Ærø", "syddanmark"),
        ("0563", "Fanø", "syddanmark"),
        ("0615", "Horsens", "midtjylland"),
        ("0741", "Samsø", "midtjylland"),
        ("0751", "Aarhus", "midtjylland"),
        ("0773", "Morsø", "nordjylland"),
        ("0810", "Brønderslev", "nordjylland"),
        ("0825", "Læsø", "nordjylland"),
        ("0851", "Aalborg", "nordjylland"),
        ("0860", "Hjørring", "nordjylland"),
    ],
)
def test_known_municipalities(code: str, name: str, region: str) -> None:
    municipality = municipality_by_code(code)
    assert municipality.name == name
    assert region_by_code(municipality.region_code).slug == region


def test_lookups() -> None:
    assert region_by_slug("hovedstaden").code == "1084"
    assert len(municipalities_in_region("hovedstaden")) == 29
    with pytest.raises(KeyError):
        municipality_by_code("0411")
    with pytest.raises(KeyError):
        region_by_slug("skaane")


def test_hospitals() -> None:
    hovedstaden = {h.name for h in HOSPITALS["hovedstaden"]}
    assert {
        "Nordsjællands Hospital",
        "Herlev og Gentofte Hospital",
        "Bispebjerg og Frederiksberg Hospital",
        "Amager og Hvidovre Hospital",
        "Rigshospitalet",
        "Bornholms Hospital",
    } <= hovedstaden
    assert HOSPITALS["sjaelland"] and HOSPITALS["midtjylland"]
    phones = []
    for slug, hospitals in HOSPITALS.items():
        region_by_slug(slug)
        for hospital in hospitals:
            assert hospital.region_slug == slug
            assert 2 <= len(hospital.wards) <= 4
            assert len({w.name for w in hospital.wards}) == len(hospital.wards)
            for ward in hospital.wards:
                assert re.fullmatch(r"\d{2} \d{2} \d{2} \d{2}", ward.phone)
                phones.append(ward.phone)
    assert len(phones) == len(set(phones))


def test_catchment_areas_are_hovedstaden_municipalities() -> None:
    hovedstaden = {m.code for m in municipalities_in_region("hovedstaden")}
    assert set(HOSPITAL_CATCHMENT) == {h.name for h in HOSPITALS["hovedstaden"]}
    for codes in HOSPITAL_CATCHMENT.values():
        assert codes and set(codes) <= hovedstaden
    # every municipality of the region is served by some hospital
    assert set().union(*HOSPITAL_CATCHMENT.values()) == hovedstaden


@pytest.mark.parametrize("names", [FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, SURNAMES])
def test_names(names: tuple[str, ...]) -> None:
    assert 25 <= len(names) <= 40
    assert len(set(names)) == len(names)
    assert all(name.strip() == name and name[0].isupper() for name in names)


def test_names_are_spelled_with_danish_letters() -> None:
    assert {"Jørgen", "Børge", "Sørensen", "Møller", "Østergaard"} <= {*FIRST_NAMES_MALE, *SURNAMES}
