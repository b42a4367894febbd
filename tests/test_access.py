"""Who may see what (Sundhedsloven §§ 40-42): the admitting ward and hospital, the municipality of residence,
and explicit grants; a move moves the access; every look-up is logged, in one insert per request."""

import logging

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from coordination import services
from coordination.access import admission_or_404, flush_access_log
from coordination.logging import MaskCprFilter
from coordination.models import AccessLog, Admission
from coordination.services import ServiceError
from tests.conftest import cph
from tests.factories import CitizenFactory, WardFactory, municipality, region, staff_user


def sees(user, admission) -> bool:
    return Admission.objects.visible_to(user).filter(pk=admission.pk).exists()


def test_the_parties_of_the_course_see_it_and_a_stranger_does_not(admission, nurse, visitator, outsider):
    coordinator = staff_user("koordinator", hospital=admission.ward.hospital)
    other_ward_nurse = staff_user("anden-afdeling", ward=WardFactory(hospital=admission.ward.hospital))
    manager = staff_user("leder", region=region("hovedstaden"))
    assert sees(nurse, admission) and sees(visitator, admission) and sees(coordinator, admission)
    assert not sees(outsider, admission)
    assert not sees(other_ward_nurse, admission)
    assert not sees(manager, admission)  # managers steer by figures, not citizens


def test_an_inactive_user_sees_nothing(admission, nurse):
    nurse.is_active = False
    nurse.save()
    assert not sees(nurse, admission)


def test_a_forloebskoordinator_granted_the_course_sees_it_until_revoked(admission, nurse, outsider):
    services.grant_access(admission, to=outsider, by=nurse, note="forløbskoordinator")
    assert sees(outsider, admission)
    assert services.granted_to(admission)["users"] == [outsider]
    services.revoke_access(admission, to=outsider, by=nurse)
    assert not sees(outsider, admission)
    log = AccessLog.objects.filter(citizen=admission.citizen).order_by("pk")
    assert list(log.values_list("action", "user__username")) == [
        ("grant", "sygeplejerske"),
        ("revoke", "sygeplejerske"),
    ]


def test_a_group_can_be_granted_the_course(admission, nurse, outsider):
    team = Group.objects.create(name="Konsulenter")
    outsider.groups.add(team)
    services.grant_access(admission, to=team, by=nurse)
    assert sees(outsider, admission)


def test_a_stranger_cannot_grant_themselves_access(admission, outsider):
    with pytest.raises(ServiceError):
        services.grant_access(admission, to=outsider, by=outsider)
    assert not sees(outsider, admission)


def test_a_move_to_another_ward_moves_the_access(admission, nurse, hospital_actor):
    new_ward = WardFactory(name="Geriatrisk afdeling", hospital=admission.ward.hospital)
    new_nurse = staff_user("ny-afdeling", ward=new_ward)
    services.transfer_admission(
        admission,
        at=cph("2026-02-03 09:00"),
        ward=new_ward,
        actor=hospital_actor,
        now=cph("2026-02-03 09:00"),
    )
    assert sees(new_nurse, admission) and not sees(nurse, admission)
    assert admission.events.filter(type="transferred").count() == 1


def test_a_change_of_municipality_moves_the_access(admission, visitator, outsider, hospital_actor):
    # The outsider is København's visitator; the citizen moves from Hillerød to København.
    services.transfer_admission(
        admission,
        at=cph("2026-02-03 09:00"),
        municipality=municipality("0101"),
        actor=hospital_actor,
        now=cph("2026-02-03 09:00"),
    )
    assert sees(outsider, admission) and not sees(visitator, admission)


def test_a_move_to_another_region_is_refused(admission, hospital_actor):
    elsewhere = WardFactory(
        hospital__name="Aarhus Universitetshospital", hospital__region=region("midtjylland")
    )
    with pytest.raises(ServiceError) as refused:
        services.transfer_admission(
            admission,
            at=cph("2026-02-03 09:00"),
            ward=elsewhere,
            actor=hospital_actor,
            now=cph("2026-02-03 09:00"),
        )
    assert "anden region" in refused.value.message
    assert admission.events.filter(type="transferred").count() == 0


