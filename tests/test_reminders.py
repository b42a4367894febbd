"""Reminders (issue 7): the sweep, the command, event notifications, e-mail, the inbox, the weekly overview.

In-process tests; the faults with a real Redis and a real worker are in test_reminders_worker.py."""

from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from guardian.shortcuts import assign_perm

from coordination import reminders, services
from coordination.models import (
    AccessLog,
    Admission,
    AgreementProfile,
    EventNotice,
    Notification,
    Obligation,
    Reminder,
    WeeklyOverview,
)
from tests.conftest import cph
from tests.factories import CitizenFactory, logged_in, municipality, staff_user


def shown(items) -> list[str]:
    """The items' texts as a reader sees them at the moment each was made (the texts are made when shown:
    "i dag" is the day the reader looks)."""
    return [item.text_at(item.created_at) for item in items.order_by("pk")]


def texts(user) -> list[str]:
    """The user's reminders."""
    return shown(Notification.objects.filter(user=user, kind="reminder"))


def messages(user) -> list[str]:
    """The user's notifications of new messages."""
    return shown(Notification.objects.filter(user=user, kind="message"))


def committed():
    """Run what waits for the commit (the queued tasks, eager here) when the block ends, as after a commit."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def sweep(text: str) -> int:
    with committed():
        return reminders.sweep(cph(text))


def milr(user) -> list[str]:
    return shown(Notification.objects.filter(user=user, reminder__rule="R-MILR"))


# --- The sweep ------------------------------------------------------------------------------------------


def test_the_municipality_is_reminded_two_hours_before_the_milr_is_due(admission, nurse, visitator, outsider):
    # R-MILR is due 22:21 and owned by the municipality: its visitators hear at 20:21, nobody else does.
    # (R-READ of the advis falls due at the same minute: two obligations, two reminders.)
    assert sweep("2026-02-02 20:20") == 0
    assert sweep("2026-02-02 20:21") == 2
    assert milr(visitator) == ["MILR sendes for Karen Hansen skal ske senest kl. 22:21 i dag (R-MILR)"]
    assert texts(nurse) == [] and texts(outsider) == []


def test_the_owner_is_reminded_again_at_the_due_and_only_once_per_point(admission, visitator):
    sweep("2026-02-02 20:21")
    assert sweep("2026-02-02 20:22") == 0
    assert sweep("2026-02-02 22:21") == 2
    assert sweep("2026-02-02 22:22") == 0
    assert len(milr(visitator)) == 2
    assert milr(visitator)[1] == "Overskredet: MILR sendes for Karen Hansen, frist kl. 22:21 i dag (R-MILR)"
    points = (
        Reminder.objects.filter(rule="R-MILR")
        .order_by("remind_at")
        .values_list("minutes_before", "remind_at")
    )
    assert list(points) == [(120, cph("2026-02-02 20:21")), (0, cph("2026-02-02 22:21"))]


def test_a_late_sweep_makes_the_missed_points_but_tells_people_once(admission, visitator):
    # The first sweep after the due (e.g. the broker was down): both points exist, one inbox item.
    assert sweep("2026-02-03 06:00") == 4
    assert len(milr(visitator)) == 1 and len(texts(visitator)) == 2
    assert sweep("2026-02-03 06:01") == 0


def test_a_met_obligation_is_not_reminded(admission, municipality_actor, visitator):
    services.send_message(
        admission, "MILR", at=cph("2026-02-02 19:30"), actor=municipality_actor, now=cph("2026-02-02 19:30")
    )
    sweep("2026-02-02 20:21")
    sweep("2026-02-02 22:30")
    assert not Reminder.objects.filter(rule="R-MILR").exists()
    assert Reminder.objects.filter(rule="R-READ").count() == 2


def test_a_due_that_moves_is_reminded_again_for_the_new_due(admission, hospital_actor, nurse):
    def pfp(on: date, at: str):
        services.send_pfp(
            admission,
            at=cph(at),
            faerdigbehandlet_date=on,
            date_certain=False,
            coordination_needed=False,
            actor=hospital_actor,
            now=cph(at),
        )

    pfp(date(2026, 2, 6), "2026-02-03 11:00")  # R-PFP-DATE due 5 Feb 13:00
    sweep("2026-02-05 11:00")
    assert (
        texts(nurse)[-1]
        == "PFP med sikker dato sendes for Karen Hansen skal ske senest kl. 13:00 i dag (R-PFP-DATE)"
    )
    pfp(date(2026, 2, 9), "2026-02-05 11:30")  # a later date moves the due
    sweep("2026-02-05 11:31")
    assert Reminder.objects.filter(rule="R-PFP-DATE").count() == 1
    new_due = Obligation.objects.get(rule="R-PFP-DATE").due_at
    assert new_due > cph("2026-02-05 13:00")
    with committed():
        reminders.sweep(new_due - timedelta(hours=2))
    assert texts(nurse)[-1].endswith("kl. 13:00 i dag (R-PFP-DATE)")
    assert Reminder.objects.filter(rule="R-PFP-DATE").count() == 2


def test_reminder_points_are_a_setting_of_the_agreement_profile(admission, visitator):
    AgreementProfile.objects.update(reminder_minutes_before="240, 30,0")
    assert sweep("2026-02-02 18:21") == 2
    assert sweep("2026-02-02 21:51") == 2
    assert sweep("2026-02-02 22:21") == 2
    assert list(
        Reminder.objects.filter(rule="R-MILR")
        .order_by("-minutes_before")
        .values_list("minutes_before", flat=True)
    ) == [
        240,
        30,
        0,
    ]


def test_the_hospital_side_means_the_wards_nurses_and_the_hospitals_coordinators(
    admission, hospital_actor, nurse, visitator, ward, other_ward
):
    coordinator = staff_user("udskrivningskoordinator", hospital=ward.hospital)
    elsewhere = staff_user("andet-afsnit", ward=other_ward)
    services.send_pfp(
        admission,
        at=cph("2026-02-03 11:00"),
        faerdigbehandlet_date=date(2026, 2, 6),
        date_certain=False,
        coordination_needed=False,
        actor=hospital_actor,
        now=cph("2026-02-03 11:00"),
    )
    sweep("2026-02-05 11:00")
    reminded = set(
        Notification.objects.filter(reminder__rule="R-PFP-DATE").values_list("user__username", flat=True)
    )
    assert reminded == {nurse.username, coordinator.username}
    assert elsewhere.username not in reminded and visitator.username not in reminded


def test_someone_granted_the_course_is_reminded_on_their_own_side(admission, visitator, other_ward):
    # A forløbskoordinator in another municipality, granted this citizen's course, hears the municipality's.
    coordinator = staff_user("forloebskoordinator", municipality=municipality("0101"))
    assign_perm("take_part", coordinator, admission)
    sweep("2026-02-02 20:21")
    assert len(milr(coordinator)) == 1 and len(milr(visitator)) == 1


def test_an_inactive_user_is_not_reminded(admission, visitator):
    visitator.is_active = False
    visitator.save()
    sweep("2026-02-02 20:21")
    assert texts(visitator) == []


def _hand_made_obligations(admission, dues):
    """Obligations of the hospital with given dues (the engine's own rules do not fall on the DST nights)."""
    Admission.objects.filter(pk=admission.pk).update(reevaluate_at=None)
    return [
        Obligation.objects.create(
            admission=admission,
            key=f"TEST-{i}",
            rule="R-TEST",
            owner="hospital",
            label="Test",
            due_at=due,
            status="open",
        )
        for i, due in enumerate(dues)
    ]


@pytest.mark.parametrize(
    "change",
    [datetime(2026, 3, 29, 1, 0, tzinfo=UTC), datetime(2026, 10, 25, 1, 0, tzinfo=UTC)],
    ids=["summer-time-begins", "summer-time-ends"],
)
def test_no_reminder_is_skipped_or_doubled_when_the_clocks_change(admission, nurse, change):
    dues = [change + timedelta(minutes=15 * i) for i in range(-8, 13)]  # every quarter hour around it
    obligations = _hand_made_obligations(admission, dues)
    now = change - timedelta(hours=5)
    while now <= change + timedelta(hours=4):
        reminders.sweep(now)
        now += timedelta(minutes=5)
    for ob in obligations:
        made = list(
            ob.reminders.order_by("-minutes_before").values_list("minutes_before", "remind_at", "created_at")
        )
        assert [(m, at) for m, at, _ in made] == [
            (120, ob.due_at - timedelta(hours=2)),
            (0, ob.due_at),
        ]
        # each made by the first sweep at or after its instant
        assert all(timedelta(0) <= created - at < timedelta(minutes=5) for _, at, created in made)
    assert Notification.objects.filter(user=nurse, reminder__rule="R-TEST").count() == 2 * len(dues)


def test_the_text_shows_copenhagen_time_on_the_night_summer_time_ends(admission, nurse):
    # 00:30 UTC is 02:30 summer time, 01:30 UTC is 02:30 winter time: the same wall clock, two reminders.
    _hand_made_obligations(
        admission, [datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 30, tzinfo=UTC)]
    )
    reminders.sweep(datetime(2026, 10, 24, 23, 31, tzinfo=UTC))
    assert [t.split("senest ")[1] for t in texts(nurse)] == [
        "kl. 02:30 i dag (R-TEST)",
        "kl. 02:30 i dag (R-TEST)",
    ]


