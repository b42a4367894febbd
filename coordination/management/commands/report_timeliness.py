"""`python manage.py report_timeliness --from D --to D [--by rule|owner|hospital|municipality,…]
[--format csv|json]`: the R-MON-TIMELY figures judged at the clock's time (CONTRACTS.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coordination.reports import ReportInputError, timeliness_rows
from coordination.reports.timeliness import TIMELY_GROUPS

from ._report import add_report_arguments, read_report_arguments, write_table


class Command(BaseCommand):
    help = "Rettidighed: forpligtelser med frist opfyldt til tiden, for sent, overskredet og åbne."

    def add_arguments(self, parser):
        add_report_arguments(
            parser, by_help="rule, owner, hospital, municipality (kommasepareret)", by_default="rule"
        )

    def handle(self, *args, **options):
        start, end, by = read_report_arguments(options, TIMELY_GROUPS)
        try:
            rows = timeliness_rows(start, end, now=timezone.now(), by=by)
        except ReportInputError as error:
            raise CommandError(str(error), returncode=2) from error
        header = [*by, "met", "late", "missed", "open"]
        table = [[*r.keys.values(), r.met, r.late, r.missed, r.open] for r in rows]
        write_table(self.stdout, options["format"], header, table)
        self.stderr.write(f"{len(rows)} rækker, frister {start} til og med {end}")
