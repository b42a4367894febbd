"""A cache in this process's memory that keeps the values themselves, not pickled copies.

Django's LocMemCache pickles every value it keeps and unpickles it at every read. The board's kept rows and
pages (coordination/board_live.py, board_page.py, board_fragments.py) are read and kept again at every look
at a board, and a hospital's board has 2,000 rows: pickling them cost more than the rest of showing the rows
that changed (issue 15). Its values are shared, so whatever is kept here is never changed afterwards (the
board builds new rows, lists and pages; it never edits kept ones)."""

from __future__ import annotations

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache


class ProcessMemoryCache(LocMemCache):
    """LocMemCache (its expiry, its culling at MAX_ENTRIES, its lock) without the pickling."""

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._set(key, value, timeout)
                return True
            return False

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                return default
            value = self._cache[key]
            self._cache.move_to_end(key, last=False)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            self._set(key, value, timeout)

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                raise ValueError(f"Key '{key}' not found")
            value = self._cache[key] + delta
            self._cache[key] = value
            self._cache.move_to_end(key, last=False)
        return value
