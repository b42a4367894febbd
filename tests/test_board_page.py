"""The board's page kept while its board is kept (coordination/board_page.py, issue 15), and the user's
permissions and grants kept while their generations stay (board_state.kept_for_user): each look still
shows its own CSRF token, unread count, session time and clock, to its own user only, and a change of
permissions or grants shows on the next page."""

import re

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.test import Client

from coordination import board_state, services
from coordination.models import Admission, Notification
from tests.conftest import cph
from tests.factories import logged_in, staff_user


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _badge(page: str) -> str:
    return re.search(r'<a id="inbox-link".*?</a>', page, re.S).group(0)


def test_a_kept_board_page_shows_each_look_its_own_unread_count_and_clock(admission, nurse):
    client = logged_in(nurse)
    with time_machine.travel(cph("2026-02-03 09:00:10"), tick=False) as traveller:
        first = client.get("/").content.decode()
        Notification.objects.create(
            user=nurse, kind="message", admission=admission, created_at=cph("2026-02-03 09:00")
        )
        traveller.move_to(cph("2026-02-03 09:01:40"))  # the same clock bucket: the board is kept
        again = client.get("/").content.decode()
    assert "ulæst" not in _badge(first) and "1 ulæst" in _badge(again)
    assert "opdateret 09:00" in first and "opdateret 09:01" in again
    assert "Karen Hansen" in again  # the rows as kept
    assert "hole" not in again.replace("whole", "")  # every placeholder filled


def test_each_look_at_a_kept_board_page_carries_a_csrf_token_that_works(admission, nurse):
    client = Client(enforce_csrf_checks=True)
    client.force_login(nurse)
    with time_machine.travel(cph("2026-02-03 09:00:10"), tick=False):
        client.get("/")
        kept = client.get("/").content.decode()  # the kept page
        response = client.post("/logout/", {"csrfmiddlewaretoken": _token(kept)})
    assert response.status_code == 302  # logged out: the token was accepted (a stale one gives 403)
    assert "_auth_user_id" not in client.session


def test_a_kept_board_page_is_shown_only_to_its_own_user(admission, nurse, ward):
    colleague = staff_user("kollega", ward=ward)
    colleague.first_name = "Kollega"
    colleague.save()
    with time_machine.travel(cph("2026-02-03 09:00:10"), tick=False):
        mine = logged_in(nurse).get("/").content.decode()
        theirs = logged_in(colleague).get("/").content.decode()
    assert "Karen Hansen" in mine and "Karen Hansen" in theirs
    assert 'class="who">Kollega' in theirs and 'class="who">Kollega' not in mine


