"""The admission page reads a fixed number of queries, whatever the number of events, action forms and
grants (issue 15): each list is one query, never one per row or per form."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordination import services
from tests.conftest import cph
from tests.factories import UserFactory

# 1 session, 2 user with staff member and organisation (coordination.auth), 3 the admission, 4 its events,
# 5 obligations, 6 periods, 7 fee tariffs, 8 the user's unread marks, 9 an unread inbox item of it?, 10 the
# USR form's newest PFP, 11 the USR draft, 12 the events the USR form starts from, 13 users granted, 14
# groups granted, 15 the MedCom sources, 16 "seen" update, 17 the user's permissions (own and by group in
# one), 18 the inbox count, 19 municipality, 20 the forløb, 21 the coordinators one may name, 22 the
# access-log row (one INSERT, no transaction of its own), and 23-24 the admissions granted to the user (a
# list; read again after 16 moved the user's board generation).
ADMISSION_PAGE_QUERIES = 24


def page_queries(client, admission) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admission", args=[admission.pk]))
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_the_admission_page_reads_the_same_queries_with_many_events_and_grants(
    admission, nurse, client, hospital_actor, municipality_actor
):
    client.force_login(nurse)
    client.get(reverse("admission", args=[admission.pk]))  # the first look records "seen" with an insert
    few = page_queries(client, admission)
    for hour in range(10, 16):
        t = cph(f"2026-02-03 {hour}:00")
        if hour % 2:
            services.send_message(
                admission,
                "PFP",
                at=t,
                actor=hospital_actor,
                now=t,
                faerdigbehandlet_date=cph("2026-02-06 00:00").date(),
                date_certain=True,
                coordination_needed=False,
            )
        else:
            services.send_km(
                admission,
                at=t,
                sender="municipality",
                subject="andet",
                text="Ring",
                actor=municipality_actor,
                now=t,
            )
    for _ in range(3):
        services.grant_access(admission, to=UserFactory(), by=nurse, note="Vikar")
    many = page_queries(client, admission)
    assert len(few) == len(many) == ADMISSION_PAGE_QUERIES
