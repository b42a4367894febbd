"""The board's USR column (R-USR): when the first USR was sent, from the engine's stored fact (issue 15: no
prefetch of every row's USR events), one entered in error not counted, and the fact given to the admissions
recorded before it existed (migration 0031) as the board showed it."""

import importlib

import time_machine
from django.apps import apps

from coordination import services
from coordination.models import Admission
from tests.conftest import cph
from tests.factories import logged_in

backfill = importlib.import_module("coordination.migrations.0031_admission_usr_sent_at_fact").usr_sent_at


def usr_cell(client) -> str:
    page = client.get("/").content.decode()
    return page.split('class="col-usr"', 1)[1].split("</td>", 1)[0]


def test_the_board_shows_when_the_first_usr_was_sent(admission, nurse, hospital_actor):
    # USR 4 Feb 09:00, sent again 10:30: the column names the first.
    for at in ("2026-02-04 09:00", "2026-02-04 10:30"):
        services.send_usr(admission, content={}, at=cph(at), actor=hospital_actor, now=cph(at))
    with time_machine.travel(cph("2026-02-04 11:00"), tick=False):
        assert "sendt 4. feb. 09:00" in usr_cell(logged_in(nurse))


def test_a_usr_entered_in_error_is_not_shown_as_sent(admission, nurse, hospital_actor):
    at = cph("2026-02-04 09:00")
    usr = services.send_usr(admission, content={}, at=at, actor=hospital_actor, now=at)
    services.mark_entered_in_error(
        admission, actor=hospital_actor, event=usr, reason="forkert borger", now=at
    )
    with time_machine.travel(cph("2026-02-04 11:00"), tick=False):
        assert "sendt" not in usr_cell(logged_in(nurse))


def test_admissions_recorded_before_the_fact_get_it_as_the_board_showed_it(admission, hospital_actor):
    wrong, again = cph("2026-02-04 09:00"), cph("2026-02-04 10:00")
    wrong_usr = services.send_usr(admission, content={}, at=wrong, actor=hospital_actor, now=wrong)
    services.send_usr(admission, content={}, at=again, actor=hospital_actor, now=again)
    services.mark_entered_in_error(admission, actor=hospital_actor, event=wrong_usr, reason="fejl", now=again)
    facts = Admission.objects.get(pk=admission.pk).facts
    assert facts.pop("usr_sent_at")
    Admission.objects.filter(pk=admission.pk).update(facts=facts)  # as stored before 0031
    assert Admission.objects.get(pk=admission.pk).usr_sent_at is None
    backfill(apps, None)
    # The USR at 09:00 was entered in error: the one at 10:00 is the first sent, as the engine says too.
    assert Admission.objects.get(pk=admission.pk).usr_sent_at == again
