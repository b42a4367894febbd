"""`python manage.py replay_timeline FILE|-`: what would the agreement require here? (domain/REPLAY.md)"""

import json

from django.core.management.base import BaseCommand, CommandError

from coordination import rules
from coordination.services import ServiceError
from coordination.timelines import replay

from ._io import read_input


class Command(BaseCommand):
    help = (
        "Afspiller én borgers tidslinje gennem tjenesterne (rulles tilbage) og skriver resultatet som JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON-fil med tidslinjen, eller - for standard input")

    def handle(self, *args, **options):
        text = read_input(options["file"])
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(
                f"ikke gyldig JSON: {error.msg} (linje {error.lineno})", returncode=2
            ) from error
        try:
            timeline = rules.parse_timeline(obj)
            output = replay(timeline)
        except (rules.TimelineError, ServiceError) as error:
            raise CommandError(str(error).splitlines()[0], returncode=2) from error
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))