def test_the_access_helper_gives_404_to_a_stranger_and_logs_nothing(admission, outsider):
    request = RequestFactory().get(f"/admissions/{admission.pk}/")
    request.user = outsider
    with pytest.raises(Http404):
        admission_or_404(request, admission.pk)
    flush_access_log(request)
    assert not AccessLog.objects.exists()


def test_the_board_logs_one_row_per_citizen_in_one_insert(admission, ward, hospital_actor, client, nurse):
    for name in ("Jens Jensen", "Ole Olsen"):
        services.admit_citizen(
            CitizenFactory(name=name),
            ward,
            at=cph("2026-02-03 10:00"),
            expected_stay="over_48h",
            actor=hospital_actor,
            now=cph("2026-02-03 10:00"),
        )
    client.force_login(nurse)
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    inserts = [
        q["sql"] for q in queries.captured_queries if 'INSERT INTO "coordination_accesslog"' in q["sql"]
    ]
    assert len(inserts) == 1
    rows = AccessLog.objects.filter(user=nurse)
    assert rows.count() == 3
    assert set(rows.values_list("action", "path", "view")) == {("view", "/", "board")}


def test_cpr_numbers_are_masked_in_log_records():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "opslag på %s og 250947-9989", ("0101451234",), None
    )
    assert MaskCprFilter().filter(record)
    assert record.getMessage() == "opslag på 010145-•••• og 250947-••••"


def test_the_configured_log_handler_masks_cpr(settings):
    assert "mask_cpr" in settings.LOGGING["handlers"]["console"]["filters"]


def test_roles_are_groups_and_managers_get_figures_not_citizens(db):
    visitator = Group.objects.get(name="Visitator")
    manager = Group.objects.get(name="Leder")
    assert visitator.permissions.filter(codename="view_admission").exists()
    assert list(manager.permissions.values_list("codename", flat=True)) == ["view_reports"]


def test_an_administrator_searches_the_access_log_by_cpr_and_exports_csv(admission, nurse, client):
    services.grant_access(admission, to=nurse, by=nurse, note="test")
    other = CitizenFactory(name="Anden Borger")
    admin_user = staff_user("admin", region=region("hovedstaden"))
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    page = client.get("/admin/coordination/accesslog/", {"q": admission.citizen.cpr}).content.decode()
    assert "Karen Hansen" in page and "Anden Borger" not in page
    ids = [str(pk) for pk in AccessLog.objects.values_list("pk", flat=True)]
    export = client.post(
        "/admin/coordination/accesslog/", {"action": "export_access_log_csv", "_selected_action": ids}
    )
    assert export["Content-Type"].startswith("text/csv")
    lines = export.content.decode().splitlines()
    assert lines[0].startswith("tidspunkt,bruger,cpr,borger,handling")
    assert f"sygeplejerske,{admission.citizen.cpr},Karen Hansen,grant" in lines[1]
    assert other.cpr not in export.content.decode()


def test_an_administrator_outside_the_course_sees_no_citizens_in_the_admin(admission, client):
    admin_user = staff_user("admin", region=region("hovedstaden"))
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    page = client.get("/admin/coordination/citizen/").content.decode()
    assert "Karen Hansen" not in page
    assert client.get(f"/admin/coordination/citizen/{admission.citizen.pk}/change/").status_code == 302


def test_revealing_the_full_cpr_is_a_logged_action(admission, nurse, outsider, client):
    client.force_login(nurse)
    response = client.post(f"/admissions/{admission.pk}/cpr/")
    cpr = admission.citizen.cpr
    assert f"{cpr[:6]}-{cpr[6:]}" in response.content.decode()
    assert AccessLog.objects.filter(user=nurse, action="reveal_cpr", citizen=admission.citizen).count() == 1
    client.force_login(outsider)
    assert client.post(f"/admissions/{admission.pk}/cpr/").status_code == 404
    assert client.get(f"/admissions/{admission.pk}/cpr/").status_code == 405
