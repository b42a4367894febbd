"""The admission page reads a fixed number of queries, whatever the number of events, action forms and
grants (issue 15): each list is one query, never one per row or per form."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordination import services
from tests.conftest import cph
from tests.factories import UserFactory

# 1 session, 2 user, 3 staff member, 4 the admission, 5 its events, 6 obligations, 7 periods, 8 fee tariffs,
# 9 the user's unread marks, 10 an unread inbox item of it?, 11 the USR form's newest PFP, 12 the USR draft,
# 13 the events the USR form starts from, 14 users granted, 15 groups granted, 16 the MedCom sources,
# 17 "seen" update, 18-19 the user's permissions (own and by group), 20 ward, 21 hospital, 22 the inbox
# count, 23 municipality, 24 the forløb, 25 the coordinators one may name, 26 the access-log row.
ADMISSION_PAGE_QUERIES = 26


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
