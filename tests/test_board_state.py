"""A board's poll is answered 204 from the session and the board-state cache only while nothing the board
shows changed (coordination/board_state.py, issue 15); every kind of change makes the next poll render
again, and a poll never shows anything to someone who may not see it."""

import os
from datetime import timedelta

import time_machine
from django.core.cache import caches
from django.test import override_settings

from coordination import board_state, services
from coordination.models import Citizen, StaffMember
from tests.conftest import cph
from tests.factories import logged_in, municipality, poll_token, staff_user

POLL = {"HX-Request": "true", "X-Poll": "1"}
AT = cph("2026-02-03 09:00")


def _look(client, query: str = "") -> str:
    """The board as the person opens it; returns the poll URL its live part carries."""
    token = poll_token(client.get(f"/{query}"))
    return f"/{query}{'&' if query else '?'}v={token}"


def test_an_unchanged_board_polls_204_with_only_the_session_read(admission, nurse, django_assert_num_queries):
    client = logged_in(nurse)
    with time_machine.travel(AT, tick=False):
        poll = _look(client)
        with django_assert_num_queries(1):  # the session; the rest is the board-state cache
            response = client.get(poll, headers=POLL)
    assert response.status_code == 204 and response.content == b""
    assert "no-store" in response["Cache-Control"]


def test_the_users_own_unread_mark_shows_at_the_next_poll(admission, nurse):
    client = logged_in(nurse)
    with time_machine.travel(AT, tick=False):
        poll = _look(client)
        services.mark_unread(admission, "ADVIS-IND", actor=services.Actor.for_user(nurse), now=AT)
        response = client.get(poll, headers=POLL)
    assert response.status_code == 200 and "Ulæste beskeder" in response.content.decode()


def test_a_transfer_takes_the_row_off_the_old_wards_board_at_the_next_poll(
    admission, nurse, other_ward, hospital_actor
):
    client = logged_in(nurse)
    with time_machine.travel(AT, tick=False):
        poll = _look(client)
        assert "Karen Hansen" in client.get("/").content.decode()
        services.transfer_admission(admission, at=AT, ward=other_ward, actor=hospital_actor, now=AT)
        response = client.get(poll, headers=POLL)
    assert response.status_code == 200 and "Karen Hansen" not in response.content.decode()


def test_a_grant_puts_the_admission_on_the_board_of_someone_outside_the_course(admission, nurse, outsider):
    client = logged_in(outsider)
    with time_machine.travel(AT, tick=False):
        poll = _look(client)
        assert "Karen Hansen" not in client.get("/").content.decode()
        services.grant_access(admission, to=outsider, by=nurse)
        response = client.get(poll, headers=POLL)
        assert response.status_code == 200 and "Karen Hansen" in response.content.decode()
        # Their board now also follows that admission's own changes.
        poll = _look(client)
        services.send_km(
            admission,
            at=AT,
            sender="hospital",
            subject="andet",
            text="x",
            actor=services.Actor.for_user(nurse),
        )
        assert client.get(poll, headers=POLL).status_code == 200


def test_a_renamed_citizen_and_a_moved_staff_member_show_at_the_next_poll(admission, nurse, visitator):
    client = logged_in(visitator)
    with time_machine.travel(AT, tick=False):
        poll = _look(client)
        citizen = Citizen.objects.get(pk=admission.citizen_id)
        citizen.name = "Karen Hansen-Berg"
        citizen.save()
        response = client.get(poll, headers=POLL)
        assert response.status_code == 200 and "Karen Hansen-Berg" in response.content.decode()
        poll = _look(client)
        staff = StaffMember.objects.get(user=visitator)
        staff.municipality = municipality("0101")
        staff.save()
        response = client.get(poll, headers=POLL)
    assert response.status_code == 200 and "Karen Hansen" not in response.content.decode()


def test_a_deadline_passing_shows_at_the_next_poll_without_any_change(admission, nurse):
    # The MILR of the admission (advis 2 Feb 14:21) is due 2 Feb 22:21: a poll after it must render.
    client = logged_in(nurse)
    with time_machine.travel(cph("2026-02-02 22:20:10"), tick=False) as traveller:
        poll = _look(client)  # turns at the due, before the clock bucket's end (22:25)
        traveller.move_to(cph("2026-02-02 22:20:50"))
        assert client.get(poll, headers=POLL).status_code == 204
        traveller.move_to(cph("2026-02-02 22:21:30"))
        response = client.get(poll, headers=POLL)
    assert response.status_code == 200 and "overskredet" in response.content.decode()


def test_another_filter_is_another_board(admission, nurse):
    client = logged_in(nurse)
    with time_machine.travel(AT, tick=False):
        poll = _look(client, "?sort=name")
        other = poll.replace("sort=name", "sort=admitted")
        assert client.get(poll, headers=POLL).status_code == 204
        assert client.get(other, headers=POLL).status_code == 200


