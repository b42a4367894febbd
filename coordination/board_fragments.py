"""The board's rows as HTML, each rendered once and kept (issue 15: the board is polled every 30 s by every
ward, and most of its time went to rendering the same rows again).

A row's fragment is kept under a fingerprint of everything it shows: its cells (`board_cells._cells`: plain
values, the texts already in the reader's language, the clock's texts such as the countdown already worked
out), the language, the time zone, the row templates' source and where the URLs lie. Nothing is ever
invalidated by hand: a new event, a deadline passing, a mark read or another reader's side or language
changes a cell, so the fingerprint, and the row is rendered afresh; an unchanged row is never rendered twice
by a process. The fragments live in the `board-rows` cache (config/settings.py: in the process's memory,
least recently used ones dropped first)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date, datetime
from functools import cache

from django.core.cache import caches
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

ROW_TEMPLATE = "coordination/_board_row.html"
# The templates a row's HTML comes from: a change to any of them is another fingerprint.
_SOURCES = (ROW_TEMPLATE, "coordination/_pfp_state.html", "coordination/_mof_state.html")
CACHE = "board-rows"


def render_rows(rows) -> None:
    """Fills each row's `html`: from the cache where this very row was rendered before, else rendered
    (and kept)."""
    if not rows:
        return
    store = caches[CACHE]
    prefix = rows_prefix()
    keys = [prefix + fingerprint(row.cells) for row in rows]
    kept = store.get_many(keys)
    fresh = {}
    for row, key in zip(rows, keys, strict=True):
        html = kept.get(key)
        if html is None:
            html = fresh[key] = render_row(row.cells)
        row.html = mark_safe(html)  # noqa: S308 - our own template's output, escaped when it was rendered
    if fresh:
        store.set_many(fresh)


def render_row(cells: dict) -> SafeString:
    """One row rendered from its cells, without the cache."""
    return get_template(ROW_TEMPLATE).render({"c": cells}).removesuffix("\n")


def fingerprint(cells: dict) -> str:
    # JSON in C, keys sorted; `_plain` is asked only for what JSON does not know (issue 15: the profile).
    text = json.dumps(cells, sort_keys=True, separators=(",", ":"), default=_plain)
    return hashlib.sha256(text.encode()).hexdigest()


def rows_prefix() -> str:
    # The admission's URL is made in the template from the pk: where the URLs lie is part of the key too.
    where = reverse("admission", args=[0])
    return (
        f"board-row:{_templates_version()}:{get_language()}:{timezone.get_current_timezone_name()}:{where}:"
    )


@cache
def _templates_version() -> str:
    sources = "\0".join(get_template(name).template.source for name in _SOURCES)
    return hashlib.sha256(sources.encode()).hexdigest()[:12]


def _plain(value):
    """Dates, times and dataclasses as plain data that says all they show; anything else is refused rather
    than kept under a text that could stay the same while what it shows changes (a lazy translation names
    no language, a model is shown by its pk)."""
    if isinstance(value, datetime | date):
        return [type(value).__name__, value.isoformat()]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, dataclasses.asdict(value)]
    raise TypeError(f"a board cell must be plain data, not {type(value).__name__}")
