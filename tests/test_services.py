"""Services: one function per user action; refusals are clear, Danish and leave the database unchanged."""

from datetime import date

import pytest
from django.db import connection

from coordination import services
from coordination.models import Admission, Event, FaerdigbehandlingPeriod, Obligation
from coordination.services import Actor, ServiceError
from tests.conftest import cph
from tests.factories import CitizenFactory, municipality


def snapshot():
    """What a refusal must leave untouched."""
    return (
        Admission.objects.count(),
        Event.objects.count(),
        list(Obligation.objects.order_by("pk").values_list("key", "status", "due_at", "met_at")),
        list(FaerdigbehandlingPeriod.objects.values_list("registered_on", "ended_on", "voided")),
        list(Admission.objects.values_list("version", "faerdigbehandlet_on", "left_at")),
    )


def test_admission_records_its_first_event_and_the_milr_duty_from_the_advis(admission):
    # R-MILR: advis 14:21, 8 elapsed hours -> due 22:21 the same evening; owned by the municipality.
    assert [e.type for e in admission.events.all()] == ["admitted", "message"]
    milr = admission.obligations.get(rule="R-MILR")
    assert milr.owner == "municipality"
    assert milr.due_at == cph("2026-02-02 22:21")
    assert milr.status == "open"
    assert milr.status_at(cph("2026-02-02 22:22")) == "overdue"
    assert admission.next_due_at is not None


def test_milr_sent_by_the_municipality_meets_the_duty(admission, municipality_actor):
    services.send_message(
        admission, "MILR", at=cph("2026-02-02 19:30"), actor=municipality_actor, now=cph("2026-02-02 19:30")
    )
    milr = admission.obligations.get(rule="R-MILR")
    assert (milr.status, milr.met_at) == ("met", cph("2026-02-02 19:30"))


def test_an_event_may_carry_a_time_in_the_past_and_keeps_when_it_was_recorded(admission, municipality_actor):
    # R-MILR: the MILR really went at 19:30 but was recorded the next morning: still met on time.
    event = services.send_message(
        admission, "MILR", at=cph("2026-02-02 19:30"), actor=municipality_actor, now=cph("2026-02-03 08:00")
    )
    assert event.occurred_at == cph("2026-02-02 19:30")
    assert event.recorded_at == cph("2026-02-03 08:00")
    assert admission.obligations.get(rule="R-MILR").status == "met"


def test_pfp_date_duty_follows_the_newest_date(admission, hospital_actor):
    # R-PFP-DATE: PFP says 6 Feb (uncertain) -> due 13:00 on 5 Feb; not met until a PFP names it as certain.
    services.send_pfp(
        admission,
        at=cph("2026-02-03 11:00"),
        faerdigbehandlet_date=date(2026, 2, 6),
        date_certain=False,
        coordination_needed=False,
        actor=hospital_actor,
        now=cph("2026-02-03 11:00"),
    )
    ob = admission.obligations.get(rule="R-PFP-DATE")
    assert (ob.due_at, ob.status) == (cph("2026-02-05 13:00"), "open")
    services.send_pfp(
        admission,
        at=cph("2026-02-04 10:00"),
        faerdigbehandlet_date=date(2026, 2, 6),
        date_certain=True,
        coordination_needed=False,
        actor=hospital_actor,
        now=cph("2026-02-04 10:00"),
    )
    ob.refresh_from_db()
    assert (ob.status, ob.met_at) == ("met", cph("2026-02-04 10:00"))
    admission.refresh_from_db()
    assert admission.expected_faerdigbehandlet_on == date(2026, 2, 6)
    assert admission.faerdigbehandlet_date_certain is True


def test_invalid_cpr_is_refused_in_danish():
    with pytest.raises(ServiceError) as refused:
        services.register_citizen(cpr="3102451234", name="Ole", municipality=None)
    assert "gyldig" in refused.value.message and refused.value.field == "cpr"


def test_cpr_that_fails_modulus_11_is_accepted(db):
    # MedCom's test CPR fails modulus 11 and must still be accepted (STANDARDS.md §6.2).
    citizen = services.register_citizen(
        cpr="250947-9989", name="Test Testesen", municipality=municipality("0101")
    )
    assert citizen.cpr == "2509479989"


def test_an_event_in_the_future_is_refused_and_nothing_is_written(admission, municipality_actor):
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        services.send_message(
            admission,
            "MILR",
            at=cph("2026-02-03 10:00"),
            actor=municipality_actor,
            now=cph("2026-02-03 09:00"),
        )
    assert "fremtiden" in refused.value.message
    assert snapshot() == before


def test_an_event_before_the_admission_is_refused(admission, municipality_actor):
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        services.send_message(
            admission,
            "MILR",
            at=cph("2026-02-01 10:00"),
            actor=municipality_actor,
            now=cph("2026-02-03 09:00"),
        )
    assert "før indlæggelsen" in refused.value.message
    assert snapshot() == before


