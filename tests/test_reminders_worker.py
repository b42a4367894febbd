"""The faults reminders must survive, against the machine's Redis and real `celery worker` / `celery beat`
processes (issue 7). They need a database the worker process can see: PostgreSQL (CI runs on it).

Redis database 7 is this suite's own; only its Celery keys are removed, never anything else."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from coordination import services
from coordination.models import Admission, EventNotice, Notification, Obligation, Reminder
from tests.factories import CitizenFactory, WardFactory, municipality, staff_user

ROOT = Path(__file__).resolve().parents[1]
# TEST_REDIS_URL lets parallel test runs on one machine keep to their own Redis database.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
DOWN_URL = "redis://127.0.0.1:6390/7"  # nothing listens there: Redis "down"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="a worker process needs a database it can see: set DATABASE_URL to PostgreSQL (CI does)",
    ),
]


def redis_client():
    import redis

    return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)


@pytest.fixture
def redis_db():
    client = redis_client()
    try:
        client.ping()
    except Exception as error:  # noqa: BLE001
        pytest.fail(f"Redis must run on 127.0.0.1:6379 for these tests (.ci/run starts it): {error}")
    for pattern in ("celery*", "_kombu*", "unacked*"):
        for key in client.scan_iter(pattern):
            client.delete(key)
    yield client


def worker_env(**extra) -> dict:
    env = dict(os.environ)
    name = connection.settings_dict["NAME"]  # the test database (test_<NAME>)
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    env.update(
        DATABASE_URL=f"{base}/{name}",
        REDIS_URL=REDIS_URL,
        DJANGO_SETTINGS_MODULE="config.settings_test",
        CELERY_VISIBILITY_TIMEOUT="3",
        CELERY_RESTORE_INTERVAL="1",
        PYTHONUNBUFFERED="1",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


class Proc:
    def __init__(self, args, env, log: Path):
        self.log = log
        self.handle = log.open("w")
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", *args],
            cwd=ROOT,
            env=env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def text(self) -> str:
        return self.log.read_text()

    def wait_for(self, needle: str, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if needle in self.text():
                return
            if self.popen.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"{needle!r} not seen in time:\n{self.text()[-3000:]}")

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, sig)
            self.popen.wait(timeout=20)
        self.handle.close()


@pytest.fixture
def procs():
    started: list[Proc] = []
    yield started
    for proc in started:
        proc.kill(signal.SIGTERM)


def start_worker(procs, tmp_path, name, *, pool="solo", concurrency=1, **env) -> Proc:
    args = [
        "worker",
        "-n",
        f"{name}@%h",
        "-l",
        "info",
        "--pool",
        pool,
        "-c",
        str(concurrency),
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    proc = Proc(args, worker_env(**env), tmp_path / f"{name}.log")
    procs.append(proc)
    proc.wait_for("ready.")
    return proc


@pytest.fixture
def via_redis(redis_db):
    """This test process publishes to the real Redis, as the web process of a deployment does."""
    from config.celery import app

    old = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager, app.conf.broker_url = False, REDIS_URL
    app._pool, app.amqp._producer_pool = None, None
    yield app
    app.conf.task_always_eager, app.conf.broker_url = old
    app._pool, app.amqp._producer_pool = None, None


def wait_until(check, timeout=30, what="condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} not reached in {timeout} s")


@pytest.fixture
def course(db):
    """A ward, its nurse, the municipality's visitator and one admission with three hospital obligations
    due at instants the tests choose (made by hand: the engine's dues depend on the time of day)."""
    ward = WardFactory(name="Akutafsnit", hospital__name="Bispebjerg Hospital")
    nurse = staff_user("nattesygeplejerske", ward=ward)
    visitator = staff_user("visitator-kbh", municipality=municipality("0219"))
    citizen = CitizenFactory(name="Else Jensen")
    at = timezone.now() - timedelta(hours=1)
    admission = services.admit_citizen(
        citizen, ward, at=at, expected_stay="under_48h", actor=services.Actor(side="hospital"), now=at
    )
    Admission.objects.filter(pk=admission.pk).update(reevaluate_at=None)
    return {"ward": ward, "nurse": nurse, "visitator": visitator, "admission": admission}


def obligations(admission, dues):
    Obligation.objects.filter(admission=admission).delete()
    return [
        Obligation.objects.create(
            admission=admission,
            key=f"T{i}",
            rule="R-TEST",
            owner="hospital",
            label="Test",
            due_at=due,
            status="open",
        )
        for i, due in enumerate(dues)
    ]


def assert_once_each(obligations_, nurse, points):
    for ob, expected in zip(obligations_, points, strict=True):
        made = sorted(ob.reminders.values_list("minutes_before", flat=True))
        assert made == sorted(expected), (ob.due_at, made)
    rows = Notification.objects.filter(user=nurse, kind="reminder")
    assert rows.count() == len(set(rows.values_list("reminder_id", flat=True)))


def test_with_redis_down_the_action_works_and_the_next_sweep_delivers_everything_once(
    course, procs, tmp_path, via_redis
):
    app = via_redis
    now = timezone.now()
    # Redis down: the PFP is recorded, the enqueue after commit fails softly, the outbox keeps the notice.
    app.conf.broker_url, app._pool, app.amqp._producer_pool = DOWN_URL, None, None
    started = time.monotonic()
    services.send_pfp(
        course["admission"],
        at=now,
        faerdigbehandlet_date=date.today() + timedelta(days=3),
        date_certain=True,
        coordination_needed=False,
        actor=services.Actor(side="hospital"),
        now=now,
    )
    assert time.monotonic() - started < 10
    assert EventNotice.objects.count() == 1
    # Meanwhile deadlines pass (two overdue, one whose first point has passed).
    dues = [now - timedelta(minutes=30), now - timedelta(minutes=5), now + timedelta(minutes=90)]
    obs = obligations(course["admission"], dues)
    # Redis back: the next sweeps (as beat sends them) deliver what came due meanwhile, once.
    app.conf.broker_url, app._pool, app.amqp._producer_pool = REDIS_URL, None, None
    start_worker(procs, tmp_path, "w1")
    app.send_task("coordination.sweep_reminders")
    app.send_task("coordination.sweep_reminders")
    wait_until(lambda: Reminder.objects.filter(rule="R-TEST").count() == 5, what="five reminder points")
    wait_until(lambda: not EventNotice.objects.exists(), what="the outbox emptied")
    time.sleep(1)
    assert_once_each(obs, course["nurse"], [(120, 0), (120, 0), (120,)])
    assert Notification.objects.filter(user=course["visitator"], kind="message").count() == 1
    # one inbox item per obligation: the past points of a late sweep are told once
    assert Notification.objects.filter(user=course["nurse"], kind="reminder").count() == 3


def test_a_worker_killed_mid_sweep_leaves_nothing_and_the_work_is_done_again_once(
    course, procs, tmp_path, via_redis
):
    app = via_redis
    now = timezone.now()
    obs = obligations(course["admission"], [now - timedelta(minutes=10), now + timedelta(minutes=60)])
    doomed = start_worker(procs, tmp_path, "doomed", REMINDER_SWEEP_PAUSE=30)
    app.send_task("coordination.sweep_reminders")
    doomed.wait_for("sweep paused before commit")
    doomed.kill(signal.SIGKILL)
    assert Reminder.objects.count() == 0  # the killed sweep's transaction was rolled back
    # The unacknowledged task is handed to the next worker (visibility timeout); no new task is sent.
    start_worker(procs, tmp_path, "heir")
    wait_until(lambda: Reminder.objects.count() == 3, timeout=40, what="the sweep done again")
    app.send_task("coordination.sweep_reminders")  # and the next minute's sweep finds nothing new
    time.sleep(2)
    assert Reminder.objects.count() == 3
    assert_once_each(obs, course["nurse"], [(120, 0), (120,)])


def test_two_beats_and_overlapping_sweeps_still_make_each_reminder_once(course, procs, tmp_path, redis_db):
    now = timezone.now()
    dues = [now + timedelta(seconds=s) for s in (-600, -30, 5, 7200 - 600, 7200 + 4)]
    obs = obligations(course["admission"], dues)
    start_worker(procs, tmp_path, "busy", pool="prefork", concurrency=3, REMINDER_SWEEP_PAUSE=0.5)
    env = worker_env(SWEEP_INTERVAL_SECONDS=1)
    for n in (1, 2):
        procs.append(
            Proc(["beat", "-l", "info", "-s", str(tmp_path / f"beat{n}")], env, tmp_path / f"beat{n}.log")
        )
    # Both beats send sweeps (a busy machine starts them slowly), then several more seconds of sweeps, three
    # at a time, over the 5- and 4-second points.
    wait_until(
        lambda: all("Sending due task sweep-reminders" in proc.text() for proc in procs[1:]),
        timeout=90,
        what="both beats sending sweeps",
    )
    time.sleep(max(0.0, (dues[2] - timezone.now()).total_seconds()) + 8)
    for proc in procs[1:]:
        proc.kill(signal.SIGTERM)
    time.sleep(2)
    expected = {0: (120, 0), 1: (120, 0), 2: (120, 0), 3: (120,), 4: (120,)}
    for i, ob in enumerate(obs):
        assert sorted(ob.reminders.values_list("minutes_before", flat=True)) == sorted(expected[i]), i
    rows = Notification.objects.filter(user=course["nurse"], kind="reminder")
    assert rows.count() == len(set(rows.values_list("reminder_id", flat=True)))


def test_a_real_worker_neither_skips_nor_doubles_a_reminder_when_the_clocks_change(
    course, procs, tmp_path, via_redis
):
    app = via_redis
    changes = [datetime(2026, 3, 29, 1, 0, tzinfo=UTC), datetime(2026, 10, 25, 1, 0, tzinfo=UTC)]
    dues = [c + timedelta(minutes=20 * i) for c in changes for i in range(-2, 8)]
    obs = obligations(course["admission"], dues)
    start_worker(procs, tmp_path, "clock")
    sent = 0
    for change in changes:
        now = change - timedelta(hours=3)
        while now <= change + timedelta(hours=3):
            app.send_task("coordination.sweep_reminders", kwargs={"now": now.isoformat()})
            now += timedelta(minutes=10)
            sent += 1
    wait_until(lambda: Reminder.objects.count() == 2 * len(dues), what="every point made")
    time.sleep(1)
    for ob in obs:
        points = dict(ob.reminders.values_list("minutes_before", "remind_at"))
        assert points == {120: ob.due_at - timedelta(hours=2), 0: ob.due_at}
        for reminder in ob.reminders.all():
            assert timedelta(0) <= reminder.created_at - reminder.remind_at < timedelta(minutes=10)
    assert_once_each(obs, course["nurse"], [(120, 0)] * len(obs))
