"""Issue 11: an e-mail goes only to someone who still takes part in the course when it is sent, each
sending is in the access log, pending e-mails are retried on beat's schedule, and no e-mail (nor the
worker's log) holds a citizen's name or CPR number."""

import os
import signal
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from coordination import reminders, services, tasks
from coordination.models import AccessLog, Notification
from tests.conftest import cph
from tests.factories import municipality
from tests.test_reminders import opt_in, sweep
from tests.test_reminders_worker import (  # noqa: F401 (fixtures)
    Proc,
    course,
    procs,
    redis_db,
    start_worker,
    wait_until,
    worker_env,
)
from tests.test_reminders_worker import pytestmark as worker_marks


@pytest.fixture
def pending_for_visitator(admission, visitator, monkeypatch):
    """The visitator opted in; two reminders' e-mails wait (the broker was down when they were made)."""
    opt_in(visitator)
    monkeypatch.setattr(reminders.reminder_sweep, "queue_mail", lambda: None)
    sweep("2026-02-02 20:21")
    rows = Notification.objects.filter(user=visitator, email_state="pending")
    assert rows.count() == 2
    return rows


def test_an_email_to_someone_who_no_longer_takes_part_is_skipped_at_send_time(
    admission, visitator, pending_for_visitator, hospital_actor
):
    # Meanwhile the citizen moved to Copenhagen: Hillerød's visitator takes no part any more.
    services.transfer_admission(
        admission,
        at=cph("2026-02-02 20:30"),
        municipality=municipality("0101"),
        actor=hospital_actor,
        now=cph("2026-02-02 20:30"),
    )
    assert tasks.deliver_emails() == 0
    assert mail.outbox == []
    assert set(Notification.objects.filter(user=visitator).values_list("email_state", flat=True)) >= {
        "skipped"
    }
    assert not Notification.objects.filter(user=visitator, email_state="pending").exists()
    assert not AccessLog.objects.filter(user=visitator, action="email").exists()


def test_an_email_to_a_deactivated_user_is_skipped(visitator, pending_for_visitator):
    ids = list(pending_for_visitator.values_list("pk", flat=True))
    visitator.is_active = False
    visitator.save()
    assert tasks.deliver_emails() == 0 and mail.outbox == []
    states = Notification.objects.filter(pk__in=ids).values_list("email_state", flat=True)
    assert set(states) == {"skipped"}


def test_each_sent_email_is_in_the_access_log(admission, visitator, pending_for_visitator):
    assert tasks.deliver_emails() == 2
    logged = AccessLog.objects.filter(user=visitator, action="email")
    assert logged.count() == 2
    assert set(logged.values_list("citizen_id", "admission_id")) == {(admission.citizen_id, admission.pk)}


def test_pending_emails_are_retried_on_beats_schedule():
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "coordination.deliver_emails"
    )
    assert entry["schedule"] <= timedelta(minutes=5)


# --- A real worker and beat: retried without a new e-mail, and nothing of the citizen in the log -----------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(*worker_marks[-1].args, **worker_marks[-1].kwargs)
def test_beat_delivers_waiting_emails_and_the_worker_log_names_no_citizen(  # noqa: F811
    course,  # noqa: F811
    procs,  # noqa: F811
    tmp_path,
    redis_db,  # noqa: F811
):
    nurse, admission = course["nurse"], course["admission"]
    nurse.email = "nat@example.org"
    nurse.save()
    nurse.staff.email_notifications = True
    nurse.staff.save()
    # E-mails that waited while Redis was down: nothing new will trigger their delivery.
    for n in range(3):
        Notification.objects.create(
            user=nurse,
            kind="reminder",
            admission=admission,
            params={"text": f"Test for {admission.citizen.name} ({admission.citizen.cpr}) {n}"},
            created_at=timezone.now(),
            email_state="pending",
        )
    worker = start_worker(
        procs, tmp_path, "mail", TEST_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend"
    )
    env = worker_env(MAIL_RETRY_SECONDS=1, SWEEP_INTERVAL_SECONDS=3600)
    beat = Proc(["beat", "-l", "info", "-s", str(tmp_path / "beat")], env, tmp_path / "beat.log")
    procs.append(beat)
    wait_until(
        lambda: Notification.objects.filter(user=nurse, email_state="sent").count() == 3,
        timeout=40,
        what="the waiting e-mails sent by beat's retry",
    )
    beat.kill(signal.SIGTERM)
    time.sleep(1)
    assert "Sending due task deliver-emails" in beat.text()
    assert AccessLog.objects.filter(user=nurse, action="email").count() == 3
    log = worker.text()
    assert "nat@example.org" in log  # the console backend did print the e-mails
    cpr = admission.citizen.cpr
    for secret in (admission.citizen.name, cpr, f"{cpr[:6]}-{cpr[6:]}", cpr[:6]):
        assert secret not in log + beat.text(), secret


def test_smtp_uses_tls_unless_told_otherwise():
    import subprocess
    import sys

    from tests.test_reminders_worker import ROOT

    env = {k: v for k, v in os.environ.items() if k != "EMAIL_USE_TLS"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", SECRET_KEY="x", EMAIL_HOST="smtp.example")
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_USE_TLS, s.EMAIL_BACKEND)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "django.core.mail.backends.smtp.EmailBackend"]