def test_the_municipality_cannot_send_the_hospitals_pfp(admission, municipality_actor):
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        services.send_pfp(
            admission,
            at=cph("2026-02-03 11:00"),
            faerdigbehandlet_date=date(2026, 2, 6),
            date_certain=False,
            coordination_needed=False,
            actor=municipality_actor,
            now=cph("2026-02-03 11:00"),
        )
    assert refused.value.message == "Det er hospitalet, der registrerer dette."
    assert snapshot() == before


def test_a_citizen_has_one_live_admission(admission, citizen, ward, hospital_actor):
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        services.admit_citizen(
            citizen,
            ward,
            at=cph("2026-02-03 10:00"),
            expected_stay="under_48h",
            actor=hospital_actor,
            now=cph("2026-02-03 10:00"),
        )
    assert "allerede indlagt" in refused.value.message
    assert snapshot() == before


def test_a_citizen_who_left_may_be_admitted_again(admission, citizen, ward, hospital_actor):
    services.record_departure(
        admission, at=cph("2026-02-05 14:10"), actor=hospital_actor, now=cph("2026-02-05 14:10")
    )
    again = services.admit_citizen(
        citizen,
        ward,
        at=cph("2026-02-20 10:00"),
        expected_stay="under_48h",
        actor=hospital_actor,
        now=cph("2026-02-20 10:00"),
    )
    assert again.pk != admission.pk
    assert citizen.admissions.count() == 2


def test_terminal_citizen_is_never_registered_faerdigbehandlet(admission, hospital_actor):
    # R-FB-TERMINAL: refused with its rule id; no period, no fee day, no event. Terminal is a fact on the
    # timeline: the doctor's judgement recorded by the ward on 3 Feb.
    services.change_citizen_facts(
        admission,
        at=cph("2026-02-03 09:00"),
        terminal=True,
        reason="Lægen vurderer patienten terminal",
        actor=hospital_actor,
        now=cph("2026-02-03 09:00"),
    )
    admission.refresh_from_db()
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        services.register_faerdigbehandlet(
            admission,
            at=cph("2026-02-04 10:00"),
            faerdigbehandlet_on=date(2026, 2, 4),
            waiting_for=["plejebolig"],
            actor=hospital_actor,
            now=cph("2026-02-04 10:00"),
        )
    assert refused.value.rule == "R-FB-TERMINAL"
    assert snapshot() == before


def test_resuming_treatment_without_a_registration_is_refused(admission, hospital_actor):
    # R-FB-RESUME: no open period to end.
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        services.resume_treatment(
            admission,
            at=cph("2026-02-03 09:00"),
            reason="relapse",
            actor=hospital_actor,
            now=cph("2026-02-03 09:00"),
        )
    assert refused.value.rule == "R-FB-RESUME"
    assert snapshot() == before


def test_a_second_departure_is_refused_by_the_flow(admission, hospital_actor):
    # R-FLOW: a second left_ward breaks the course.
    services.record_departure(
        admission, at=cph("2026-02-05 14:10"), actor=hospital_actor, now=cph("2026-02-05 14:10")
    )
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        services.record_departure(
            admission, at=cph("2026-02-05 15:00"), actor=hospital_actor, now=cph("2026-02-05 15:00")
        )
    assert refused.value.rule == "R-FLOW"
    assert snapshot() == before


def test_unknown_waiting_reason_is_refused_with_a_danish_message(admission, hospital_actor):
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        services.register_faerdigbehandlet(
            admission,
            at=cph("2026-02-04 10:00"),
            faerdigbehandlet_on=date(2026, 2, 4),
            waiting_for=["ferie"],
            actor=hospital_actor,
            now=cph("2026-02-04 10:00"),
        )
    assert "ferie" in refused.value.message
    assert not refused.value.message.startswith("hændelse")
    assert snapshot() == before


def test_faerdigbehandling_period_and_fee_days_are_stored(admission, hospital_actor):
    # R-FB-FEE: registered 4 Feb, left 9 Feb -> 5 days (from and including the day after registration).
    services.register_faerdigbehandlet(
        admission,
        at=cph("2026-02-04 10:00"),
        faerdigbehandlet_on=date(2026, 2, 4),
        waiting_for=["plejebolig"],
        actor=hospital_actor,
        now=cph("2026-02-04 10:00"),
    )
    period = admission.periods.get()
    assert (period.registered_on, period.ended_on, period.waiting_for) == (
        date(2026, 2, 4),
        None,
        ["plejebolig"],
    )
    assert period.days_at(date(2026, 2, 6)) == 2
    services.record_departure(
        admission, at=cph("2026-02-09 11:00"), actor=hospital_actor, now=cph("2026-02-09 11:00")
    )
    period = admission.periods.get()
    assert (period.ended_on, period.days) == (date(2026, 2, 9), 5)


