"""The board's rows are rendered once and kept (coordination/board_fragments.py, issue 15): a kept row is
exactly the row rendered afresh, in every state, and a new event, the clock passing a deadline, another
language or the other side each give the row that state's text, never a kept one."""

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from coordination import board_fragments, board_live, services
from tests import test_views_board
from tests.conftest import cph
from tests.factories import logged_in
from tests.test_views_board import _course_to_waiting

POLL = {"HX-Request": "true", "X-Poll": "1"}  # the live part only, and no visit noted: the same page twice
two_admissions = test_views_board.two_admissions  # the fixture: Karen (MILR overdue) and Poul
NO_CACHE = {
    **settings.CACHES,
    board_fragments.CACHE: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    board_live.CACHE: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}


@pytest.fixture(autouse=True)
def _empty_row_cache():
    caches[board_fragments.CACHE].clear()
    yield
    caches[board_fragments.CACHE].clear()


def kept_rows() -> int:
    return len(caches[board_fragments.CACHE]._cache)


def board(user, language="da") -> str:
    client = logged_in(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get("/", headers=POLL).content.decode()


def uncached(user, language="da") -> str:
    with override_settings(CACHES=NO_CACHE):
        return board(user, language)


def rows_of(page: str) -> str:
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_a_kept_row_is_the_row_rendered_afresh_in_every_state_side_and_language(
    two_admissions, nurse, visitator, hospital_actor, municipality_actor
):
    karen, poul = two_admissions
    _course_to_waiting(karen, hospital_actor, municipality_actor)
    for moment in ("2026-02-03 09:00", "2026-02-05 12:00", "2026-02-06 10:59", "2026-02-08 08:00"):
        with time_machine.travel(cph(moment), tick=False):
            for user in (nurse, visitator):
                for language in ("da", "en"):
                    fresh = uncached(user, language)
                    assert board(user, language) == fresh  # rendered, and kept
                    kept = kept_rows()
                    assert kept >= 1
                    assert board(user, language) == fresh  # from the cache
                    assert kept_rows() == kept  # nothing rendered again


def test_a_new_event_shows_in_the_row_at_once(admission, nurse, municipality_actor):
    at = cph("2026-02-02 15:00")
    with time_machine.travel(at, tick=False):
        before = board(nurse)
        assert "R-MILR" in before
        services.send_message(admission, "MILR", at=at, actor=municipality_actor, now=at)
        after = board(nurse)
        assert after == uncached(nurse)
    assert rows_of(after) != rows_of(before) and "Ulæste beskeder: MILR" in after


def test_the_clock_passing_a_deadline_turns_the_countdown_without_an_event(admission, nurse):
    with time_machine.travel(cph("2026-02-02 22:20"), tick=False):  # the MILR is due 22:21
        before = board(nurse)
    with time_machine.travel(cph("2026-02-02 22:22"), tick=False):
        after = board(nurse)
        assert after == uncached(nurse)
    assert "om 1 min" in before and "is-overdue" not in before
    assert "overskredet med 1 min" in after and "is-overdue" in after


def test_each_language_and_each_side_gets_its_own_row(admission, nurse, visitator):
    with time_machine.travel(cph("2026-02-02 20:00"), tick=False):
        danish, english = board(visitator), board(visitator, "en")
        hospital = board(nurse)
        assert english == uncached(visitator, "en") and hospital == uncached(nurse)
    assert "Ulæste beskeder: ADVIS-IND" in danish and "Unread messages: ADVIS-IND" in english
    assert "Ulæste beskeder" not in hospital  # the hospital sent the advis: nothing unread on its side


def test_a_row_read_again_by_its_own_reader_loses_its_mark(admission, visitator):
    """The "Ændret" mark is the reader's: opening the admission clears it on the kept board too."""
    with time_machine.travel(cph("2026-02-02 20:00"), tick=False):
        client = logged_in(visitator)
        client.get("/")  # the visit the marks count from
    with time_machine.travel(cph("2026-02-02 21:00"), tick=False):
        services.send_km(
            admission,
            at=cph("2026-02-02 21:00"),
            sender="hospital",
            subject="andet",
            text="Ring venligst",
            actor=services.Actor(side="hospital", organisation=str(admission.ward)),
            now=cph("2026-02-02 21:00"),
        )
        assert '<span class="mark">Ændret</span>' in client.get("/", headers=POLL).content.decode()
        client.get(f"/admissions/{admission.pk}/")
        seen = client.get("/", headers=POLL).content.decode()
        with override_settings(CACHES=NO_CACHE):
            assert seen == client.get("/", headers=POLL).content.decode()
    assert '<span class="mark">Ændret</span>' not in seen


def test_a_cell_that_could_keep_a_stale_text_is_refused():
    from django.utils.translation import gettext_lazy

    with pytest.raises(TypeError):
        board_fragments.fingerprint({"label": gettext_lazy("Kommune")})
    assert board_fragments.fingerprint({"a": 1, "b": [2]}) == board_fragments.fingerprint({"b": [2], "a": 1})


def test_the_counts_of_a_whole_board_read_from_its_rows_are_the_counts_query(
    two_admissions, visitator, hospital_actor, municipality_actor
):
    karen, _ = two_admissions
    _course_to_waiting(karen, hospital_actor, municipality_actor)
    for moment in ("2026-02-03 09:00", "2026-02-05 12:00", "2026-02-06 10:00", "2026-02-09 08:00"):
        with time_machine.travel(cph(moment), tick=False):
            whole = logged_in(visitator).get("/").context["counts"]
            narrowed = logged_in(visitator).get("/?q=nobody").context["counts"]  # the aggregate query
        assert whole == narrowed


def test_the_places_of_a_whole_board_read_from_its_rows_are_the_places_query(two_admissions, visitator):
    def choices(query):
        form = logged_in(visitator).get(f"/{query}").context["filter_form"]
        return {name: list(form.fields[name].choices) for name in ("hospital", "municipality", "ward")}

    whole, narrowed = choices(""), choices("?q=nobody")  # from the rows read; from the places query
    assert whole == narrowed and len(whole["ward"]) == 3  # "Alle" and the two wards
