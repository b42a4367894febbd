"""Find and follow (issue 14): a discharged citizen stays on the board of the side that still owes a duty,
the recently discharged list, the search by name, CPR or admission date, the inbox that leads to the
admission and is cleared by reading there, the waiting list's links and the overdue counts by owner."""

from datetime import timedelta

import pytest
import time_machine
from django.test import TestCase

from coordination import reminders, services
from coordination.models import AccessLog, Notification, Obligation
from tests.conftest import cph
from tests.factories import CitizenFactory, logged_in, municipality

LEFT = cph("2026-02-05 10:00")
REGISTERED = cph("2026-02-05 10:05")


def discharge(admission, actor):
    services.record_departure(admission, at=LEFT, actor=actor, now=LEFT)
    services.register_discharge(admission, at=REGISTERED, actor=actor, now=REGISTERED)
    admission.refresh_from_db()
    return admission


@pytest.fixture
def discharged(admission, hospital_actor):
    return discharge(admission, hospital_actor)


@pytest.mark.django_db
def test_a_discharged_citizen_stays_on_the_visitators_board_while_the_municipality_owes_a_duty(
    discharged, visitator
):
    assert Obligation.objects.filter(admission=discharged, owner="municipality", status="open").exists()
    with time_machine.travel(REGISTERED + timedelta(hours=1), tick=False):
        page = logged_in(visitator).get("/").content.decode()
    assert "Karen Hansen" in page
    assert "Udskrevet" in page


@pytest.mark.django_db
def test_a_discharged_citizen_leaves_the_board_of_a_side_that_owes_nothing(discharged, nurse, hospital_actor):
    from tests.printout_data import USR_CONTENT

    sent = REGISTERED + timedelta(minutes=5)  # the USR, the hospital's last open duty here
    services.send_message(discharged, "USR", at=sent, actor=hospital_actor, now=sent, content=USR_CONTENT)
    assert not Obligation.objects.filter(admission=discharged, owner="hospital", status="open").exists()
    with time_machine.travel(REGISTERED + timedelta(hours=1), tick=False):
        page = logged_in(nurse).get("/").content.decode()
    assert "Karen Hansen" not in page


@pytest.mark.django_db
def test_the_board_keeps_the_discharged_citizen_for_the_nurse_while_the_usr_is_owed(discharged, nurse):
    assert Obligation.objects.filter(admission=discharged, rule="R-USR", status="open").exists()
    with time_machine.travel(REGISTERED + timedelta(hours=1), tick=False):
        assert "Karen Hansen" in logged_in(nurse).get("/").content.decode()


@pytest.mark.django_db
def test_recently_discharged_lists_the_citizen_for_fourteen_days_and_logs_it(discharged, visitator):
    client = logged_in(visitator)
    with time_machine.travel(LEFT + timedelta(days=13), tick=False):
        page = client.get("/udskrevne/").content.decode()
    assert "Karen Hansen" in page and f'href="/admissions/{discharged.pk}/"' in page
    assert AccessLog.objects.filter(user=visitator, admission=discharged, view="recently_discharged").exists()
    with time_machine.travel(LEFT + timedelta(days=15), tick=False):
        assert "Karen Hansen" not in client.get("/udskrevne/").content.decode()


@pytest.mark.django_db
def test_the_navigation_leads_to_search_recently_discharged_and_the_waiting_list(admission, nurse):
    page = logged_in(nurse).get("/").content.decode()
    for href in ('href="/soeg/"', 'href="/udskrevne/"', 'href="/faerdigbehandlede/"'):
        assert href in page


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Karen", "hansen", "{cpr}", "{dashed}", "02-02-2026", "2.2.2026"])
def test_search_finds_a_discharged_admission_by_name_cpr_or_admission_date(discharged, visitator, query):
    cpr = discharged.citizen.cpr
    q = query.format(cpr=cpr, dashed=f"{cpr[:6]}-{cpr[6:]}")
    with time_machine.travel(LEFT + timedelta(days=400), tick=False):
        page = logged_in(visitator).get("/soeg/", {"q": q}).content.decode()
    assert f'href="/admissions/{discharged.pk}/"' in page
    assert AccessLog.objects.filter(user=visitator, admission=discharged, view="search").exists()


@pytest.mark.django_db
def test_search_does_not_find_by_another_date(discharged, visitator):
    page = logged_in(visitator).get("/soeg/", {"q": "03-02-2026"}).content.decode()
    assert "Karen Hansen" not in page
    assert "Ingen indlæggelser fundet" in page


@pytest.mark.django_db
def test_a_search_too_short_says_what_to_type(admission, visitator):
    page = logged_in(visitator).get("/soeg/", {"q": "K"}).content.decode()
    assert "Skriv mindst to bogstaver" in page


