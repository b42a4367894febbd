"""The board's process cache (coordination/process_cache.py) keeps what it is given, without pickling it,
and still expires and culls as Django's LocMemCache does."""

import time_machine

from coordination.process_cache import ProcessMemoryCache
from tests.conftest import cph


def _cache(entries: int = 10) -> ProcessMemoryCache:
    cache = ProcessMemoryCache(f"test-{entries}", {"TIMEOUT": 60, "OPTIONS": {"MAX_ENTRIES": entries}})
    cache.clear()
    return cache


def test_a_kept_row_is_given_back_as_it_was_kept_without_a_copy():
    cache = _cache()
    rows = [{"pk": 1, "html": "<tr>Karen Hansen</tr>"}]
    cache.set("board", rows)
    assert cache.get("board") is rows
    assert cache.add("board", []) is False and cache.get("board") is rows


def test_a_kept_value_expires_at_its_timeout():
    cache = _cache()
    with time_machine.travel(cph("2026-02-03 09:00"), tick=False) as traveller:
        cache.set("board", "rows", timeout=30)
        traveller.shift(29)
        assert cache.get("board") == "rows"
        traveller.shift(2)
        assert cache.get("board") is None
        assert cache.add("board", "new rows") is True and cache.get("board") == "new rows"


def test_the_cache_culls_the_oldest_when_full_and_counts_up():
    cache = _cache(entries=4)
    for n in range(6):
        cache.set(f"row-{n}", n)
    assert cache.get("row-5") == 5 and sum(cache.get(f"row-{n}") is not None for n in range(6)) <= 4
    cache.set("generation", 41)
    assert cache.incr("generation") == 42 and cache.get("generation") == 42