def test_the_sweep_refreshes_clock_driven_admissions_first(admission, visitator):
    # An admission whose state changes with the clock alone (reevaluate_at passed) is re-derived first.
    Admission.objects.filter(pk=admission.pk).update(next_due_at=None, reevaluate_at=cph("2026-02-03 00:00"))
    sweep("2026-02-03 09:00")
    admission.refresh_from_db()
    assert admission.next_due_at is not None


def test_the_sweep_is_a_few_queries_whatever_the_number_of_admissions(
    admission, citizen, ward, hospital_actor, django_assert_max_num_queries
):
    for _ in range(6):
        other = CitizenFactory(municipality=citizen.municipality)
        services.admit_citizen(
            other,
            ward,
            at=cph("2026-02-02 14:00"),
            expected_stay="over_48h",
            actor=hospital_actor,
            now=cph("2026-02-02 14:00"),
        )
        services.send_message(
            Admission.objects.get(citizen=other),
            "ADVIS-IND",
            at=cph("2026-02-02 14:05"),
            actor=hospital_actor,
            now=cph("2026-02-02 14:05"),
        )
    Admission.objects.update(reevaluate_at=None)
    with django_assert_max_num_queries(20):
        assert sweep("2026-02-02 22:30") == 28  # 7 admissions, R-MILR and R-READ, two points each


