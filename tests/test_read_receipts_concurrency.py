"""R-READ under load: three people of the receiving side opening the admission at the same instant record
each read once (issue 11: the unread codes were computed before the admission was locked)."""

import threading

import pytest
from django.db import connection

from coordination import services
from coordination.models import Event
from tests.conftest import cph
from tests.factories import logged_in, municipality, staff_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_simultaneous_opens_by_two_visitators_write_each_read_once(admission):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (CI runs on it)")
    services.send_message(
        admission,
        "PFP",
        at=cph("2026-02-02 15:00"),
        actor=services.Actor(side="hospital", organisation="afsnit"),
        now=cph("2026-02-02 15:00"),
        faerdigbehandlet_date="2026-02-06",
        date_certain=True,
        coordination_needed=False,
    )
    admission.refresh_from_db()
    assert set(admission.unread_codes("municipality")) == {"ADVIS-IND", "PFP"}
    people = [staff_user(f"visitator{i}", municipality=municipality("0219")) for i in (1, 2)]
    clients = [logged_in(person) for person in (people[0], people[1], people[0])]
    start = threading.Barrier(len(clients))
    statuses = []

    def open_page(client):
        try:
            start.wait()
            statuses.append(client.post(f"/admissions/{admission.pk}/read/").status_code)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=open_page, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reads = Event.objects.filter(admission=admission, type="message_read")
    assert sorted(reads.values_list("data__code", flat=True)) == ["ADVIS-IND", "PFP"]
    assert all(status in (204, 302) for status in statuses), statuses
