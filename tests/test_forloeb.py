"""Forløbskoordination (R-FK, seed 004) through the services, the admission page and "Mine forløb": either
side includes a citizen with a named coordinator, who is granted the course (guardian, logged); the
coordinator sets the visit's due, records the visit and ends the course; an outsider gets nothing;
replay_timeline and load_timelines take the new events."""

import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from coordination import services
from coordination.models import AccessAction, AccessLog, Admission, Forloeb
from coordination.services import Actor, ServiceError
from tests.conftest import cph
from tests.factories import logged_in, municipality, staff_user
from tests.report_timelines import event, stay, timeline

pytestmark = pytest.mark.django_db


def in_group(user, name):
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def coordinator(db):
    """A municipal forløbskoordinator of Hillerød (the citizen's municipality)."""
    return in_group(staff_user("fk.anna", municipality=municipality("0219")), "Forløbskoordinator")


@pytest.fixture
def far_coordinator(db):
    """A forløbskoordinator who works elsewhere (København): sees the course only by the grant."""
    return in_group(staff_user("fk.bo", municipality=municipality("0101")), "Forløbskoordinator")


def include(admission, coordinator, by, at="2026-02-02 16:00"):
    return services.include(
        admission,
        criteria=["reduced_function", "weak_network"],
        coordinator=coordinator,
        at=cph(at),
        actor=Actor.for_user(by),
        now=cph(at),
    )


def test_either_side_includes_and_the_coordinator_is_granted_the_course_with_a_log_row(
    admission, nurse, far_coordinator
):
    in_group(nurse, "Afsnitssygeplejerske")
    assert not Admission.objects.visible_to(far_coordinator).filter(pk=admission.pk).exists()
    include(admission, far_coordinator, by=nurse)
    course = Forloeb.objects.get(admission=admission)
    assert (course.included_by, course.coordinator, course.coordinator_side) == (
        "hospital",
        far_coordinator,
        "municipality",
    )
    assert course.criteria == ["reduced_function", "weak_network"]
    assert Admission.objects.visible_to(far_coordinator).filter(pk=admission.pk).exists()
    grant = AccessLog.objects.get(action=AccessAction.GRANT, admission=admission)
    assert grant.user == nurse and "fk.bo" in grant.note


def test_a_municipality_includes_too(admission, visitator, coordinator):
    in_group(visitator, "Visitator")
    include(admission, coordinator, by=visitator)
    assert Forloeb.objects.get(admission=admission).included_by == "municipality"


def test_a_new_coordinator_takes_the_grant_over(admission, visitator, coordinator, far_coordinator):
    include(admission, far_coordinator, by=visitator)
    services.change_coordinator(
        admission,
        coordinator=coordinator,
        at=cph("2026-02-03 09:00"),
        actor=Actor.for_user(visitator),
        now=cph("2026-02-03 09:00"),
    )
    assert Forloeb.objects.get(admission=admission).coordinator == coordinator
    assert not Admission.objects.visible_to(far_coordinator).filter(pk=admission.pk).exists()
    assert AccessLog.objects.filter(action=AccessAction.REVOKE, note__contains="fk.bo").count() == 1


def test_a_manager_cannot_be_named_coordinator_and_nothing_is_written(admission, visitator):
    manager = in_group(staff_user("leder", municipality=municipality("0219")), "Leder")
    with pytest.raises(ServiceError, match="aktiv medarbejder"):
        include(admission, manager, by=visitator)
    assert not Forloeb.objects.exists()
    assert not admission.events.filter(type="fk_included").exists()


def test_only_the_coordinator_sets_the_visit_and_ends_the_course(admission, visitator, coordinator):
    in_group(visitator, "Visitator")
    include(admission, coordinator, by=visitator)
    with pytest.raises(ServiceError, match="forløbskoordinatoren"):
        services.plan_home_visit(
            admission,
            due_on=cph("2026-02-10 00:00").date(),
            at=cph("2026-02-03 09:00"),
            actor=Actor.for_user(visitator),
            now=cph("2026-02-03 09:00"),
        )
    services.plan_home_visit(
        admission,
        due_on=cph("2026-02-10 00:00").date(),
        at=cph("2026-02-03 09:00"),
        actor=Actor.for_user(coordinator),
        now=cph("2026-02-03 09:00"),
    )
    visit = admission.obligations.get(rule="R-FK")
    # due the end of 10 February: 11 February 00:00 Copenhagen time, owned by the municipal coordinator
    assert (visit.owner, visit.due_at, visit.status) == ("municipality", cph("2026-02-11 00:00"), "open")
    assert Forloeb.objects.get(admission=admission).visit_due_on.isoformat() == "2026-02-10"


