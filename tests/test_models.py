"""The database itself keeps the facts consistent: constraints, not hopes."""

import pytest
from django.db import IntegrityError, transaction

from coordination.models import Citizen, Obligation, StaffMember
from tests.conftest import cph
from tests.factories import UserFactory, municipality


def refused_by_the_database(action) -> bool:
    try:
        with transaction.atomic():
            action()
    except IntegrityError:
        return True
    return False


@pytest.mark.django_db
def test_citizen_cpr_must_be_ten_digits_in_the_database():
    # bulk_create skips model validation: the CheckConstraint is what stops it.
    bad = Citizen(cpr="12345", name="Kort CPR", municipality=municipality("0101"))
    assert refused_by_the_database(lambda: Citizen.objects.bulk_create([bad]))


@pytest.mark.django_db
def test_staff_member_belongs_to_exactly_one_organisation(ward):
    user = UserFactory(username="to-steder")
    assert refused_by_the_database(
        lambda: StaffMember.objects.create(user=user, ward=ward, municipality=municipality("0101"))
    )
    assert refused_by_the_database(lambda: StaffMember.objects.create(user=user))


def test_obligation_key_is_unique_per_admission(admission):
    existing = admission.obligations.first()
    copy = Obligation(
        admission=admission, key=existing.key, rule=existing.rule, owner="hospital", status="open"
    )
    assert refused_by_the_database(copy.save)


def test_a_met_obligation_needs_its_met_time(admission):
    ob = Obligation(admission=admission, key="X", rule="R-USR", owner="hospital", status="met")
    assert refused_by_the_database(ob.save)


def test_discharge_cannot_be_registered_before_the_citizen_left(admission):
    admission.discharge_registered_at = cph("2026-02-05 14:00")
    assert refused_by_the_database(admission.save)


def test_citizen_str_never_shows_the_full_cpr(citizen):
    assert citizen.cpr not in str(citizen)
    assert str(citizen).endswith("-••••)")
