"""Issue 14 with a real `celery worker` and the machine's Redis: two versions of a PFP, their tasks and a
task delivered again (acks_late) make one inbox item per recipient, naming the newest version. Runs as
tests/test_reminders_worker.py does (PostgreSQL, TEST_REDIS_URL)."""

import time
from datetime import date, timedelta

from django.utils import timezone

from coordination import services
from coordination.models import EventNotice, Notification
from tests.test_reminders_worker import (  # noqa: F401  (fixtures and the worker's helpers)
    course,
    procs,
    pytestmark,
    redis_db,
    start_worker,
    via_redis,
    wait_until,
)


def test_a_real_worker_makes_one_item_per_message_and_recipient(course, procs, tmp_path, via_redis):  # noqa: F811
    app = via_redis
    start_worker(procs, tmp_path, "inbox")
    hospital = services.Actor(side="hospital")
    now = timezone.now()
    versions = [
        services.send_pfp(
            course["admission"],
            at=now - timedelta(minutes=minutes),
            faerdigbehandlet_date=date.today() + timedelta(days=3),
            date_certain=certain,
            coordination_needed=False,
            actor=hospital,
            now=now,
        )
        for minutes, certain in ((20, False), (10, True))
    ]
    for _ in range(2):  # the newest version's task delivered again, and a sweep on top
        app.send_task("coordination.notify_event", args=[versions[1].pk])
    app.send_task("coordination.sweep_reminders")
    wait_until(lambda: not EventNotice.objects.exists(), what="the outbox emptied")
    time.sleep(2)
    items = Notification.objects.filter(user=course["visitator"], kind="message", params__code="PFP")
    assert items.count() == 1
    assert items.get().event_id == versions[1].pk