# --- The command ----------------------------------------------------------------------------------------


def run_command(*args) -> str:
    out = StringIO()
    call_command("sweep_reminders", *args, stdout=out)
    return out.getvalue()


def test_sweep_reminders_at_the_same_now_twice_creates_the_reminders_once(admission):
    assert run_command("--now", "2026-02-02T22:30:00+01:00") == "created 4 reminders\n"
    assert run_command("--now", "2026-02-02T22:30:00+01:00") == "created 0 reminders\n"


def test_sweep_reminders_reads_a_time_without_offset_as_copenhagen_time(admission):
    assert run_command("--now", "2026-02-02T20:21") == "created 2 reminders\n"


def test_sweep_reminders_refuses_a_time_it_cannot_read(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as refused:
        run_command("--now", "i morgen")
    assert refused.value.returncode == 2


# --- Events push ----------------------------------------------------------------------------------------


def test_a_pfp_from_the_hospital_notifies_the_municipality(admission, hospital_actor, nurse, visitator):
    with committed():
        services.send_pfp(
            admission,
            at=cph("2026-02-03 11:00"),
            faerdigbehandlet_date=date(2026, 2, 6),
            date_certain=True,
            coordination_needed=False,
            actor=hospital_actor,
            now=cph("2026-02-03 11:00"),
        )
    assert messages(visitator) == [
        f"Ny PFP for Karen Hansen fra {hospital_actor.organisation} kl. 11:00 3. feb. 2026"
    ]
    assert messages(nurse) == []
    assert not EventNotice.objects.filter(event__data__code="PFP").exists()  # the task emptied the outbox


def test_a_km_from_the_municipality_notifies_the_hospital_with_its_subject(
    admission, municipality_actor, nurse
):
    with committed():
        services.send_km(
            admission,
            at=cph("2026-02-03 09:00"),
            sender="municipality",
            subject="Plejeforløbsplan ok",
            actor=municipality_actor,
            now=cph("2026-02-03 09:00"),
        )
    assert messages(nurse) == [
        "Ny KM for Karen Hansen fra Hillerød Kommune kl. 09:00 3. feb. 2026: Plejeforløbsplan ok"
    ]


def test_the_mof_notifies_the_municipality_and_a_phone_call_does_not(admission, hospital_actor, visitator):
    with committed():
        services.register_faerdigbehandlet(
            admission,
            at=cph("2026-02-04 10:00"),
            faerdigbehandlet_on=date(2026, 2, 4),
            waiting_for=["plejebolig"],
            actor=hospital_actor,
            now=cph("2026-02-04 10:00"),
        )
    with committed():
        services.record_municipality_contact(
            admission, at=cph("2026-02-04 11:00"), actor=Actor_municipality(), now=cph("2026-02-04 11:00")
        )
    assert [t.split(" for ")[0] for t in messages(visitator)] == ["Ny MOF"]


def Actor_municipality():  # noqa: N802
    return services.Actor(side="municipality", organisation="Hillerød Kommune")


@pytest.fixture
def broker_down(settings):
    """Celery pointed at a closed port, not eager: what a web process sees when Redis is down."""
    from config.celery import app

    old = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:6390/7"
    app._pool, app.amqp._producer_pool = None, None
    yield
    app.conf.task_always_eager, app.conf.broker_url = old
    app._pool, app.amqp._producer_pool = None, None


def test_with_the_broker_down_an_action_still_works_and_the_sweep_delivers_the_notice_once(
    admission, hospital_actor, visitator, broker_down, caplog
):
    with committed():
        services.send_pfp(
            admission,
            at=cph("2026-02-03 11:00"),
            faerdigbehandlet_date=date(2026, 2, 6),
            date_certain=True,
            coordination_needed=False,
            actor=hospital_actor,
            now=cph("2026-02-03 11:00"),
        )
    assert admission.events.filter(type="message", data__code="PFP").exists()
    assert "could not queue coordination.notify_event" in caplog.text
    assert EventNotice.objects.filter(event__data__code="PFP").count() == 1 and messages(visitator) == []
    sweep("2026-02-03 11:01")
    sweep("2026-02-03 11:02")
    assert len([t for t in messages(visitator) if t.startswith("Ny PFP")]) == 1
    assert not EventNotice.objects.exists()


def test_with_the_broker_down_the_board_and_the_inbox_still_open(admission, visitator, broker_down):
    client = logged_in(visitator)
    assert client.get("/").status_code == 200
    assert client.get("/indbakke/").status_code == 200


# --- E-mail ---------------------------------------------------------------------------------------------


def opt_in(user, email="person@example.org"):
    reminders.process_event_notices()  # the admission fixture's advis, told before the user opted in
    user.email = email
    user.save()
    user.staff.email_notifications = True
    user.staff.save()


def test_reminders_are_emailed_to_those_who_opted_in_only(admission, visitator, ward):
    colleague = staff_user("kollega", municipality=municipality("0219"))
    opt_in(visitator)
    sweep("2026-02-02 20:21")
    assert [m.to for m in mail.outbox] == [["person@example.org"]] * 2
    # The e-mail names no citizen: a link to the admission only (issue 11).
    assert f"/admissions/{admission.pk}/" in mail.outbox[0].body
    for message in mail.outbox:
        for secret in ("Karen Hansen", admission.citizen.cpr, admission.citizen.cpr[:6]):
            assert secret not in message.subject + message.body
    mine = Notification.objects.filter(user=visitator, kind="reminder")
    assert set(mine.values_list("email_state", flat=True)) == {"sent"}
    assert set(Notification.objects.filter(user=colleague).values_list("email_state", flat=True)) == {"none"}


def test_a_mail_error_keeps_the_email_pending_and_asks_for_a_retry(
    admission, visitator, settings, monkeypatch
):
    opt_in(visitator)
    monkeypatch.setattr(reminders.reminder_sweep, "queue_mail", lambda: None)
    sweep("2026-02-02 20:21")

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(reminders.email, "send_mail", broken)
    with pytest.raises(reminders.MailError):
        reminders.deliver_emails()
    rows = Notification.objects.filter(user=visitator, kind="reminder")
    assert {(row.email_state, row.email_attempts) for row in rows} == {("pending", 1)}
    monkeypatch.undo()
    assert reminders.deliver_emails() == 2
    assert reminders.deliver_emails() == 0
    assert len(mail.outbox) == 2


def test_the_email_task_retries_with_backoff_and_acknowledges_late():
    from coordination import tasks

    for task in (tasks.sweep_reminders, tasks.deliver_emails, tasks.notify_event, tasks.weekly_overview):
        assert task.acks_late and task.reject_on_worker_lost and task.time_limit and task.soft_time_limit
    assert reminders.MailError in tasks.deliver_emails.autoretry_for and tasks.deliver_emails.retry_backoff


# --- The inbox ------------------------------------------------------------------------------------------


def test_the_inbox_shows_the_reminder_and_the_header_counts_it(admission, visitator):
    sweep("2026-02-02 20:21")
    client = logged_in(visitator)
    body = client.get("/indbakke/").content.decode()
    assert "MILR sendes for Karen Hansen" in body
    assert AccessLog.objects.filter(user=visitator, citizen=admission.citizen, view="inbox").exists()
    # two reminders (R-MILR, R-READ) and the advis from the admission fixture
    assert "3 ulæste" in client.get("/").content.decode()
    badge = client.get("/indbakke/antal/", headers={"HX-Request": "true"}).content.decode()
    assert 'href="/indbakke/"' in badge and 'hx-get="/indbakke/antal/"' in badge and "3 ulæste" in badge


def test_a_reminder_can_be_marked_read_and_unread(admission, visitator):
    sweep("2026-02-02 20:21")
    item = Notification.objects.get(user=visitator, reminder__rule="R-MILR")
    client = logged_in(visitator)
    response = client.post(f"/indbakke/{item.pk}/read/", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Markér som ulæst" in response.content.decode()
    assert "2 ulæste" in client.get("/indbakke/antal/").content.decode()
    client.post(f"/indbakke/{item.pk}/unread/")
    item.refresh_from_db()
    assert item.read_at is None


def test_nobody_can_mark_another_persons_reminder(admission, visitator, outsider):
    sweep("2026-02-02 20:21")
    item = Notification.objects.get(user=visitator, reminder__rule="R-MILR")
    assert logged_in(outsider).post(f"/indbakke/{item.pk}/read/").status_code == 404


def test_a_reminder_of_a_course_no_longer_visible_is_hidden_and_not_counted(admission, visitator):
    coordinator = staff_user("forloebskoordinator", municipality=municipality("0101"))
    assign_perm("take_part", coordinator, admission)
    sweep("2026-02-02 20:21")
    from guardian.shortcuts import remove_perm

    remove_perm("take_part", coordinator, admission)
    client = logged_in(coordinator)
    assert "Karen Hansen" not in client.get("/indbakke/").content.decode()
    assert "ulæst" not in client.get("/indbakke/antal/").content.decode()


def test_email_reminders_can_be_switched_on_in_the_inbox(visitator):
    logged_in(visitator).post("/indbakke/e-mail/", {"email_notifications": "on"})
    visitator.staff.refresh_from_db()
    assert visitator.staff.email_notifications is True


# --- R-MON-FB: the weekly overview ----------------------------------------------------------------------


@pytest.fixture
def waiting_citizen(admission, hospital_actor):
    services.register_faerdigbehandlet(
        admission,
        at=cph("2026-02-04 10:00"),
        faerdigbehandlet_on=date(2026, 2, 4),
        waiting_for=["plejebolig", "hjaelpemidler"],
        actor=hospital_actor,
        now=cph("2026-02-04 10:00"),
    )
    return admission


def test_the_weekly_overview_goes_to_the_visitation_on_monday_morning_once(
    waiting_citizen, visitator, time_machine
):
    visitator.email = "visitation@hillerod.example"
    visitator.save()
    time_machine.move_to(cph("2026-02-09 06:59"), tick=False)  # Monday, before 07:00 Copenhagen time
    assert reminders.make_weekly_overviews() == 0
    time_machine.move_to(cph("2026-02-09 07:00"), tick=False)
    with committed():
        assert reminders.make_weekly_overviews() == 1
    assert reminders.make_weekly_overviews() == 0
    overview = WeeklyOverview.objects.get()
    assert (overview.week_start, overview.citizens, overview.email_state) == (date(2026, 2, 9), 1, "sent")
    [message] = mail.outbox
    assert message.to == ["visitation@hillerod.example"]
    assert "færdigbehandlet 4. feb. 2026, 5 dage" in message.body
    assert f"/admissions/{waiting_citizen.pk}/" in message.body and "/faerdigbehandlede/" in message.body
    assert "Karen Hansen" not in message.body and waiting_citizen.citizen.cpr[:6] not in message.body
    assert "plejebolig, hjælpemidler" in message.body


def test_the_waiting_page_lists_the_citizen_with_days_and_reasons(
    waiting_citizen, visitator, outsider, time_machine
):
    time_machine.move_to(cph("2026-02-09 12:00"), tick=False)
    body = logged_in(visitator).get("/faerdigbehandlede/").content.decode()
    assert "Karen Hansen" in body and "plejebolig, hjælpemidler" in body and "<td>5</td>" in body
    assert "Karen Hansen" not in logged_in(outsider).get("/faerdigbehandlede/").content.decode()
