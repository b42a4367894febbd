"""Where each fact came from (issue 12): the board and the timeline name the MedCom message (its id and
sender) a fact was recorded from, or the person who typed it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coordination import services
from coordination.models import Admission
from tests.conftest import cph
from tests.factories import CitizenFactory, logged_in, municipality, staff_user
from tests.medcom_fixtures import example

pytestmark = pytest.mark.django_db

STIN_ID = "b9b4818e-02de-4cc4-b418-d20cbc7b5404"


@pytest.fixture
def herlev_people(herlev):
    services.receive_message(example("HospitalNotification_Ex_STIN_A.json"))
    nurse = staff_user("sygeplejerske", ward=herlev["ward"])
    nurse.first_name, nurse.last_name = "Sara", "Sygeplejerske"
    nurse.save()
    typed = services.admit_citizen(
        CitizenFactory(name="Tove Tastet", municipality=municipality("0163")),
        herlev["ward"],
        at=cph("2026-02-02 10:00"),
        expected_stay="over_48h",
        actor=services.Actor.for_user(nurse),
        now=cph("2026-02-02 10:00"),
    )
    return {
        "nurse": nurse,
        "visitator": staff_user("visitator", municipality=municipality("0163")),
        "typed": typed,
    }


def test_the_board_says_which_admission_came_by_medcom_and_which_was_typed_by_whom(herlev_people):
    page = logged_in(herlev_people["visitator"]).get("/").content.decode()
    assert "fra MedCom STIN b9b4818e…, Hjerteafdelingen på Herlev og Gentofte hospital" in page
    assert "indtastet af Sara Sygeplejerske" in page


def test_the_timeline_names_the_message_and_its_sender_or_the_person(herlev_people, herlev):
    imported = Admission.objects.get(citizen=herlev["citizen"])
    client = logged_in(herlev_people["nurse"])
    page = client.get(reverse("admission", args=[imported.pk])).content.decode()
    sender = "Hjerteafdelingen på Herlev og Gentofte hospital (SOR 265161000016000)"
    line = f"Kilde: MedCom-besked STIN {STIN_ID} fra {sender}"
    assert page.count(line) == 2  # the admission and the ADVIS-IND
    typed = client.get(reverse("admission", args=[herlev_people["typed"].pk])).content.decode()
    assert "Kilde: indtastet af Sara Sygeplejerske" in typed and "MedCom-besked" not in typed


def test_each_fact_on_the_admission_page_names_and_links_the_event_it_came_from(herlev_people, herlev):
    imported = Admission.objects.get(citizen=herlev["citizen"])
    nurse = herlev_people["nurse"]
    services.plan_discharge(
        imported,
        at=cph("2023-03-02 09:00"),
        discharge_at=cph("2023-03-04 11:00"),
        needs_changed=False,
        practical_help_only=False,
        municipal_nursing=True,
        destination="own_home",
        actor=services.Actor.for_user(nurse),
        now=cph("2023-03-02 09:00"),
    )
    page = logged_in(nurse).get(reverse("admission", args=[imported.pk])).content.decode()
    admitted = imported.events.get(type="admitted").sequence
    plan = imported.events.get(type="discharge_planned").sequence
    # The admission came by MedCom; the plan was typed by the nurse: each names its source and links to it.
    assert f'<a href="#event-{admitted}">MedCom STIN fra Hjerteafdelingen' in page
    assert f'<a href="#event-{plan}">indtastet af Sara Sygeplejerske</a>' in page
    assert f'id="event-{plan}"' in page


def test_a_held_messages_reason_is_shown_in_the_readers_language_with_its_time_by_the_locale(herlev):
    from django.utils import translation

    from coordination.models import MedcomMessage
    from coordination.services.medcom import reason_text

    # A live stay that began after STIN_A's start (12:00): STIN_A cannot join it and is held.
    live = services.admit_citizen(
        herlev["citizen"],
        herlev["ward"],
        at=cph("2023-03-01 14:30"),
        expected_stay="over_48h",
        actor=services.Actor.system(),
        now=cph("2023-03-01 14:30"),
    )
    services.receive_message(example("HospitalNotification_Ex_STIN_A.json"))
    held = MedcomMessage.objects.get(admission__isnull=True)
    assert (held.status, held.reason) == ("held", "overlapping_stay")
    assert live.pk != getattr(held.admission, "pk", None)
    with translation.override("da"):
        assert reason_text(held.reason, held.reason_detail) == (
            "borgeren har et andet ophold, der begyndte senere (1. marts 2023 14:30)"
        )
    with translation.override("en"):
        assert "another stay" in reason_text(held.reason, held.reason_detail)


def test_where_an_admission_came_from_is_stored_once_and_migration_0034_takes_it_from_the_timeline(
    herlev_people, herlev
):
    """The board joins the admission's first admitted event and the notice recorded with it (issue 15);
    0034 takes both once from the timelines of admissions stored before the columns."""
    import importlib

    from django.db import connection

    imported = Admission.objects.get(citizen=herlev["citizen"])
    typed = herlev_people["typed"]
    typed.refresh_from_db()
    assert imported.admitted_notice.message_id == STIN_ID
    assert imported.admitted_event == imported.events.get(type="admitted")
    assert typed.admitted_notice is None and typed.admitted_event.recorded_by == herlev_people["nurse"]
    rows = Admission.objects.values_list("pk", "admitted_event", "admitted_notice")
    stored = {pk: (event, notice) for pk, event, notice in rows}
    Admission.objects.update(admitted_event=None, admitted_notice=None)
    with connection.cursor() as cursor:
        cursor.execute(importlib.import_module("coordination.migrations.0034_admission_came_from").BACKFILL)
    assert {pk: (event, notice) for pk, event, notice in rows.all()} == stored
