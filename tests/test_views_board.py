"""The board at /: behind login, only the admissions the user takes part in, with filters in the URL, counts,
states, a constant number of queries, cheap polling and shift handover marks."""

import math
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from coordination import board_live, services
from coordination.models import (
    AccessLog,
    Admission,
    BoardVisit,
    Citizen,
    Event,
    FaerdigbehandlingPeriod,
    Obligation,
    Side,
)
from coordination.rules import FB_CHECKLIST
from tests.conftest import cph
from tests.factories import CitizenFactory, logged_in, municipality

HTMX = {"HX-Request": "true"}


@pytest.mark.django_db
def test_a_person_who_is_not_logged_in_is_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/")


@pytest.mark.django_db
def test_an_htmx_request_without_login_is_told_to_redirect_the_page(client):
    response = client.get("/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith("/login/")


@pytest.mark.django_db
def test_login_page_is_danish_and_has_djangos_fields(client):
    body = client.get("/login/").content.decode()
    assert 'name="username"' in body and 'name="password"' in body
    assert "Log ind" in body and 'lang="da"' in body


def test_nurse_sees_her_wards_admission_with_the_masked_cpr(admission, nurse):
    body = logged_in(nurse).get("/").content.decode()
    cpr = admission.citizen.cpr
    assert "Karen Hansen" in body
    assert f"{cpr[:6]}-••••" in body and cpr not in body
    # the next open duty with its owner in words, not colour alone
    assert "R-MILR" in body and "Kommune" in body


def test_visitator_of_the_citizens_municipality_sees_the_admission(admission, visitator):
    assert "Karen Hansen" in logged_in(visitator).get("/").content.decode()


def test_visitator_cannot_see_other_municipalitys_citizen(admission, outsider):
    body = logged_in(outsider).get("/").content.decode()
    assert "Karen Hansen" not in body
    assert admission.citizen.cpr[:6] not in body


def test_every_row_links_to_its_admission_page_and_the_poll_keeps_the_filters(admission, nurse):
    body = logged_in(nurse).get("/?q=Karen&sort=admitted").content.decode()
    assert f'href="/admissions/{admission.pk}/"' in body
    assert 'hx-get="/?q=Karen&amp;sort=admitted&amp;v=' in body and 'hx-trigger="every 30s"' in body


# --- States -------------------------------------------------------------------------------------------


def _course_to_waiting(admission, hospital_actor, municipality_actor):
    """MILR, a certain PFP acknowledged, a phone agreement, færdigbehandlet waiting for a plejebolig."""
    at = cph("2026-02-03 09:00")
    services.send_message(admission, "MILR", at=at, actor=municipality_actor, now=at)
    services.send_pfp(
        admission,
        at=at + timedelta(hours=1),
        faerdigbehandlet_date=cph("2026-02-05 00:00").date(),
        date_certain=True,
        coordination_needed=False,
        actor=hospital_actor,
        now=at + timedelta(hours=1),
    )
    services.send_km(
        admission,
        at=at + timedelta(hours=2),
        sender="municipality",
        subject="plejeforløbsplan OK ",
        actor=municipality_actor,
        now=at + timedelta(hours=2),
    )
    services.record_phone_agreement(
        admission,
        at=at + timedelta(hours=3),
        discharge_at=cph("2026-02-06 11:00"),
        actor=hospital_actor,
        now=at + timedelta(hours=3),
    )
    fb_at = cph("2026-02-05 10:00")
    services.register_faerdigbehandlet(
        admission,
        at=fb_at,
        faerdigbehandlet_on=fb_at.date(),
        waiting_for=["plejebolig"],
        actor=hospital_actor,
        now=fb_at,
    )


def test_the_row_shows_pfp_acknowledged_mof_waiting_with_reasons_and_the_four_dates(
    admission, nurse, hospital_actor, municipality_actor
):
    _course_to_waiting(admission, hospital_actor, municipality_actor)
    with time_machine.travel(cph("2026-02-07 12:00"), tick=False):
        body = logged_in(nurse).get("/").content.decode()
    assert "sendt v1 3. feb. 10:00" in body and "kvitteret" in body
    assert "færdigbehandlet siden 5. feb. 2026, 2 dage" in body and "venter på: plejebolig" in body
    assert "5. feb. 2026 (sikker)" in body and "6. feb. 2026 11:00" in body


def test_a_pfp_due_and_a_missing_milr_show_as_due_with_owner_and_countdown(admission, nurse, hospital_actor):
    assert "ikke påkrævet" in logged_in(nurse).get("/").content.decode()  # no date known yet: no PFP duty
    at = cph("2026-02-02 15:00")
    services.plan_discharge(
        admission,
        at=at,
        discharge_at=cph("2026-02-05 11:00"),
        needs_changed=True,
        practical_help_only=False,
        municipal_nursing=True,
        destination="own_home",
        actor=hospital_actor,
        now=at,
    )
    with time_machine.travel(cph("2026-02-02 20:21"), tick=False):
        body = logged_in(nurse).get("/").content.decode()
    assert "skal sendes senest 4. feb. 13:00" in body  # R-PFP-DATE: 13:00 the day before
    assert "om 2 t 0 min" in body  # the MILR is due 22:21
    with time_machine.travel(cph("2026-02-03 01:00"), tick=False):
        body = logged_in(nurse).get("/").content.decode()
    assert "overskredet med 2 t 39 min" in body


def test_unread_messages_are_flagged_for_the_receiving_side_only(admission, nurse, visitator):
    assert "Ulæste beskeder: ADVIS-IND" in logged_in(visitator).get("/").content.decode()
    assert "Ulæste beskeder" not in logged_in(nurse).get("/").content.decode()


# --- Filters and counts ---------------------------------------------------------------------------------


@pytest.fixture
def two_admissions(admission, other_ward, hospital_actor):
    """Karen on the nurse's ward (MILR overdue from 22:21) and Poul on another ward in Hillerød."""
    poul = CitizenFactory(name="Poul Jensen", municipality=municipality("0219"))
    at = cph("2026-02-03 08:00")
    actor = services.Actor(side="hospital", organisation=str(other_ward))
    other = services.admit_citizen(poul, other_ward, at=at, expected_stay="under_48h", actor=actor, now=at)
    services.plan_discharge(
        other,
        at=at,
        discharge_at=cph("2026-02-03 15:00"),
        needs_changed=False,
        practical_help_only=True,
        municipal_nursing=False,
        destination="own_home",
        actor=actor,
        now=at,
    )
    return admission, other


@pytest.mark.parametrize(
    ("query", "karen", "poul"),
    [
        ("", True, True),
        ("overdue=on", True, False),
        ("discharge=today", False, True),
        ("discharge=tomorrow", False, False),
        ("q=poul", False, True),
        ("waiting=on", False, False),
        ("scope=mine", True, True),  # the visitator's own municipality: both live in Hillerød
    ],
)
def test_the_filters_in_the_url_choose_the_rows(two_admissions, visitator, query, karen, poul):
    with time_machine.travel(cph("2026-02-03 09:00"), tick=False):
        body = logged_in(visitator).get(f"/?{query}").content.decode()
    assert ("Karen Hansen" in body) is karen
    assert ("Poul Jensen" in body) is poul


def test_search_by_cpr_finds_the_citizen_without_showing_the_full_number(two_admissions, visitator):
    karen, poul = two_admissions
    cpr = poul.citizen.cpr
    body = logged_in(visitator).get(f"/?q={cpr[:6]}-{cpr[6:]}").content.decode()
    assert "Poul Jensen" in body and "Karen Hansen" not in body and cpr not in body


def test_the_ward_and_hospital_filters_offer_only_what_the_user_may_see(two_admissions, visitator):
    karen, poul = two_admissions
    client = logged_in(visitator)
    body = client.get(f"/?ward={poul.ward_id}").content.decode()
    assert "Poul Jensen" in body and "Karen Hansen" not in body
    body = client.get(f"/?hospital={karen.ward.hospital_id}").content.decode()
    assert "Karen Hansen" in body and "Poul Jensen" not in body


def test_sorting_by_admission_time_puts_the_earliest_first(two_admissions, visitator):
    body = logged_in(visitator).get("/?sort=admitted").content.decode()
    assert body.index("Karen Hansen") < body.index("Poul Jensen")


def test_the_counts_show_active_overdue_by_owner_waiting_and_discharges_today(two_admissions, visitator):
    with time_machine.travel(cph("2026-02-03 09:00"), tick=False):
        response = logged_in(visitator).get("/?q=nobody")
    counts = response.context["counts"]
    assert counts == {
        "active": 2,
        "overdue_hospital": 0,
        "overdue_municipality": 1,  # Karen's MILR
        "waiting": 0,
        "discharges_today": 1,  # Poul at 15:00
    }


def test_an_htmx_filter_request_gets_only_the_live_part(admission, nurse):
    body = logged_in(nurse).get("/?overdue=on", headers=HTMX).content.decode()
    assert body.lstrip().startswith('<div id="live"') and "<html" not in body


# --- Constant queries -----------------------------------------------------------------------------------


def _many(n, ward, other_ward):
    """n admissions written in bulk (fast), each with an event, two open obligations and a period."""
    hillerod = municipality("0219")
    now = timezone.now()
    citizens = Citizen.objects.bulk_create(
        CitizenFactory.build(name=f"Borger {i}", municipality=hillerod) for i in range(n)
    )
    admissions = Admission.objects.bulk_create(
        Admission(
            citizen=c,
            ward=ward if i % 2 else other_ward,
            municipality=hillerod,
            admitted_at=now - timedelta(days=2),
            version=1,  # one event each (the database checks version = event count)
            faerdigbehandlet_on=(now - timedelta(days=1)).date(),
            next_due_at=now - timedelta(hours=1),
        )
        for i, c in enumerate(citizens)
    )
    Event.objects.bulk_create(
        Event(
            admission=a,
            sequence=1,
            type="message",
            occurred_at=a.admitted_at,
            recorded_at=a.admitted_at,
            recorded_by_side=Side.HOSPITAL,
            data={"code": "ADVIS-IND"},
        )
        for a in admissions
    )
    Obligation.objects.bulk_create(
        Obligation(admission=a, key=f"{rule}:{a.pk}", rule=rule, owner=owner, due_at=now, status="open")
        for a in admissions
        for rule, owner in (("R-MILR", "municipality"), ("R-PFP-DATE", "hospital"))
    )
    FaerdigbehandlingPeriod.objects.bulk_create(
        FaerdigbehandlingPeriod(
            admission=a, registered_on=a.faerdigbehandlet_on, registered_at=now, waiting_for=["plejebolig"]
        )
        for a in admissions
    )


# The board read whole, whatever its rows (issue 15): 1 session, 2 the user with their staff member,
# organisation and board visit (coordination.auth), 3 the rows (citizen, ward, hospital, municipality and
# where the admission came from joined; the user's marks as subqueries; when the USR was sent, the last
# change by others and the newest færdigbehandling are the engine's stored facts), 4 open obligations,
# 5 the header's unread count (inbox), 6 the access log's one insert. The user's
# permissions (a manager is sent to the figures; the header links them) and the admissions granted to them
# are kept in the process while their generations stay (board_state.kept_for_user). The
# unfiltered board takes the filter's places and the counts from its rows; a filtered one reads them with
# a query each. Whether it changed is asked of the board-state cache, not the database
# (coordination/board_state.py); a hospital's "Ny indlæggelse" fields are kept for the minute.
# (The session's last-activity note and the board visit are written at most once a minute; the measured
# request comes within the minute after a first look, so it has neither write.)
BOARD_QUERIES = 6
# One admission on it changed since the user's last look (coordination/board_live.py): the same, and the
# rows' stamps before them (7), and only the changed row read.
CHANGED_BOARD_QUERIES = BOARD_QUERIES + 1
# Nothing on it changed: the board and its page kept (coordination/board_live.py,
# coordination/board_page.py) are shown again: 1 session, 2 user, 3 the header's unread count, 4 the access
# log.
KEPT_BOARD_QUERIES = 4


def _token(response) -> str:
    return response.content.decode().split("v=", 1)[1].split('"', 1)[0]


def _access_log_batches(rows: int) -> int:
    """The access log is one bulk insert; only SQLite (999 parameters a query, 8 a row) splits it."""
    return 0 if connection.vendor != "sqlite" else math.ceil(rows / (999 // 8)) - 1


@pytest.mark.parametrize("rows", [10, 500])
def test_the_board_reads_the_same_number_of_queries_for_10_and_500_rows(
    rows,
    ward,
    other_ward,
    nurse,
    visitator,
    admission,
    municipality_actor,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    _many(rows, ward, other_ward)
    for n, user in enumerate((visitator, nurse)):
        client = logged_in(user)
        with time_machine.travel(cph("2026-02-03 09:00:10"), tick=False):  # all within one minute
            with django_capture_on_commit_callbacks(execute=True):  # as committed: permissions, grants kept
                client.get("/")  # the first look of the session notes its activity and the visit
            caches[board_live.CACHE].clear()  # nothing kept: the board read whole
            with django_assert_max_num_queries(BOARD_QUERIES + _access_log_batches(rows)):
                response = client.get("/")
            assert response.status_code == 200
            assert response.content.decode().count("Borger ") >= rows // 2
            with django_assert_max_num_queries(KEPT_BOARD_QUERIES + _access_log_batches(rows)):
                kept = client.get("/")
            at = admission.admitted_at + timedelta(hours=n + 1)  # Karen's course, on both boards
            services.send_km(
                admission,
                at=at,
                now=at,
                sender="municipality",
                subject="andet",
                text="KM",
                actor=municipality_actor,
            )
            with django_assert_max_num_queries(CHANGED_BOARD_QUERIES + _access_log_batches(rows)):
                changed = client.get("/")
            assert _token(changed) != _token(kept)  # not the kept board: its state moved
        assert kept.content.decode().count("Borger ") == response.content.decode().count("Borger ")
        assert changed.content.decode().count("Borger ") == response.content.decode().count("Borger ")


def test_a_kept_board_is_still_written_to_the_access_log_at_every_look(admission, nurse):
    client = logged_in(nurse)
    client.get("/")
    before = AccessLog.objects.filter(user=nurse, admission=admission).count()
    client.get("/")  # nothing changed: the kept board
    assert AccessLog.objects.filter(user=nurse, admission=admission).count() == before + 1


# --- Polling --------------------------------------------------------------------------------------------


def test_a_poll_when_nothing_changed_is_answered_204_from_a_cheap_check(
    admission, nurse, django_assert_max_num_queries
):
    client = logged_in(nurse)
    with time_machine.travel(cph("2026-02-03 09:00"), tick=False):
        token = client.get("/?sort=admitted").context["token"]
        # 1 session: the rest is the board-state cache (coordination.middleware.BoardPollMiddleware)
        with django_assert_max_num_queries(1):
            response = client.get(f"/?sort=admitted&v={token}", headers={**HTMX, "X-Poll": "1"})
    assert response.status_code == 204 and response.content == b""


def test_a_poll_after_a_change_by_the_other_side_renders_the_fresh_rows(admission, nurse, municipality_actor):
    client = logged_in(nurse)
    with time_machine.travel(cph("2026-02-03 09:00"), tick=False):
        token = client.get("/").context["token"]
        services.send_message(
            admission,
            "MILR",
            at=cph("2026-02-03 09:00"),
            actor=municipality_actor,
            now=cph("2026-02-03 09:00"),
        )
        response = client.get(f"/?v={token}", headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<div id="live"')
    assert "Ulæste beskeder: MILR" in body


def test_a_poll_re_renders_when_the_clock_has_moved_the_countdowns(admission, nurse):
    client = logged_in(nurse)
    with time_machine.travel(cph("2026-02-03 09:00"), tick=False) as traveller:
        token = client.get("/").context["token"]
        traveller.shift(timedelta(minutes=6))
        assert client.get(f"/?v={token}", headers=HTMX).status_code == 200


# --- Shift handover -------------------------------------------------------------------------------------


def test_a_visitator_starting_a_shift_sees_what_came_in_since_her_last_visit(
    admission, visitator, other_ward, ward, hospital_actor
):
    client = logged_in(visitator)
    with time_machine.travel(cph("2026-02-02 15:00"), tick=False):
        client.get("/")
    at = cph("2026-02-02 22:00")
    new = services.admit_and_advise(
        cpr=CitizenFactory.build().cpr,
        name="Nyt Navn",
        municipality=municipality("0219"),
        ward=ward,
        at=at,
        expected_stay="over_48h",
        actor=hospital_actor,
        now=at,
    )
    with time_machine.travel(cph("2026-02-03 07:00"), tick=False):
        client.force_login(visitator)  # a new shift, a new login (the evening's session ended when idle)
        body = client.get("/").content.decode()
    assert "Siden man 2. feb. 15:00:" in body
    assert "1 ny indlæggelse" in body
    assert body.count('class="mark"') == 1 and f"/admissions/{new.pk}/" in body
    # the same shift: a reload does not move the baseline
    with time_machine.travel(cph("2026-02-03 07:30"), tick=False):
        assert "1 ny indlæggelse" in client.get("/").content.decode()
    assert BoardVisit.objects.get(user=visitator).shift_since == cph("2026-02-02 15:00")


def test_a_row_changed_by_the_other_side_is_marked_until_the_user_opens_it(
    admission, nurse, municipality_actor
):
    client = logged_in(nurse)
    with time_machine.travel(cph("2026-02-03 08:00"), tick=False):
        client.get(f"/admissions/{admission.pk}/")
        client.get("/")
    with time_machine.travel(cph("2026-02-03 09:00"), tick=False):
        services.send_message(
            admission,
            "MILR",
            at=cph("2026-02-03 09:00"),
            actor=municipality_actor,
            now=cph("2026-02-03 09:00"),
        )
        assert "Ændret" in client.get("/").content.decode()
        client.get(f"/admissions/{admission.pk}/")
        assert "Ændret" not in client.get("/").content.decode()


def test_the_users_own_changes_do_not_mark_the_row(admission, visitator):
    client = logged_in(visitator)
    with time_machine.travel(cph("2026-02-03 08:00"), tick=False):
        client.get("/")
        client.post(
            f"/admissions/{admission.pk}/actions/milr/",
            {"milr-at": "2026-02-03T08:00", "milr-expected_version": admission.version},
        )
        assert "Ændret" not in client.get("/").content.decode()


# --- Ny indlæggelse -------------------------------------------------------------------------------------


def _new_admission_data(**changes):
    data = {
        "new-cpr": CitizenFactory.build().cpr,
        "new-name": "Inger Larsen",
        "new-municipality": municipality("0219").pk,
        "new-residence": "own_home",
        "new-known_in_eoj": "on",
        "new-expected_stay": "over_48h",
        "new-at": "2026-02-03T08:00",
    }
    return {**data, **changes}


def test_a_nurse_registers_an_admission_and_the_advis_goes_out_with_it(ward, nurse):
    with time_machine.travel(cph("2026-02-03 09:00"), tick=False):
        response = logged_in(nurse).post("/admissions/new/", _new_admission_data(**{"new-ward": ward.pk}))
    admission = Admission.objects.get(citizen__name="Inger Larsen")
    assert response.status_code == 302 and response["Location"] == f"/admissions/{admission.pk}/"
    assert list(admission.events.values_list("type", "data__code")) == [
        ("admitted", None),
        ("message", "ADVIS-IND"),
    ]


def test_a_wrong_cpr_is_refused_next_to_the_field_and_nothing_is_saved(ward, nurse):
    data = _new_admission_data(**{"new-ward": ward.pk, "new-cpr": "3202451234"})
    body = logged_in(nurse).post("/admissions/new/", data, headers=HTMX).content.decode()
    assert 'id="id_new-cpr_error"' in body and "CPR-nummeret indeholder ikke en gyldig fødselsdato." in body
    assert not Admission.objects.exists() and not Citizen.objects.filter(name="Inger Larsen").exists()


def test_the_nurse_can_only_admit_to_her_own_ward(ward, other_ward, nurse):
    body = logged_in(nurse).post("/admissions/new/", _new_admission_data(**{"new-ward": other_ward.pk}))
    assert not Admission.objects.exists()
    assert "Marker en gyldig valgmulighed." in body.content.decode()


def test_the_visitator_gets_no_new_admission_form(visitator):
    assert "Ny indlæggelse" not in logged_in(visitator).get("/").content.decode()


def test_the_checklist_items_are_the_rules_engines(admission, nurse):
    body = logged_in(nurse).get(f"/admissions/{admission.pk}/").content.decode()
    for item in FB_CHECKLIST:
        assert item.text in body


def test_polls_of_a_board_left_open_do_not_count_as_a_visit(admission, visitator):
    # The board refreshes itself; only a person looking moves "new since your last visit".
    client = logged_in(visitator)
    with time_machine.travel(cph("2026-02-02 15:00"), tick=False):
        client.get("/")
    with time_machine.travel(cph("2026-02-02 21:00"), tick=False):
        assert client.get("/?v=stale", headers={**HTMX, "X-Poll": "1"}).status_code == 200
    assert BoardVisit.objects.get(user=visitator).seen_at == cph("2026-02-02 15:00")