def test_the_admission_page_offers_inclusion_and_records_it(admission, visitator, coordinator):
    in_group(visitator, "Visitator")
    client = logged_in(visitator)
    page = client.get(f"/admissions/{admission.pk}/")
    assert "Inkludér i forløbskoordination" in page.content.decode()
    response = client.post(
        f"/admissions/{admission.pk}/forloeb/fk-include/",
        {
            "fk-include-criteria": ["abuse"],
            "fk-include-coordinator": coordinator.pk,
            "fk-include-at": "2026-02-02T16:00",
            "fk-include-expected_version": admission.version,
        },
    )
    assert response.status_code == 302
    assert Forloeb.objects.get(admission=admission).criteria == ["abuse"]
    page = client.get(f"/admissions/{admission.pk}/").content.decode()
    assert "Misbrug" in page and "fk.anna" in page


def test_an_inclusion_without_a_criterion_is_a_clear_error_on_the_page(admission, visitator, coordinator):
    in_group(visitator, "Visitator")
    response = logged_in(visitator).post(
        f"/admissions/{admission.pk}/forloeb/fk-include/",
        {
            "fk-include-coordinator": coordinator.pk,
            "fk-include-at": "2026-02-02T16:00",
            "fk-include-expected_version": admission.version,
        },
    )
    assert response.status_code == 200
    assert "has-error" in response.content.decode()
    assert not Forloeb.objects.exists()


def test_an_outsider_gets_404_for_the_course_actions(admission, outsider, coordinator):
    in_group(outsider, "Visitator")
    response = logged_in(outsider).post(
        f"/admissions/{admission.pk}/forloeb/fk-include/",
        {"fk-include-criteria": ["abuse"], "fk-include-coordinator": coordinator.pk},
    )
    assert response.status_code == 404
    assert not Forloeb.objects.exists()


def test_mine_forloeb_lists_the_coordinators_open_courses_and_logs_them(
    admission, visitator, far_coordinator
):
    include(admission, far_coordinator, by=visitator)
    response = logged_in(far_coordinator).get("/forloeb/")
    text = response.content.decode()
    assert "Karen Hansen" in text and f"/admissions/{admission.pk}/" in text
    assert AccessLog.objects.filter(user=far_coordinator, admission=admission, view="my_courses").exists()
    # someone else's list does not show it
    other = in_group(staff_user("fk.carl", municipality=municipality("0219")), "Forløbskoordinator")
    assert "Karen Hansen" not in logged_in(other).get("/forloeb/").content.decode()


def test_an_ended_course_leaves_the_list(admission, visitator, far_coordinator):
    include(admission, far_coordinator, by=visitator)
    services.end_course(
        admission,
        note="Borgeren døde",
        at=cph("2026-02-04 10:00"),
        actor=Actor.for_user(far_coordinator),
        now=cph("2026-02-04 10:00"),
    )
    assert "Karen Hansen" not in logged_in(far_coordinator).get("/forloeb/").content.decode()


# --- replay_timeline and load_timelines -------------------------------------------------------------------

FK_STEPS = [
    event(
        "2026-03-02T12:00:00+01:00",
        "fk_included",
        by="municipality",
        criteria=["abuse"],
        coordinator="fk.anna",
    ),
    event("2026-03-04T10:00:00+01:00", "left_ward"),
    event("2026-03-04T11:00:00+01:00", "fk_visit_planned", due_on="2026-03-06"),
    event("2026-03-05T10:00:00+01:00", "fk_visit_done"),
    event("2026-03-05T12:00:00+01:00", "epikrise_sent", on_time=True),
    event("2026-03-05T13:00:00+01:00", "fk_ended", note="Klarer sig hjemme"),
]


