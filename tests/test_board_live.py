"""A board refreshed row by row (coordination/board_live.py, issue 15) is exactly the board read whole: after
an event, a mark, a grant, the clock passing a due, an hour of the stay and midnight, and it reads again
only the rows that changed."""

from datetime import timedelta

import pytest
import time_machine

from coordination import board, services
from tests import test_views_board
from tests.conftest import cph
from tests.factories import logged_in
from tests.test_board_fragments import rows_of, uncached

two_admissions = test_views_board.two_admissions  # Karen (MILR due 2 Feb 22:21) and Poul (on another ward)


@pytest.fixture
def reads(monkeypatch):
    """The number of admissions each board response read whole."""
    counted = []
    read = board.read_admissions

    def counting(shown, user, now, **stamped):
        admissions = read(shown, user, now, **stamped)
        counted.append(len(admissions))
        return admissions

    monkeypatch.setattr(board, "read_admissions", counting)
    return counted


def test_a_board_refreshed_row_by_row_is_the_board_read_whole(
    two_admissions, visitator, municipality_actor, reads
):
    karen, poul = two_admissions
    client = logged_in(visitator)  # both live in Hillerød: both on the visitator's board
    with time_machine.travel(cph("2026-02-03 19:00"), tick=False) as traveller:

        def same_as_read_whole():
            reads.clear()
            shown = client.get("/").content.decode()
            read = sum(reads)
            assert rows_of(shown) == rows_of(uncached(visitator))
            return read

        assert same_as_read_whole() == 2  # the first look reads both
        ward_actor = services.Actor(side="hospital", organisation=str(poul.ward))
        at = cph("2026-02-03 19:00")
        services.send_km(poul, at=at, sender="hospital", subject="andet", text="x", actor=ward_actor, now=at)
        assert same_as_read_whole() == 1  # only Poul's row changed
        assert same_as_read_whole() == 0  # nothing changed: the kept board
        traveller.shift(timedelta(minutes=7))  # the clock bucket turned: the countdowns may have moved
        same_as_read_whole()
        traveller.shift(timedelta(hours=1, minutes=3))  # an hour more of both stays
        assert same_as_read_whole() == 2
        services.mark_unread(karen, "ADVIS-IND", actor=services.Actor.for_user(visitator))
        assert same_as_read_whole() == 2  # the user's own state: read whole
        traveller.move_to(cph("2026-02-04 00:01"))  # past midnight: "i dag" and the days waiting
        same_as_read_whole()


def test_a_row_that_left_the_board_is_gone_after_a_refresh(two_admissions, nurse, other_ward, hospital_actor):
    karen, _ = two_admissions
    client = logged_in(nurse)
    with time_machine.travel(cph("2026-02-03 09:00"), tick=False):
        assert "Karen Hansen" in client.get("/").content.decode()
        services.transfer_admission(
            karen,
            at=cph("2026-02-03 09:00"),
            ward=other_ward,
            actor=hospital_actor,
            now=cph("2026-02-03 09:00"),
        )
        shown = client.get("/").content.decode()
    assert "Karen Hansen" not in shown and rows_of(shown) == rows_of(uncached(nurse))
