"""Issue 14: "the same news arrives twice" ("Ny PFP" twice). One inbox item per message and recipient.

Root cause: every event that sends a message made its own inbox item, and a PFP is one message in versions
(the hospital sends it again when the date becomes certain or changes; R-PFP-DATE): each version was a
second "Ny PFP" beside the first. Now a new version brings the recipient's one item back, unread, naming
the newest version; a KM is each its own message. The database keeps it so (notification_once_per_message),
and a retried or late task changes nothing (tests/test_reminders_worker.py runs the real worker)."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.utils import timezone

from coordination import reminders, services, tasks
from coordination.models import EventNotice, Notification
from tests.conftest import cph
from tests.test_reminders import broker_down  # noqa: F401  (the fixture: Celery pointed at a closed port)


def committed():
    return TestCase.captureOnCommitCallbacks(execute=True)


def pfp(admission, actor, at: str, day: date, certain: bool):
    with committed():
        return services.send_pfp(
            admission,
            at=cph(at),
            faerdigbehandlet_date=day,
            date_certain=certain,
            coordination_needed=False,
            actor=actor,
            now=cph(at),
        )


def items(user, code):
    return list(Notification.objects.filter(user=user, kind="message", params__code=code).order_by("pk"))


def test_a_pfp_sent_again_is_one_item_that_names_the_newest_version(admission, hospital_actor, visitator):
    first = pfp(admission, hospital_actor, "2026-02-03 11:00", date(2026, 2, 6), certain=False)
    second = pfp(admission, hospital_actor, "2026-02-04 09:00", date(2026, 2, 6), certain=True)
    [item] = items(visitator, "PFP")
    assert item.event_id == second.pk != first.pk and item.read_at is None
    assert item.text_at(cph("2026-02-04 09:30")) == (
        f"Ny version af PFP for Karen Hansen fra {hospital_actor.organisation} kl. 09:00 i dag"
    )


def test_a_new_version_after_the_first_was_read_brings_the_same_item_back_unread(
    admission, hospital_actor, visitator
):
    pfp(admission, hospital_actor, "2026-02-03 11:00", date(2026, 2, 6), certain=False)
    [item] = items(visitator, "PFP")
    item.read_at = timezone.now()
    item.save()
    pfp(admission, hospital_actor, "2026-02-04 09:00", date(2026, 2, 6), certain=True)
    [again] = items(visitator, "PFP")
    assert again.pk == item.pk and again.read_at is None and again.created_at > item.read_at  # on top again


def test_each_km_is_a_message_of_its_own(admission, municipality_actor, nurse):
    for at, subject in (
        ("2026-02-03 09:00", "Plejeforløbsplan ok"),
        ("2026-02-03 10:00", "Udvidet koordinering"),
    ):
        with committed():
            services.send_km(
                admission,
                at=cph(at),
                sender="municipality",
                subject=subject,
                actor=municipality_actor,
                now=cph(at),
            )
    assert [i.params["subject"] for i in items(nurse, "KM")] == [
        "Plejeforløbsplan ok",
        "Udvidet koordinering",
    ]


def test_a_retried_task_and_a_late_notice_of_an_older_version_change_nothing(
    admission, hospital_actor, visitator
):
    first = pfp(admission, hospital_actor, "2026-02-03 11:00", date(2026, 2, 6), certain=False)
    second = pfp(admission, hospital_actor, "2026-02-04 09:00", date(2026, 2, 6), certain=True)
    before = items(visitator, "PFP")
    assert tasks.notify_event(second.pk) == 0  # the task delivered twice (acks_late): its notice is gone
    # The first version's notice comes late (a lost task caught up by the sweep after the second's).
    EventNotice.objects.create(event=first, created_at=first.recorded_at)
    reminders.process_event_notices([first.pk])
    after = items(visitator, "PFP")
    assert [(i.pk, i.event_id, i.created_at) for i in after] == [
        (i.pk, i.event_id, i.created_at) for i in before
    ]
    assert after[0].event_id == second.pk


@pytest.mark.usefixtures("broker_down")
def test_both_versions_in_one_batch_make_one_item(admission, hospital_actor, visitator):
    # The broker down: nothing is told at commit; the sweep finds both notices at once.
    pfp(admission, hospital_actor, "2026-02-03 11:00", date(2026, 2, 6), certain=False)
    second = pfp(admission, hospital_actor, "2026-02-04 09:00", date(2026, 2, 6), certain=True)
    assert EventNotice.objects.count() == 3  # the admission fixture's advis too
    reminders.process_event_notices()
    [item] = items(visitator, "PFP")
    assert item.event_id == second.pk


def test_the_database_refuses_a_second_item_of_the_same_message(admission, hospital_actor, visitator):
    pfp(admission, hospital_actor, "2026-02-03 11:00", date(2026, 2, 6), certain=False)
    [item] = items(visitator, "PFP")
    second = services.send_message(
        admission,
        "ILR",
        at=cph("2026-02-03 12:00"),
        actor=services.Actor(side="municipality"),
        now=cph("2026-02-03 12:00"),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            user=visitator,
            kind="message",
            admission=admission,
            event=second,
            message="PFP",
            created_at=timezone.now(),
        )


def test_reminders_are_not_messages_and_keep_one_item_per_reminder_point(admission, visitator):
    with committed():
        reminders.sweep(cph("2026-02-02 20:21"))
        reminders.sweep(cph("2026-02-02 22:21"))
    rows = Notification.objects.filter(user=visitator, kind="reminder")
    assert rows.count() == 4 and not rows.exclude(message=None).exists()


def test_the_migration_keeps_each_persons_newest_item_of_a_message_unread_if_any_was(
    admission, hospital_actor, visitator, nurse
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("coordination.migrations.0022_wdsess_notification_once_per_message")
    first = pfp(admission, hospital_actor, "2026-02-03 11:00", date(2026, 2, 6), certain=False)
    second = pfp(admission, hospital_actor, "2026-02-04 09:00", date(2026, 2, 6), certain=True)
    # As items were before: one per event, no message named; the newer one read, the older one not.
    Notification.objects.all().delete()
    old = dict(user=visitator, kind="message", admission=admission, created_at=timezone.now())
    Notification.objects.create(**old, event=first, params={"code": "PFP"})
    Notification.objects.create(**old, event=second, params={"code": "PFP"}, read_at=timezone.now())
    km = services.send_km(
        admission,
        at=cph("2026-02-04 10:00"),
        sender="municipality",
        subject="Plejeforløbsplan ok",
        actor=services.Actor(side="municipality"),
        now=cph("2026-02-04 10:00"),
    )
    Notification.objects.create(**{**old, "user": nurse}, event=km, params={"code": "KM"})

    migration.one_item_per_message(apps, None)

    [item] = items(visitator, "PFP")
    assert (item.event_id, item.message, item.read_at) == (second.pk, "PFP", None)
    assert items(nurse, "KM")[0].message == f"KM-{km.sequence}"
