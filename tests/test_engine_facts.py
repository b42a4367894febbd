"""A rule is worked out once, in the engine (issue 10): the board, the admission page, the printouts and the
reminders read what it derived and stored with the admission. Change a profile value and every screen
follows; no module outside coordination/rules/ works a rule out again."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.test import TestCase

from coordination import reminders, services
from coordination.models import AgreementProfile, Notification
from coordination.printouts.course import gather
from tests.conftest import cph
from tests.factories import logged_in

ROOT = Path(__file__).resolve().parent.parent / "coordination"


def set_profile(**values):
    AgreementProfile.objects.filter(region__slug="hovedstaden").update(**values)


def board_row(client, admission):
    """The admission's row as the client's user's board reads it (coordination/board.py)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from coordination import board
    from coordination.models import Admission

    assert client.get("/").status_code == 200
    user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    now = timezone.now()
    admissions = board.read_admissions(Admission.objects.filter(pk=admission.pk), user, now)
    return board.make_rows(admissions, user.staff, board.visit(user, now, record=False), now)[0]


def page(client, admission):
    return client.get(f"/admissions/{admission.pk}/").context


def pfp_then_km(admission, hospital_actor, municipality_actor, subject):
    # PFP 3 Feb 10:00, the municipality's KM with `subject` at 11:00.
    services.send_pfp(
        admission,
        at=cph("2026-02-03 10:00"),
        faerdigbehandlet_date=date(2026, 2, 6),
        date_certain=True,
        coordination_needed=False,
        actor=hospital_actor,
        now=cph("2026-02-03 10:00"),
    )
    services.send_km(
        admission,
        at=cph("2026-02-03 11:00"),
        sender="municipality",
        subject=subject,
        actor=municipality_actor,
        now=cph("2026-02-03 11:00"),
    )


@pytest.mark.django_db
def test_the_board_and_the_admission_page_take_the_acknowledgement_subject_from_the_profile(
    admission, hospital_actor, municipality_actor, nurse
):
    # R-PFP-ACK with the region's subject changed to "PFP modtaget": that KM acknowledges the PFP.
    set_profile(pfp_ack_subject="PFP modtaget")
    pfp_then_km(admission, hospital_actor, municipality_actor, "  pfp MODTAGET ")
    client = logged_in(nurse)
    assert board_row(client, admission).pfp.kind == "acknowledged"
    assert page(client, admission)["pfp"].kind == "acknowledged"


@pytest.mark.django_db
def test_the_old_acknowledgement_subject_no_longer_acknowledges_once_the_profile_changed(
    admission, hospital_actor, municipality_actor, nurse
):
    set_profile(pfp_ack_subject="PFP modtaget")
    pfp_then_km(admission, hospital_actor, municipality_actor, "Plejeforløbsplan ok")
    client = logged_in(nurse)
    assert board_row(client, admission).pfp.kind == "sent"
    assert page(client, admission)["pfp"].kind == "sent"


def rehabilitation(admission, hospital_actor):
    # Planned discharge 5 Feb 11:00 with rehabilitation; the GOP sent, the citizen left at 11:30.
    services.plan_discharge(
        admission,
        at=cph("2026-02-04 09:00"),
        discharge_at=cph("2026-02-05 11:00"),
        needs_changed=False,
        practical_help_only=False,
        municipal_nursing=False,
        destination="own_home",
        rehabilitation_needed=True,
        actor=hospital_actor,
        now=cph("2026-02-04 09:00"),
    )
    services.send_message(
        admission, "GOP", at=cph("2026-02-05 10:00"), actor=hospital_actor, now=cph("2026-02-05 10:00")
    )


