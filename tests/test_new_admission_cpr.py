"""Issue 14: a CPR number whose birth date lies in the future is refused at the new-admission form.

python-stdnum decides the century from the 7th digit: ``050550-5555`` (digit 7 = 5, YY = 50) is born
5 May 2050, in the future on 3 February 2026; ``050550-3555`` (digit 7 = 3) is born 5 May 1950."""

import random
from datetime import date

import pytest
import time_machine

from coordination import services
from coordination.cpr import birth_date, fictitious_cpr, mask_cpr
from coordination.models import Admission, Citizen
from tests.conftest import cph
from tests.factories import logged_in, municipality


@pytest.fixture
def at_noon():
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False) as traveller:
        yield traveller


def new_admission(user, ward, cpr: str):
    return logged_in(user).post(
        "/admissions/new/",
        {
            "new-cpr": cpr,
            "new-name": "Karen Hansen",
            "new-municipality": municipality("0219").pk,
            "new-residence": "own_home",
            "new-expected_stay": "over_48h",
            "new-ward": ward.pk,
            "new-at": "2026-02-03T11:00",
        },
    )


def test_050550_5555_is_dated_2050_by_stdnum():
    assert birth_date("050550-5555") == date(2050, 5, 5)


def test_a_cpr_born_in_the_future_is_refused_at_the_field_with_a_danish_message(nurse, ward, at_noon):
    response = new_admission(nurse, ward, "050550-5555")
    body = response.content.decode()
    assert response.status_code == 200
    assert "CPR-nummerets fødselsdato ligger i fremtiden (5. maj 2050)" in body
    assert 'id="id_new-cpr_error"' in body  # at the field, not only at the top of the form
    assert not Admission.objects.exists() and not Citizen.objects.exists()


def test_the_same_digits_born_last_century_are_admitted(nurse, ward, at_noon):
    response = new_admission(nurse, ward, "050550-3555")
    assert response.status_code == 302
    assert Citizen.objects.get().cpr == "0505503555"


def test_register_citizen_refuses_a_future_birth_date_only_when_told_today(db):
    with pytest.raises(services.ServiceError) as refused:
        services.register_citizen(
            cpr="0505505555", name="Karen", municipality=municipality("0219"), today=date(2026, 2, 3)
        )
    assert refused.value.key == "service.cpr_future" and refused.value.field == "cpr"
    # Machine input (load_timelines) gives no today: every valid number is kept.
    citizen = services.register_citizen(cpr="0505505555", name="Karen", municipality=municipality("0219"))
    assert citizen.cpr == "0505505555"


def test_a_fictitious_number_is_admitted_and_shown_masked(nurse, ward, at_noon):
    cpr = fictitious_cpr(date(1947, 9, 25), True, random.Random(14))
    assert new_admission(nurse, ward, cpr).status_code == 302
    body = logged_in(nurse).get("/").content.decode()
    assert mask_cpr(cpr) in body and cpr not in body
