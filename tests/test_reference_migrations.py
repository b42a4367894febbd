"""Reference data shipped as data migrations: regions, all 98 municipalities and the three profiles."""

import pytest

from coordination import rules
from coordination.models import AgreementProfile, Municipality, Region


@pytest.mark.django_db
def test_five_regions_and_98_municipalities_with_official_codes():
    assert list(Region.objects.values_list("code", "slug")) == [
        ("1081", "nordjylland"),
        ("1082", "midtjylland"),
        ("1083", "syddanmark"),
        ("1084", "hovedstaden"),
        ("1085", "sjaelland"),
    ]
    assert Municipality.objects.count() == 98
    assert Municipality.objects.get(code="0219").name == "Hillerød"
    assert Municipality.objects.get(code="0101").region.slug == "hovedstaden"
    assert Municipality.objects.get(code="0751").name == "Aarhus"
    assert Municipality.objects.filter(region__slug="hovedstaden").count() == 29


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["hovedstaden", "sjaelland", "midtjylland"])
def test_shipped_profile_equals_the_engines_reference_profile(code):
    profile = AgreementProfile.objects.get(region__slug=code)
    assert profile.as_rules_profile() == rules.PROFILES[code]


@pytest.mark.django_db
def test_profile_values_are_the_agreements():
    hovedstaden = AgreementProfile.objects.get(region__slug="hovedstaden")
    assert (hovedstaden.milr_due_hours, hovedstaden.advis_ud_hours, hovedstaden.read_hours) == (8, 2, 8)
    assert AgreementProfile.objects.get(region__slug="midtjylland").extended_responsibility_hours == 72
