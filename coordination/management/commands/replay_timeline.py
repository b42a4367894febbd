"""`python manage.py replay_timeline FILE|-`: what would the agreement require here? (domain/REPLAY.md)

Unusable input of any kind (not JSON, nested 50,000 deep, a wrong field, a year outside 2000–2100, a NUL
character ...) exits 2 with one line on standard error and nothing on standard output."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from coordination import rules
from coordination.services import ServiceError
from coordination.timelines import replay

from ._io import decode_json, read_input


def _one_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class Command(BaseCommand):
    help = (
        "Afspiller én borgers tidslinje gennem tjenesterne (rulles tilbage) og skriver resultatet som JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON-fil med tidslinjen, eller - for standard input")

    def handle(self, *args, **options):
        text = read_input(options["file"])
        try:
            obj = decode_json(text, lines=True)
            timeline = rules.parse_timeline(obj)
            output = replay(timeline)
            printed = json.dumps(output, ensure_ascii=False, indent=2)
        except (
            ValueError,
            ServiceError,
        ) as error:  # rules.TimelineError and the JSON's errors are ValueErrors
            raise CommandError(_one_line(error), returncode=2) from error
        except (DatabaseError, OverflowError, RecursionError, TypeError) as error:
            # Whatever the checks missed is still unusable input: one line, never a traceback.
            raise CommandError(
                f"tidslinjen kan ikke afspilles ({type(error).__name__}: {_one_line(error)[:120]})",
                returncode=2,
            ) from error
        self.stdout.write(printed)
