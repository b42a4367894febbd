"""Issue 14: dates a person types are checked for sense (before the admission or more than a year ahead)."""

import pytest
import time_machine

from coordination.models import Event
from tests.conftest import cph
from tests.test_views_admission import errors, logged_in, post_action


@pytest.fixture
def at_noon():
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False) as traveller:
        yield traveller


def test_a_pfp_date_before_the_admission_is_refused_at_the_field_and_nothing_is_recorded(
    admission, nurse, at_noon
):
    body = post_action(
        logged_in(nurse), admission, "pfp", at="2026-02-03T11:00", faerdigbehandlet_date="2026-01-22"
    ).content.decode()
    assert (
        "Datoen ligger før indlæggelsen (02.02.2026). Skriv en dato fra indlæggelsesdagen og frem."
        in errors(body)
    )
    assert 'id="id_pfp-faerdigbehandlet_date_error"' in body
    assert not Event.objects.filter(admission=admission, data__code="PFP").exists()


def test_a_pfp_dated_2031_is_refused(admission, nurse, at_noon):
    body = post_action(
        logged_in(nurse), admission, "pfp", at="2026-02-03T11:00", faerdigbehandlet_date="2031-02-05"
    ).content.decode()
    assert "Datoen ligger mere end et år frem (efter 03.02.2027). Tjek datoen og årstallet." in errors(body)
    assert not Event.objects.filter(admission=admission, data__code="PFP").exists()


def test_a_planned_discharge_before_the_admission_is_refused(admission, nurse, at_noon):
    body = post_action(
        logged_in(nurse), admission, "phone", at="2026-02-03T11:00", discharge_at="2026-02-01T10:00"
    ).content.decode()
    assert any(e.startswith("Datoen ligger før indlæggelsen") for e in errors(body))


def test_a_sensible_pfp_date_is_accepted(admission, nurse, at_noon):
    post_action(logged_in(nurse), admission, "pfp", at="2026-02-03T11:00", faerdigbehandlet_date="2026-02-06")
    assert Event.objects.filter(admission=admission, data__code="PFP").exists()
