"""`python manage.py sweep_reminders [--now ISO]`: the sweep that Celery beat runs every minute, once.

CONTRACTS.md: prints one line `created N reminders`; run again at the same --now it creates 0."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coordination import reminders


def parse_now(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as error:
        message = f"--now skal være et ISO-tidspunkt, fx 2026-02-03T13:00+01:00: {text!r}"
        raise CommandError(message, returncode=2) from error
    if timezone.is_naive(value):  # a wall-clock time without offset means Copenhagen time
        value = timezone.make_aware(value, reminders.CPH)
    return value


class Command(BaseCommand):
    help = "Lav de påmindelser, der er kommet til (samme sweep som Celery beat kører hvert minut)."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="bedøm fristerne på dette tidspunkt (ISO 8601); standard: uret")

    def handle(self, *args, **options):
        now = parse_now(options["now"]) if options["now"] else timezone.now()
        created = reminders.sweep(now)
        self.stdout.write(f"created {created} reminders")
