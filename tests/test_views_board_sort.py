"""The board sorted by a click on a column header (issue 14, "See"): the order is the database's, kept in
the URL, a second click reverses it, aria-sort says which, a stale or unknown key is ignored, and a poll
of a board sorted otherwise is another board (its state token differs). Rows say in words, beside their
colour, that a duty is overdue or due today, and who must act."""

import re

import pytest
import time_machine

from coordination import services
from tests.conftest import cph
from tests.factories import CitizenFactory, logged_in, municipality

HTMX = {"HX-Request": "true"}


@pytest.fixture
def three(ward, hospital_actor):
    """Three citizens of Hillerød on the nurse's ward, admitted in the order Bo, Åse, Anna."""
    for name, at in (
        ("Bo Berg", "2026-02-02 08:00"),
        ("Åse Ørum", "2026-02-02 09:00"),
        ("Anna Andersen", "2026-02-02 10:00"),
    ):
        citizen = CitizenFactory(name=name, municipality=municipality("0219"))
        services.admit_citizen(
            citizen, ward, at=cph(at), expected_stay="over_48h", actor=hospital_actor, now=cph(at)
        )


def names_in_order(body: str) -> list[str]:
    return re.findall(r'class="citizen">([^<]+)</a>', body)


def test_a_click_on_the_citizen_header_sorts_the_board_by_name(three, nurse):
    body = logged_in(nurse).get("/?sort=name").content.decode()
    assert names_in_order(body) == ["Anna Andersen", "Bo Berg", "Åse Ørum"]  # Danish: Å last


def test_a_second_click_reverses_the_order_and_aria_sort_says_so(three, nurse):
    client = logged_in(nurse)
    ascending = client.get("/?sort=name").content.decode()
    assert re.search(r'<th scope="col" aria-sort="ascending"><a class="sort" href="\?sort=-name"', ascending)
    descending = client.get("/?sort=-name").content.decode()
    assert names_in_order(descending) == ["Åse Ørum", "Bo Berg", "Anna Andersen"]
    assert 'aria-sort="descending"' in descending and 'href="?sort=name"' in descending


def test_sorting_by_admission_time_newest_first(three, nurse):
    body = logged_in(nurse).get("/?sort=-admitted").content.decode()
    assert names_in_order(body) == ["Anna Andersen", "Åse Ørum", "Bo Berg"]


def test_the_header_links_keep_the_filters_and_work_without_javascript(three, nurse):
    body = logged_in(nurse).get("/?waiting=&scope=all&sort=admitted").content.decode()
    header = re.search(r'<a class="sort" href="([^"]+)" hx-get="/([^"]+)"[^>]*>Borger</a>', body)
    assert header, "the citizen header is a plain link with hx-get beside it"
    href, hx_get = header.group(1), header.group(2)
    assert "scope=all" in href and "sort=name" in href and "v=" not in href
    assert href == hx_get


def test_an_unknown_sort_key_is_ignored_without_an_error(three, nurse):
    response = logged_in(nurse).get("/?sort=DROP+TABLE")
    assert response.status_code == 200
    # the default order: the next deadline, then admission time
    assert names_in_order(response.content.decode()) == ["Bo Berg", "Åse Ørum", "Anna Andersen"]


def test_the_poll_of_a_board_sorted_otherwise_is_answered_with_rows(three, nurse):
    client = logged_in(nurse)
    by_name = client.get("/?sort=name").content.decode()
    token = re.search(r"[?&;]v=([^&\"]+)\"", by_name).group(1)
    assert client.get(f"/?sort=name&v={token}", headers=HTMX).status_code == 204
    reversed_poll = client.get(f"/?sort=-name&v={token}", headers=HTMX)
    assert reversed_poll.status_code == 200
    assert names_in_order(reversed_poll.content.decode()) == ["Åse Ørum", "Bo Berg", "Anna Andersen"]
    # the filter form's "Sortér efter" outside the swapped part follows the header click
    assert 'id="sort-field" hx-swap-oob="true"' in reversed_poll.content.decode()


def row_of(body: str, name: str) -> str:
    return re.search(r"<tr[^>]*>(?:(?!</tr>).)*" + name + r"(?:(?!</tr>).)*</tr>", body, re.S).group(0)


def test_a_row_due_today_is_coloured_and_says_so_and_who_must_act(admission, nurse):
    # R-MILR: the advis at 14:21, the municipality's MILR due 8 hours later, today at 22:21
    with time_machine.travel(cph("2026-02-02 15:00"), tick=False):
        row = row_of(logged_in(nurse).get("/").content.decode(), "Karen Hansen")
    assert 'class="is-due-today"' in row and "frist i dag" in row
    assert "Skal handle:" in row and 'owner-municipality">Kommune</span>' in row


def test_an_overdue_row_is_coloured_and_says_by_how_much(admission, nurse):
    with time_machine.travel(cph("2026-02-03 09:00"), tick=False):
        row = row_of(logged_in(nurse).get("/").content.decode(), "Karen Hansen")
    assert 'class="is-overdue"' in row and "overskredet med" in row and "frist i dag" not in row