def test_replay_takes_the_new_events_with_a_stand_in_coordinator_and_leaves_nothing(monkeypatch):
    line = stay("2026-03-02T10:00:00+01:00", *FK_STEPS)
    line["now"] = "2026-03-07T10:00:00+01:00"
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(line)))
    out = io.StringIO()
    call_command("replay_timeline", "-", stdout=out)
    result = json.loads(out.getvalue())
    assert result["rejected"] == []
    visit = next(o for o in result["obligations"] if o["rule"] == "R-FK")
    assert visit == {
        "rule": "R-FK",
        "owner": "municipality",
        "due": "2026-03-07T00:00:00+01:00",
        "status": "met",
        "met_at": "2026-03-05T10:00:00+01:00",
    }
    assert not Forloeb.objects.exists()
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="fk.anna").exists()


def test_load_timelines_records_the_course_for_a_known_coordinator(coordinator):
    line = stay("2026-03-02T10:00:00+01:00", *FK_STEPS)
    _load(line)
    course = Forloeb.objects.get()
    assert course.coordinator == coordinator and course.ended_at == cph("2026-03-05 13:00")
    assert course.quality()["epikrise"] is True
    assert Admission.objects.visible_to(coordinator).filter(pk=course.admission_id).exists()


def test_load_timelines_refuses_an_unknown_coordinator_with_one_line():
    line = timeline([*stay("2026-03-02T10:00:00+01:00")["events"], FK_STEPS[0]])
    out, err, code = _load(line, ok=False)
    assert code == 1
    assert "Ukendt bruger som forløbskoordinator: fk.anna" in err
    assert not Admission.objects.exists()


def _load(line, ok=True):
    out, err = io.StringIO(), io.StringIO()
    import sys

    old, sys.stdin = sys.stdin, io.StringIO(json.dumps(line))
    code = 0
    try:
        call_command("load_timelines", "-", stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    finally:
        sys.stdin = old
    if ok:
        assert code == 0, err.getvalue()
    return out.getvalue(), err.getvalue(), code


def _left(admission, at="2026-02-05 11:00"):
    services.record_departure(admission, at=cph(at), actor=Actor.system(), now=cph(at))
    admission.refresh_from_db()


def test_the_coordinator_records_the_visit_after_discharge_and_ends_with_a_note_on_the_page(
    admission, visitator, far_coordinator, time_machine
):
    include(admission, far_coordinator, by=visitator)
    _left(admission)
    time_machine.move_to(cph("2026-02-07 12:00"), tick=False)
    client = logged_in(far_coordinator)
    page = client.get(f"/admissions/{admission.pk}/").content.decode()
    assert "Opfølgende hjemmebesøg gennemført" in page and "Afslut forløbskoordinationen" in page
    admission.refresh_from_db()
    visit = {"fk-visit-at": "2026-02-07T10:00", "fk-visit-expected_version": admission.version}
    assert client.post(f"/admissions/{admission.pk}/forloeb/fk-visit/", visit).status_code == 302
    assert Forloeb.objects.get(admission=admission).visit_done_at == cph("2026-02-07 10:00")
    admission.refresh_from_db()
    end = {"fk-end-at": "2026-02-07T11:00", "fk-end-expected_version": admission.version}
    refused = client.post(f"/admissions/{admission.pk}/forloeb/fk-end/", end)
    assert refused.status_code == 200 and Forloeb.objects.get(admission=admission).ended_at is None
    end["fk-end-note"] = "Klarer sig hjemme med hjemmepleje"
    assert client.post(f"/admissions/{admission.pk}/forloeb/fk-end/", end).status_code == 302
    assert Forloeb.objects.get(admission=admission).ended_at == cph("2026-02-07 11:00")


def test_the_hospital_records_the_epikrise_and_the_municipality_cannot(
    admission, nurse, visitator, time_machine
):
    _left(admission)
    time_machine.move_to(cph("2026-02-06 12:00"), tick=False)
    admission.refresh_from_db()
    form = {"fk-epikrise-at": "2026-02-05T15:00", "fk-epikrise-on_time": "on"}
    form["fk-epikrise-expected_version"] = admission.version
    refused = logged_in(visitator).post(f"/admissions/{admission.pk}/forloeb/fk-epikrise/", form)
    assert "Det er den anden part, der registrerer dette." in refused.content.decode()
    assert not admission.events.filter(type="epikrise_sent").exists()
    assert logged_in(nurse).post(f"/admissions/{admission.pk}/forloeb/fk-epikrise/", form).status_code == 302
    assert admission.events.get(type="epikrise_sent").data == {"on_time": True}