def test_a_board_that_changed_shows_its_new_rows_in_the_page_kept_around_them(
    admission, nurse, hospital_actor
):
    """After a change only the board's live part is rendered, into the page kept around it: the page is
    the page rendered whole."""
    from django.core.cache import caches

    client = logged_in(nurse)
    with time_machine.travel(cph("2026-02-03 09:00:10"), tick=False):
        before = client.get("/").content.decode()
        at = cph("2026-02-03 09:00")
        services.plan_discharge(
            admission,
            at=at,
            discharge_at=cph("2026-02-04 11:00"),
            needs_changed=False,
            practical_help_only=False,
            municipal_nursing=True,
            destination="own_home",
            actor=hospital_actor,
            now=at,
        )
        changed = client.get("/").content.decode()
        for name in ("board-live", "board-rows"):
            caches[name].clear()
        whole = client.get("/").content.decode()
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"|data-csrf="[^"]+"')
    assert token.sub("", changed) == token.sub("", whole)
    assert token.sub("", changed) != token.sub("", before)  # the change is shown
    assert "hole" not in changed.replace("whole", "")


def test_the_permissions_kept_follow_a_group_getting_a_permission(nurse, django_capture_on_commit_callbacks):
    group = Group.objects.create(name="ledere")
    nurse.groups.add(group)
    nurse.user_permissions.add(Permission.objects.get(codename="add_event"))  # takes part: keeps the board

    def figures_link() -> bool:
        with django_capture_on_commit_callbacks(execute=True):  # as after the request's commit: kept
            page = logged_in(nurse).get("/").content.decode()
        return "Nøgletal" in page

    assert not figures_link()
    assert not figures_link()  # now from the kept permissions
    group.permissions.add(Permission.objects.get(codename="view_reports"))
    assert figures_link()


def test_a_grant_rolled_back_is_not_kept(admission, outsider, nurse, django_capture_on_commit_callbacks):
    def sees() -> bool:
        with django_capture_on_commit_callbacks(execute=True):
            return Admission.objects.visible_to(outsider).filter(pk=admission.pk).exists()

    assert not sees()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.grant_access(admission, to=outsider, by=nurse, note="forløbskoordinator")
        assert Admission.objects.visible_to(outsider).filter(pk=admission.pk).exists()  # its own grant
        raise RuntimeError("rolled back")
    assert not sees()
    services.grant_access(admission, to=outsider, by=nurse, note="forløbskoordinator")
    assert sees()


def test_kept_permissions_are_read_once_while_nothing_changes(nurse, django_capture_on_commit_callbacks):
    reads = []

    def read():
        reads.append(1)
        return {"x"}

    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            board_state.kept_for_user("test", type(nurse).objects.get(pk=nurse.pk), read)
    assert len(reads) == 1
    nurse.user_permissions.add(Permission.objects.get(codename="view_reports"))
    board_state.kept_for_user("test", type(nurse).objects.get(pk=nurse.pk), read)
    assert len(reads) == 2


# --- The header's unread count: its query compiled once and kept (views/inbox.unread_count) ------------


def _unread(user, django_capture_on_commit_callbacks) -> int:
    from coordination.views.inbox import unread_count

    with django_capture_on_commit_callbacks(execute=True):  # as after the request's commit: kept
        return unread_count(type(user).objects.select_related("staff").get(pk=user.pk))


def test_the_kept_unread_count_still_counts_each_new_notification(
    admission, visitator, django_capture_on_commit_callbacks
):
    assert _unread(visitator, django_capture_on_commit_callbacks) == 0
    Notification.objects.create(
        user=visitator, kind="message", admission=admission, created_at=cph("2026-02-03 09:00")
    )
    assert _unread(visitator, django_capture_on_commit_callbacks) == 1  # the kept query, read again


def test_the_kept_unread_count_forgets_an_admission_whose_grant_was_revoked(
    admission, outsider, nurse, django_capture_on_commit_callbacks
):
    services.grant_access(admission, to=outsider, by=nurse, note="forløbskoordinator")
    Notification.objects.create(
        user=outsider, kind="message", admission=admission, created_at=cph("2026-02-03 09:00")
    )
    assert _unread(outsider, django_capture_on_commit_callbacks) == 1
    assert _unread(outsider, django_capture_on_commit_callbacks) == 1  # now from the kept query
    services.revoke_access(admission, to=outsider, by=nurse, note="forløbet er slut")
    assert _unread(outsider, django_capture_on_commit_callbacks) == 0


def test_the_kept_unread_count_follows_a_visitator_moving_to_another_municipality(
    admission, visitator, django_capture_on_commit_callbacks
):
    from tests.factories import municipality

    Notification.objects.create(
        user=visitator, kind="message", admission=admission, created_at=cph("2026-02-03 09:00")
    )
    assert _unread(visitator, django_capture_on_commit_callbacks) == 1
    assert _unread(visitator, django_capture_on_commit_callbacks) == 1  # kept
    visitator.staff.municipality = municipality("0101")
    visitator.staff.save()
    assert _unread(visitator, django_capture_on_commit_callbacks) == 0  # Hillerød's citizen is not theirs


def test_the_live_part_goes_into_the_page_kept_around_it_once():
    from coordination.board_page import _PLACEHOLDER, _cut, _spliced

    hole, clock = _PLACEHOLDER["live_hole"], _PLACEHOLDER["updated_at"]
    around = _cut(f"<header>{_PLACEHOLDER['csrf_token']}</header>{hole}<footer>")
    for live in (f"<div>rows {clock}</div>", "<div>rows</div>"):  # with a placeholder of its own, and none
        parts = _spliced(around, _cut(live))
        text = b"".join(part for i, part in enumerate(parts) if i % 2 == 0)
        assert text == f"<header></header>{live.replace(clock, '')}<footer>".encode()
        assert all(part in (*[p.encode() for p in _PLACEHOLDER.values()],) for part in parts[1::2])


def test_a_board_that_changed_keeps_each_user_their_own_page_around_the_rows(
    admission, nurse, ward, hospital_actor
):
    colleague = staff_user("kollega", ward=ward)
    colleague.first_name = "Kollega"
    colleague.save()
    mine, theirs = logged_in(nurse), logged_in(colleague)
    with time_machine.travel(cph("2026-02-03 09:00:10"), tick=False):
        mine.get("/"), theirs.get("/")
        at = cph("2026-02-03 09:00")
        services.send_km(
            admission, at=at, sender="hospital", subject="andet", text="x", actor=hospital_actor, now=at
        )
        after_mine, after_theirs = mine.get("/").content.decode(), theirs.get("/").content.decode()
    assert 'class="who">Kollega' in after_theirs and 'class="who">Kollega' not in after_mine
