"""`python manage.py load_timelines FILE|-`: record timelines (JSON Lines) through the services.

Each line is judged on its own, in its own transaction: a line that fails is reported on standard error with
its number and leaves nothing behind, and the next line is tried. The last line on standard output is
`loaded N, failed M`. Exit status (CONTRACTS.md): 0 when every line loaded; 1 when a line is a timeline but
the services refused one of its events (some of the work failed); 2 when a line is not a usable timeline
(not JSON, a wrong field, a name too long for its column, ...) or the input holds no timeline at all."""

import sys
from functools import partial

from django.core.management.base import BaseCommand
from django.db import DatabaseError, transaction
from django.utils import timezone

from coordination import rules
from coordination.services import ServiceError, register_citizen
from coordination.timelines import TimelineRefused, Where, place, record_timeline, region_for_profile

from ._io import decode_json, read_input
from ._parallel import default_jobs, in_processes

UNUSABLE, REFUSED = "unusable", "refused"


def load_line(obj: dict, *, now) -> None:
    """Record one timeline in its own transaction; raises with a Danish message when any part is refused."""
    if not isinstance(obj, dict):
        raise ServiceError("linjen er ikke et JSON-objekt")
    raw_where = obj.get("where")
    fields = ("hospital", "ward", "municipality", "cpr", "name")
    if not isinstance(raw_where, dict) or any(not isinstance(raw_where.get(f), str) for f in fields):
        raise ServiceError('"where" skal have hospital, ward, municipality, cpr og name som tekst')
    where = Where(**{f: raw_where[f] for f in fields})
    where.check()
    timeline = rules.parse_timeline({**obj, "now": obj.get("now") or now.isoformat()})
    with transaction.atomic():
        region = region_for_profile(timeline.profile)
        ward, municipality = place(where, region)
        citizen = register_citizen(cpr=where.cpr, name=where.name, municipality=municipality)
        record_timeline(timeline, ward, citizen, clock=now)


def judge_line(line: str, *, now) -> tuple[str | None, str]:
    """(None, "") when the line loaded, else (UNUSABLE or REFUSED, one Danish line saying why)."""
    try:
        load_line(decode_json(line), now=now)
    except TimelineRefused as error:
        return REFUSED, str(error)
    except (ValueError, ServiceError) as error:  # rules.TimelineError and the JSON's errors are ValueErrors
        return UNUSABLE, str(error).splitlines()[0] if str(error) else type(error).__name__
    except (DatabaseError, OverflowError, RecursionError, TypeError) as error:
        # Whatever the checks above missed: still one line for this line, and the next one is tried.
        return UNUSABLE, f"kan ikke indlæses ({type(error).__name__}: {str(error).splitlines()[0][:120]})"
    return None, ""


def load_lines(text: str, *, now=None, stderr=sys.stderr) -> tuple[int, int]:
    loaded, failed, _worst = load_lines_judged(text, now=now, stderr=stderr)
    return loaded, failed


def load_lines_judged(
    text: str, *, now=None, stderr=sys.stderr, jobs: int = 1
) -> tuple[int, int, str | None]:
    """Load every non-blank line (in `jobs` processes when that pays, _parallel.py); (loaded, failed, the
    worst failure: UNUSABLE, REFUSED or None)."""
    now = now or timezone.now()
    work = [(number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    failures = in_processes(work, partial(judge_line, now=now), jobs=jobs)
    worst = None
    for number, kind, why in failures:
        worst = UNUSABLE if UNUSABLE in (kind, worst) else kind
        stderr.write(f"linje {number}: {why}\n")
    return len(work) - len(failures), len(failures), worst


class Command(BaseCommand):
    help = "Indlæser tidslinjer (én JSON pr. linje) gennem tjenesterne; hver linje i sin egen transaktion."

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines-fil, eller - for standard input")
        parser.add_argument(
            "--jobs",
            type=int,
            default=default_jobs(),
            help="antal processer (standard: antal kerner); resultatet er det samme for alle antal",
        )

    def handle(self, *args, **options):
        loaded, failed, worst = load_lines_judged(
            read_input(options["file"]), stderr=self.stderr, jobs=options["jobs"]
        )
        if not loaded and not failed:
            self.stderr.write("ingen tidslinjer i input: filen er tom")
            worst = UNUSABLE
        # The result line on standard output; the failed lines were reported on standard error.
        self.stdout.write(f"loaded {loaded}, failed {failed}")
        if worst == UNUSABLE:
            raise SystemExit(2)
        if worst == REFUSED:
            raise SystemExit(1)
