"""`python manage.py load_timelines FILE|-`: record timelines (JSON Lines) through the services."""

import json
import sys

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from coordination import rules
from coordination.services import ServiceError, register_citizen
from coordination.timelines import TimelineRefused, Where, place, record_timeline, region_for_profile

from ._io import read_input


def load_line(obj: dict, *, now) -> None:
    """Record one timeline in its own transaction; raises with a Danish message when any part is refused."""
    if not isinstance(obj, dict):
        raise ServiceError("linjen er ikke et JSON-objekt")
    raw_where = obj.get("where")
    fields = ("hospital", "ward", "municipality", "cpr", "name")
    if not isinstance(raw_where, dict) or any(not isinstance(raw_where.get(f), str) for f in fields):
        raise ServiceError('"where" skal have hospital, ward, municipality, cpr og name som tekst')
    where = Where(**{f: raw_where[f] for f in fields})
    timeline = rules.parse_timeline({**obj, "now": obj.get("now") or now.isoformat()})
    with transaction.atomic():
        region = region_for_profile(timeline.profile)
        ward, municipality = place(where, region)
        citizen = register_citizen(cpr=where.cpr, name=where.name, municipality=municipality)
        record_timeline(timeline, ward, citizen, clock=now)


def load_lines(text: str, *, now=None, stderr=sys.stderr) -> tuple[int, int]:
    now = now or timezone.now()
    loaded = failed = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            load_line(json.loads(line), now=now)
            loaded += 1
        except json.JSONDecodeError as error:
            failed += 1
            stderr.write(f"linje {number}: ikke gyldig JSON: {error.msg}\n")
        except (rules.TimelineError, ServiceError, TimelineRefused) as error:
            failed += 1
            stderr.write(f"linje {number}: {error}\n")
    return loaded, failed


class Command(BaseCommand):
    help = "Indlæser tidslinjer (én JSON pr. linje) gennem tjenesterne; hver linje i sin egen transaktion."

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines-fil, eller - for standard input")

    def handle(self, *args, **options):
        loaded, failed = load_lines(read_input(options["file"]), stderr=self.stderr)
        # The result line on standard output; the failed lines were reported on standard error.
        self.stdout.write(f"loaded {loaded}, failed {failed}")
        if failed:
            raise SystemExit(1)
