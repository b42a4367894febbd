"""`python manage.py report_faerdigbehandling --from D --to D [--by hospital|municipality|…]
[--format csv|json]`: the R-MON-FB figures (CONTRACTS.md)."""

from django.core.management.base import BaseCommand, CommandError

from coordination.reports import ReportInputError, faerdigbehandling_rows
from coordination.reports.faerdigbehandling import FB_GROUPS

from ._report import add_report_arguments, read_report_arguments, write_table


class Command(BaseCommand):
    help = "Færdigbehandlede indlæggelser, færdigbehandlingsdage og gennemsnit pr. hospital og kommune."

    def add_arguments(self, parser):
        add_report_arguments(
            parser, by_help="hospital, municipality eller begge", by_default="hospital,municipality"
        )

    def handle(self, *args, **options):
        start, end, by = read_report_arguments(options, FB_GROUPS)
        try:
            rows = faerdigbehandling_rows(start, end, by=by)
        except ReportInputError as error:
            raise CommandError(str(error), returncode=2) from error
        header = [*by, "admissions", "days", "average_days"]
        table = [[*r.keys.values(), r.admissions, r.days, f"{r.average_days:.1f}"] for r in rows]
        if options["format"] == "json":
            table = [[*r.keys.values(), r.admissions, r.days, float(r.average_days)] for r in rows]
        write_table(self.stdout, options["format"], header, table)
        self.stderr.write(f"{len(rows)} rækker, {start} til og med {end}")