@pytest.mark.django_db
def test_the_printouts_and_the_reminders_take_the_rehabilitation_days_from_the_profile(
    admission, hospital_actor, visitator
):
    # R-GOP-START with 10 days instead of 7: planned 5 Feb -> by 15 Feb on paper before leaving;
    # left 6 Feb -> by 16 Feb, the obligation due the end of 16 Feb, the municipality reminded that day.
    set_profile(gop_start_days=10)
    rehabilitation(admission, hospital_actor)
    assert gather(admission, cph("2026-02-05 10:30")).rehabilitation_start_by == date(2026, 2, 15)
    services.record_departure(
        admission, at=cph("2026-02-06 11:30"), actor=hospital_actor, now=cph("2026-02-06 11:30")
    )
    assert gather(admission, cph("2026-02-06 12:00")).rehabilitation_start_by == date(2026, 2, 16)
    with TestCase.captureOnCommitCallbacks(execute=True):
        reminders.sweep(cph("2026-02-13 23:59"))  # 7 days would have been due by now: nothing
    texts = Notification.objects.filter(user=visitator, reminder__rule="R-GOP-START")
    assert not texts.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        reminders.sweep(cph("2026-02-16 23:59"))
    assert texts.count() == 1


@pytest.mark.django_db
def test_the_board_shows_unread_messages_from_the_engine_and_a_read_clears_them(
    admission, hospital_actor, municipality_actor, visitator
):
    # R-READ: the municipality received the advis (14:21) and a PFP; it reads the PFP, the advis stays.
    pfp_then_km(admission, hospital_actor, municipality_actor, "Plejeforløbsplan ok")
    client = logged_in(visitator)
    assert board_row(client, admission).unread == ["ADVIS-IND", "PFP"]
    services.mark_read(
        admission,
        "PFP",
        by="municipality",
        at=cph("2026-02-03 12:00"),
        actor=municipality_actor,
        now=cph("2026-02-03 12:00"),
    )
    assert board_row(client, admission).unread == ["ADVIS-IND"]
    assert page(client, admission)["unread"] == ["ADVIS-IND"]


# --- Nothing outside the engine works a rule out again --------------------------------------------------

# What reading a rule's inputs looks like: the profile's settings, the subject comparison, who sends what.
RULE_INPUTS = re.compile(
    r"casefold\(|pfp_ack_subject|gop_start_days|read_hours|late_evening|profile_at\(|MESSAGE_SENDER|"
    r"EVENT_MESSAGE_CODES|timedelta\(days=profile"
)
# Where only formatting belongs: what the users see and what they are sent.
PRESENTATION = ["presentation.py", "views", "printouts", "reminders", "templatetags", "forms"]


def _files():
    for name in PRESENTATION:
        path = ROOT / name
        yield from (sorted(path.rglob("*.py")) if path.is_dir() else [path])


def test_no_screen_printout_or_reminder_reads_a_rule_input():
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in _files()
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if RULE_INPUTS.search(line)
    ]
    assert found == []


def test_the_guard_sees_a_rule_worked_out_again(tmp_path):
    copied = "subject.strip().casefold() == profile.pfp_ack_subject.strip().casefold()"
    assert RULE_INPUTS.search(copied)


@pytest.mark.django_db
def test_a_pfp_is_judged_by_the_profile_in_force_when_it_was_sent_on_every_screen(
    admission, hospital_actor, municipality_actor, nurse
):
    # A new profile version from 1 Mar 2026 asks for "PFP modtaget"; the PFP of 3 Feb was acknowledged
    # under the old one ("Plejeforløbsplan ok"), and the board and the page say so today as the engine does.
    newer = AgreementProfile.objects.get(region__slug="hovedstaden")
    newer.pk, newer.valid_from, newer.pfp_ack_subject = None, date(2026, 3, 1), "PFP modtaget"
    newer.save()
    pfp_then_km(admission, hospital_actor, municipality_actor, "Plejeforløbsplan ok")
    client = logged_in(nurse)
    assert board_row(client, admission).pfp.kind == "acknowledged"
    assert page(client, admission)["pfp"].kind == "acknowledged"