def test_a_strangers_replayed_token_gets_their_own_board_never_a_204_or_the_rows(admission, nurse, outsider):
    with time_machine.travel(AT, tick=False):
        poll = _look(logged_in(nurse))
        stranger = logged_in(outsider)
        stranger.get("/")
        response = stranger.get(poll, headers=POLL)
    assert response.status_code == 200 and "Karen Hansen" not in response.content.decode()


def test_a_poll_after_logout_or_the_idle_timeout_is_never_answered_204(admission, nurse, settings):
    client = logged_in(nurse)
    with time_machine.travel(AT, tick=False) as traveller:
        poll = _look(client)
        traveller.shift(timedelta(seconds=settings.SESSION_IDLE_SECONDS + 60))
        response = client.get(poll, headers=POLL)
        assert response.status_code == 204 and "/login/" in response["HX-Redirect"]  # sent to log in
        client = logged_in(nurse)
        poll = _look(client)
        client.post("/logout/")
        response = client.get(poll, headers=POLL)
    assert "/login/" in response["HX-Redirect"]


def test_without_the_board_state_cache_every_poll_renders_and_the_board_still_works(admission, nurse):
    broken = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    client = logged_in(nurse)
    with override_settings(CACHES={**_caches(), board_state.CACHE: broken}):
        with time_machine.travel(AT, tick=False):
            poll = _look(client)
            response = client.get(poll, headers=POLL)
    assert response.status_code == 200 and "Karen Hansen" in response.content.decode()


def test_through_a_real_redis_a_change_made_elsewhere_is_seen_by_the_poll(
    admission, nurse, municipality_actor
):
    shared = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # The worker tests' Redis database unless TEST_REDIS_URL names another.
        "LOCATION": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7"),
    }
    with override_settings(CACHES={**_caches(), board_state.CACHE: shared}):
        client = logged_in(nurse)
        with time_machine.travel(AT, tick=False):
            poll = _look(client)
            assert client.get(poll, headers=POLL).status_code == 204
            # What a worker's re-derivation or another web process does: bump the admission's places.
            board_state._bump(board_state.admission_places(admission))
            assert client.get(poll, headers=POLL).status_code == 200
        # Only this test's keys: the same Redis is the Celery tests' broker.
        places = board_state.admission_places(admission) + ["all", f"user:{nurse.pk}"]
        caches[board_state.CACHE].delete_many(places)


def test_a_board_kept_for_one_user_is_never_shown_to_another(admission, nurse, ward):
    colleague = staff_user("kollega", ward=ward)
    with time_machine.travel(AT, tick=False):
        mine = logged_in(nurse).get("/")
        theirs = logged_in(colleague).get("/")
    assert poll_token(mine) != poll_token(theirs)


def _caches() -> dict:
    from django.conf import settings

    return dict(settings.CACHES)


def test_the_deploy_check_warns_when_the_board_state_is_not_shared(settings):
    from coordination.checks import board_state_is_shared

    assert [w.id for w in board_state_is_shared(None)] == ["coordination.W001"]  # the tests' in-process cache
    shared = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/7",
    }
    settings.CACHES = {**settings.CACHES, board_state.CACHE: shared}
    assert board_state_is_shared(None) == []


def test_a_renamed_ward_shows_on_the_board_at_the_next_poll(admission, nurse, ward):
    client = logged_in(nurse)
    with time_machine.travel(AT, tick=False):
        poll = _look(client)
        ward.name = "Akutmodtagelsen"
        ward.save()
        response = client.get(poll, headers=POLL)
    assert response.status_code == 200 and "Akutmodtagelsen" in response.content.decode()


def test_a_look_asks_the_board_state_cache_once_whatever_the_page_asks_of_it(admission, nurse, monkeypatch):
    client = logged_in(nurse)
    store = caches[board_state.CACHE]
    with time_machine.travel(AT, tick=False):
        client.get("/")  # the session learns the board's places
        asked = []
        monkeypatch.setattr(
            store,
            "get_many",
            lambda keys, **kw: asked.append(keys) or type(store).get_many(store, keys, **kw),
        )
        response = client.get("/")  # the permissions, the board's digest and its kept page each ask
    assert response.status_code == 200 and "Karen Hansen" in response.content.decode()
    assert len(asked) == 1 and {"permissions", "all", f"user:{nurse.pk}"} <= set(asked[0])


def test_a_change_within_a_look_is_read_afresh_by_the_rest_of_it():
    with board_state.read_once(["all"]):
        before = board_state.generations(["municipality:1"])
        again = board_state.generations(["municipality:1"])
        board_state.changed(["municipality:1"])
        after = board_state.generations(["municipality:1"])
    assert before == again and after != before
