"""Issue 11 "Every read and export logged, and the log kept": the admin's citizen pages and the access-log
export are logged; the access log is append-only like the timeline; no health-data page is kept in the
browser's cache."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from coordination import services
from coordination.models import AccessLog
from tests.factories import logged_in, region, staff_user


@pytest.fixture
def administrator(admission, ward):
    """An administrator who works on the admitting ward (so the admin shows the citizen)."""
    user = staff_user("admin", ward=ward)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def rows_of(user, **filters):
    return list(AccessLog.objects.filter(user=user, **filters).values_list("action", "citizen_id"))


def test_the_admins_citizen_page_with_the_full_cpr_is_logged(admission, administrator):
    client = logged_in(administrator)
    page = client.get(f"/admin/coordination/citizen/{admission.citizen.pk}/change/")
    assert page.status_code == 200 and admission.citizen.cpr in page.content.decode()
    assert rows_of(administrator) == [("view", admission.citizen_id)]


def test_the_admins_citizen_list_and_search_are_logged(admission, administrator):
    client = logged_in(administrator)
    page = client.get("/admin/coordination/citizen/", {"q": admission.citizen.cpr}).content.decode()
    assert "Karen Hansen" in page
    assert rows_of(administrator) == [("view", admission.citizen_id)]


def test_the_access_log_export_is_logged_as_an_export(admission, nurse, administrator):
    services.grant_access(admission, to=nurse, by=nurse, note="test")
    client = logged_in(administrator)
    ids = [str(pk) for pk in AccessLog.objects.values_list("pk", flat=True)]
    export = client.post(
        "/admin/coordination/accesslog/", {"action": "export_access_log_csv", "_selected_action": ids}
    )
    assert admission.citizen.cpr in export.content.decode()
    exports = AccessLog.objects.filter(user=administrator, action="export")
    # One row for the citizen in the file, one for the export itself.
    assert sorted(exports.values_list("citizen_id", flat=True), key=str) == sorted(
        [admission.citizen_id, None], key=str
    )
    assert exports.get(citizen=None).note == "opslagslog som CSV: 1 borgere"


def test_access_log_rows_cannot_be_changed_or_deleted_through_the_orm(admission, nurse):
    logged_in(nurse).get(f"/admissions/{admission.pk}/")
    row = AccessLog.objects.get(user=nurse)
    row.note = "rettet"
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        row.delete()
    with pytest.raises(TypeError):
        AccessLog.objects.filter(pk=row.pk).update(note="rettet")
    with pytest.raises(TypeError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get(pk=row.pk).note == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger is PostgreSQL's")
def test_the_database_refuses_to_change_or_delete_access_log_rows(admission, nurse):
    logged_in(nurse).get(f"/admissions/{admission.pk}/")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE coordination_accesslog SET note = 'rettet'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM coordination_accesslog")
    with pytest.raises(DatabaseError), transaction.atomic():
        # The ORM's own bulk delete, under the model's guard, is refused by the database too.
        from django.db.models.query import QuerySet

        QuerySet(AccessLog).filter(user=nurse).delete()
    assert AccessLog.objects.filter(user=nurse).count() == 1


def test_a_citizen_or_user_the_log_names_cannot_be_deleted(admission, nurse):
    # The log's references carry no database constraint (0030: 60 % of writing a board's rows, issue 15);
    # Django's PROTECT still keeps what the log names.
    logged_in(nurse).get(f"/admissions/{admission.pk}/")
    with pytest.raises(ProtectedError), transaction.atomic():
        nurse.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        admission.delete()
    assert AccessLog.objects.filter(user=nurse, admission=admission, citizen=admission.citizen).exists()


# --- Cache-Control: no-store ------------------------------------------------------------------------------


def health_data_urls(admission):
    pk = admission.pk
    return [
        "/",
        "/?q=Karen",
        f"/admissions/{pk}/",
        "/indbakke/",
        "/indbakke/antal/",
        "/faerdigbehandlede/",
    ]


def test_no_health_data_page_or_fragment_is_kept_in_the_browsers_cache(admission, nurse, visitator):
    client = logged_in(nurse)
    for url in health_data_urls(admission):
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            assert response.status_code in (200, 204), url
            assert "no-store" in response["Cache-Control"], (url, headers)
    cpr_fragment = client.post(f"/admissions/{admission.pk}/cpr/", headers={"HX-Request": "true"})
    assert cpr_fragment.status_code == 200 and "no-store" in cpr_fragment["Cache-Control"]
    waiting = logged_in(visitator).get("/faerdigbehandlede/")
    assert waiting.status_code == 200 and "no-store" in waiting["Cache-Control"]


def test_a_manager_figures_page_is_not_cached_either(db):
    manager = staff_user("leder", region=region("hovedstaden"))
    response = logged_in(manager).get("/tal/")
    assert "no-store" in response["Cache-Control"]


# --- Downtime-board files -----------------------------------------------------------------------------------


def test_each_downtime_board_file_is_in_the_access_log_with_its_citizens(settings, tmp_path, admission):
    from coordination.tasks import write_downtime_boards

    settings.DOWNTIME_BOARD_DIR = str(tmp_path / "nedbrud")
    assert write_downtime_boards("2026-02-05T07:05:00+01:00") == 2
    rows = AccessLog.objects.filter(action="file")
    # The ward's board and the municipality's, each holding the one citizen.
    assert sorted(rows.values_list("note", flat=True)) == [
        f"nødudskrift nedbrud-afsnit-{admission.ward_id}-20260205-07.pdf",
        "nødudskrift nedbrud-kommune-0219-20260205-07.pdf",
    ]
    assert set(rows.values_list("user_id", "citizen_id", "admission_id")) == {
        (None, admission.citizen_id, admission.pk)
    }
    assert write_downtime_boards("2026-02-05T07:20:00+01:00") == 0
    assert rows.count() == 2  # a file not written again is not logged again
