"""Every screen reads what the rules engine derived; none works a rule out again (issue 10). Pinned by
changing a profile value and watching the board, the admission page and the printouts follow."""

import re
from datetime import date

import pytest
import time_machine

from coordination import services
from coordination.models import AgreementProfile
from tests.conftest import cph
from tests.factories import logged_in


def _set_profile(admission, **values):
    AgreementProfile.objects.filter(region=admission.region).update(**values)
    services.refresh_derived_state(admission, now=cph("2026-02-03 12:00"))
    admission.refresh_from_db()


@pytest.fixture
def at_noon():
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False):
        yield


def _pfp_and_ack(admission, hospital_actor, municipality_actor, subject):
    at = cph("2026-02-03 10:00")
    services.send_pfp(
        admission,
        at=at,
        faerdigbehandlet_date=date(2026, 2, 6),
        date_certain=True,
        coordination_needed=False,
        actor=hospital_actor,
        now=at,
    )
    at = cph("2026-02-03 11:00")
    services.send_km(
        admission, at=at, sender="municipality", subject=subject, actor=municipality_actor, now=at
    )
    admission.refresh_from_db()


def test_the_deadlines_on_the_board_and_the_page_follow_the_profile(admission, nurse, at_noon):
    # Advis 2 Feb 14:21. R-MILR: 14:21 + 2 h -> 16:21 (was 8 h -> 22:21); R-READ: + 5 h -> 19:21 (was 22:21).
    _set_profile(admission, milr_due_hours=2, milr_night_due_time=None, read_hours=5)
    board = logged_in(nurse).get("/").content.decode()
    page = logged_in(nurse).get(f"/admissions/{admission.pk}/").content.decode()
    for screen in (board, page):
        assert not re.search(r"22[:.]21", screen)
    assert re.search(r"16[:.]21", board) and re.search(r"16[:.]21", page)
    assert re.search(r"19[:.]21", page)


def test_the_pfp_acknowledgement_follows_the_profiles_subject(
    admission, nurse, hospital_actor, municipality_actor, at_noon
):
    # R-PFP-ACK: the KM acknowledges the PFP only with the profile's subject, on every screen.
    _set_profile(admission, pfp_ack_subject="PFP modtaget")
    _pfp_and_ack(admission, hospital_actor, municipality_actor, "Plejeforløbsplan ok")
    board = logged_in(nurse).get("/").content.decode()
    page = logged_in(nurse).get(f"/admissions/{admission.pk}/").content.decode()
    assert admission.pfp.acknowledged is False
    assert "kvitteret" not in board and "kvitteret" not in page
    at = cph("2026-02-03 11:30")
    services.send_km(
        admission, at=at, sender="municipality", subject="PFP modtaget", actor=municipality_actor, now=at
    )
    board = logged_in(nurse).get("/").content.decode()
    page = logged_in(nurse).get(f"/admissions/{admission.pk}/").content.decode()
    assert "kvitteret" in board and "kvitteret" in page


def test_the_rehabilitation_deadline_on_the_page_follows_the_profile(
    admission, nurse, hospital_actor, at_noon
):
    # R-GOP-START: discharge 5 Feb with rehabilitation; the profile's days decide the last start date.
    at = cph("2026-02-03 10:00")
    services.plan_discharge(
        admission,
        at=at,
        discharge_at=cph("2026-02-05 11:00"),
        destination="own_home",
        needs_changed=True,
        practical_help_only=False,
        municipal_nursing=False,
        rehabilitation_needed=True,
        actor=hospital_actor,
        now=at,
    )
    _set_profile(admission, gop_start_days=3)
    assert admission.rehabilitation_start_by is not None
    first = admission.rehabilitation_start_by
    _set_profile(admission, gop_start_days=10)
    assert (admission.rehabilitation_start_by - first).days == 7