@pytest.mark.django_db
def test_an_outsider_finds_nothing_and_sees_no_one_recently_discharged(discharged, outsider):
    client = logged_in(outsider)
    cpr = discharged.citizen.cpr
    for q in ("Karen", cpr, f"{cpr[:6]}-{cpr[6:]}", "02-02-2026"):
        assert "Karen Hansen" not in client.get("/soeg/", {"q": q}).content.decode()
    with time_machine.travel(LEFT + timedelta(days=1), tick=False):
        assert "Karen Hansen" not in client.get("/udskrevne/").content.decode()
    assert not AccessLog.objects.filter(user=outsider).exists()


@pytest.mark.django_db
def test_an_inbox_item_links_to_its_admission_at_the_message(admission, hospital_actor, visitator):
    at = cph("2026-02-03 09:00")
    with TestCase.captureOnCommitCallbacks(execute=True):
        event = services.send_pfp(
            admission,
            at=at,
            actor=hospital_actor,
            now=at,
            faerdigbehandlet_date=at.date(),
            date_certain=True,
            coordination_needed=False,
        )
    reminders.process_event_notices()
    page = logged_in(visitator).get("/indbakke/").content.decode()
    assert f'href="/admissions/{admission.pk}/#event-{event.sequence}"' in page


@pytest.mark.django_db
def test_one_inbox_item_per_message_and_recipient(admission, hospital_actor, visitator):
    at = cph("2026-02-03 09:00")
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.send_pfp(
            admission,
            at=at,
            actor=hospital_actor,
            now=at,
            faerdigbehandlet_date=at.date(),
            date_certain=True,
            coordination_needed=False,
        )
    reminders.process_event_notices()
    reminders.process_event_notices()
    items = Notification.objects.filter(user=visitator, kind="message")
    assert [i.params["code"] for i in items if i.params["code"] == "PFP"] == ["PFP"]


@pytest.mark.django_db
def test_reading_the_admission_clears_the_readers_inbox_items_of_its_messages(
    admission, hospital_actor, visitator, nurse
):
    at = cph("2026-02-03 09:00")
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.send_pfp(
            admission,
            at=at,
            actor=hospital_actor,
            now=at,
            faerdigbehandlet_date=at.date(),
            date_certain=True,
            coordination_needed=False,
        )
    reminders.process_event_notices()
    client = logged_in(visitator)
    assert (
        f'hx-post="/admissions/{admission.pk}/read/"'
        in client.get(f"/admissions/{admission.pk}/").content.decode()
    )
    client.post(f"/admissions/{admission.pk}/read/", headers={"HX-Request": "true"})
    assert not Notification.objects.filter(user=visitator, kind="message", read_at__isnull=True).exists()


@pytest.mark.django_db
def test_the_waiting_lists_names_link_to_the_admission(admission, hospital_actor, visitator):
    at = cph("2026-02-04 08:00")
    services.register_faerdigbehandlet(
        admission, at=at, faerdigbehandlet_on=at.date(), actor=hospital_actor, now=at
    )
    page = logged_in(visitator).get("/faerdigbehandlede/").content.decode()
    assert f'href="/admissions/{admission.pk}/"' in page


@pytest.mark.django_db
def test_the_overdue_counts_open_lists_filtered_by_owner(admission, nurse):
    client = logged_in(nurse)
    with time_machine.travel(cph("2026-02-03 12:00"), tick=False):
        board = client.get("/").content.decode()
        assert 'href="?overdue=on&amp;owner=hospital"' in board
        assert 'href="?overdue=on&amp;owner=municipality"' in board
        # The MILR (R-MILR) is the municipality's and overdue; the hospital owes nothing overdue yet.
        assert "Karen Hansen" in client.get("/", {"overdue": "on", "owner": "municipality"}).content.decode()
        assert "Karen Hansen" not in client.get("/", {"overdue": "on", "owner": "hospital"}).content.decode()


@pytest.mark.django_db
def test_an_admission_registered_after_the_visit_is_new_even_if_admitted_before_it(
    ward, visitator, hospital_actor
):
    """Newness counts from when the admission reached the board (its record time), not the admission time:
    admitted at 08:30, registered at 11:00, seen by a visitator whose shift began at 10:00."""
    client = logged_in(visitator)
    with time_machine.travel(cph("2026-02-02 06:00"), tick=False):
        client.get("/")
    with time_machine.travel(cph("2026-02-02 10:00"), tick=False):
        client.get("/")  # a new shift: "new since" counts from the 06:00 visit
    services.admit_and_advise(
        cpr=CitizenFactory.build().cpr,
        name="Nyt Navn",
        municipality=municipality("0219"),
        ward=ward,
        at=cph("2026-02-02 05:30"),
        expected_stay="over_48h",
        actor=hospital_actor,
        now=cph("2026-02-02 11:00"),
    )
    with time_machine.travel(cph("2026-02-02 11:05"), tick=False):
        body = client.get("/").content.decode()
    assert '<span class="mark">Ny</span>' in body
    assert "Ændret" not in body
