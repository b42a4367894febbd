"""Reminders only about duties the owner can still meet (issue 14): the engine judges each obligation
(`possible`, R-FLOW), the sweep skips the impossible ones, the admission page and the timeliness figures
count them missed."""

import pytest

from coordination import reminders, services
from coordination.models import Obligation, Reminder
from coordination.reports.timeliness import outcome_filter
from tests.conftest import cph
from tests.factories import logged_in
from tests.replay_checks import admitted, event, message, obligations_of, run

LEFT = cph("2026-02-02 16:00")


def leave(admission, actor):
    services.record_departure(admission, at=LEFT, actor=actor, now=LEFT)
    admission.refresh_from_db()


def test_the_engine_judges_a_milr_impossible_once_the_citizen_has_left():
    """R-FLOW refuses a MILR after the departure, so R-MILR can no longer be met; R-READ still can."""
    result = run(
        [
            admitted("2026-02-02T14:20:00+01:00"),
            message("2026-02-02T14:21:00+01:00", "ADVIS-IND"),
            event("2026-02-02T16:00:00+01:00", "left_ward"),
        ],
        now="2026-02-02T17:00:00+01:00",
        known_in_eoj=True,
    )
    (milr,) = obligations_of(result, "R-MILR")
    assert (milr.possible, milr.impossible_reason) == (False, "flow.message_after_leaving")
    assert all(o.possible for o in obligations_of(result, "R-READ"))


def test_a_pfp_duty_is_still_possible_while_the_citizen_is_admitted():
    result = run(
        [admitted("2026-02-02T14:20:00+01:00"), message("2026-02-02T14:21:00+01:00", "ADVIS-IND")],
        now="2026-02-02T17:00:00+01:00",
        known_in_eoj=True,
    )
    assert all(o.possible for o in result.obligations)


@pytest.mark.django_db
def test_the_stored_obligation_keeps_the_engines_judgement(admission, hospital_actor):
    leave(admission, hospital_actor)
    milr = Obligation.objects.get(admission=admission, rule="R-MILR")
    assert (milr.status, milr.possible) == ("open", False)


@pytest.mark.django_db
def test_no_reminder_is_created_for_a_duty_that_can_no_longer_be_met(admission, hospital_actor, visitator):
    leave(admission, hospital_actor)
    reminders.sweep(cph("2026-02-02 21:21"))
    assert not Reminder.objects.filter(obligation__rule="R-MILR").exists()
    assert Reminder.objects.filter(obligation__rule="R-READ").exists()  # the read can still be done


@pytest.mark.django_db
def test_before_the_departure_the_milr_is_reminded(admission, visitator):
    reminders.sweep(cph("2026-02-02 21:21"))
    assert Reminder.objects.filter(obligation__rule="R-MILR").exists()


@pytest.mark.django_db
def test_the_admission_page_shows_the_duty_as_no_longer_possible(admission, hospital_actor, visitator):
    leave(admission, hospital_actor)
    page = logged_in(visitator).get(f"/admissions/{admission.pk}/").content.decode()
    assert "Kan ikke længere opfyldes (R-FLOW)" in page


@pytest.mark.django_db
def test_the_timeliness_figures_count_an_impossible_duty_missed_before_its_due(admission, hospital_actor):
    leave(admission, hospital_actor)
    before_due = cph("2026-02-02 17:00")
    missed = Obligation.objects.filter(outcome_filter("missed", before_due))
    assert "R-MILR" in missed.values_list("rule", flat=True)  # its due (21:21) is still ahead
    assert not Obligation.objects.filter(outcome_filter("open", before_due), rule="R-MILR").exists()