def test_a_failure_while_storing_derived_state_leaves_no_event(admission, municipality_actor, monkeypatch):
    # The event and its derived tables are one transaction: if the second half fails, the first is undone.
    before = snapshot()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.core, "_store", broken)
    with pytest.raises(RuntimeError):
        services.send_message(
            admission,
            "MILR",
            at=cph("2026-02-02 19:30"),
            actor=municipality_actor,
            now=cph("2026-02-02 19:30"),
        )
    assert snapshot() == before


def test_events_are_append_only(admission):
    event = admission.events.first()
    event.data = {"expected_stay": "under_48h"}
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        Event.objects.filter(pk=event.pk).update(type="left_ward")
    assert Event.objects.get(pk=event.pk).data["expected_stay"] == "over_48h"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger is PostgreSQL's")
def test_the_database_refuses_to_edit_an_event(admission):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE coordination_event SET type = 'left_ward'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM coordination_event")
    assert admission.events.count() == 2


def test_a_short_stay_passing_48_hours_gets_the_pfp_date_duty_on_refresh(citizen, ward, hospital_actor):
    # R-PFP-DATE: under_48h at admission; a planned discharge names 6 Feb; once 48 h have passed (4 Feb 10:00)
    # the stay counts as over 48 hours and the duty appears, due 13:00 on 5 Feb.
    at = cph("2026-02-02 10:00")
    admission = services.admit_citizen(
        citizen, ward, at=at, expected_stay="under_48h", actor=hospital_actor, now=at
    )
    services.plan_discharge(
        admission,
        at=cph("2026-02-03 09:00"),
        discharge_at=cph("2026-02-06 10:00"),
        needs_changed=False,
        practical_help_only=False,
        municipal_nursing=True,
        destination="own_home",
        actor=hospital_actor,
        now=cph("2026-02-03 09:00"),
    )
    assert not admission.obligations.filter(rule="R-PFP-DATE").exists()
    admission.refresh_from_db()
    assert admission.reevaluate_at == cph("2026-02-04 10:00")
    version = admission.version
    assert services.refresh_due_admissions(now=cph("2026-02-04 09:59")) == 0
    assert services.refresh_due_admissions(now=cph("2026-02-04 10:00")) == 1
    ob = admission.obligations.get(rule="R-PFP-DATE")
    assert ob.due_at == cph("2026-02-05 13:00")
    # The clock re-derived the facts; nobody recorded anything, so open forms stay valid and no board row is
    # marked as changed.
    admission.refresh_from_db()
    assert admission.version == version


def test_actor_for_a_user_without_organisation_is_refused(django_user_model):
    user = django_user_model.objects.create(username="uden-enhed")
    with pytest.raises(ServiceError):
        Actor.for_user(user)


def test_actor_for_a_visitator_is_the_municipality(visitator):
    actor = Actor.for_user(visitator)
    assert (actor.side, actor.organisation) == ("municipality", "Hillerød Kommune")


def test_another_citizen_in_the_same_ward_is_independent(admission, ward, hospital_actor):
    other = CitizenFactory(name="Jens Jensen")
    second = services.admit_citizen(
        other,
        ward,
        at=cph("2026-02-03 10:00"),
        expected_stay="over_48h",
        actor=hospital_actor,
        now=cph("2026-02-03 10:00"),
    )
    assert second.obligations.filter(rule="R-MILR").count() == 0  # no advis yet for him
    assert admission.obligations.filter(rule="R-MILR").count() == 1


def test_backdated_event_in_the_repeated_hour_of_october_is_ordered_by_instant(citizen, ward, hospital_actor):
    # Summer time ends 25 Oct 2026 at 03:00 (+02:00) -> 02:00 (+01:00): 02:00-03:00 comes twice.
    # USR at 02:30+02:00 (00:30 UTC) really came before the departure at 02:10+01:00 (01:10 UTC),
    # though its wall-clock reading is later. Recorded afterwards, it must still meet R-USR on time.
    from datetime import datetime

    at = datetime.fromisoformat("2026-10-23T10:00:00+02:00")
    admission = services.admit_citizen(
        citizen, ward, at=at, expected_stay="over_48h", actor=hospital_actor, now=at
    )
    left = datetime.fromisoformat("2026-10-25T02:10:00+01:00")
    usr = datetime.fromisoformat("2026-10-25T02:30:00+02:00")
    later = datetime.fromisoformat("2026-10-25T03:00:00+01:00")
    services.record_departure(admission, at=left, actor=hospital_actor, now=later)
    services.send_message(admission, "USR", at=usr, actor=hospital_actor, now=later)
    ob = admission.obligations.get(rule="R-USR")
    assert (ob.status, ob.met_at, ob.due_at) == ("met", usr, left)
    assert [e.type for e in admission.events.order_by("occurred_at")] == ["admitted", "message", "left_ward"]
