"""What the two report commands share (CONTRACTS.md): the arguments, exit 2 with one line on unusable
input, and the output as CSV (a header, one row per group) or JSON (a list of objects with the same keys)."""

import csv
import json

from django.core.management.base import CommandError

from coordination.reports import ReportInputError, parse_by, parse_day


def add_report_arguments(parser, *, by_help: str, by_default: str) -> None:
    parser.add_argument("--from", dest="start", required=True, help="første dato (ÅÅÅÅ-MM-DD), medregnet")
    parser.add_argument("--to", dest="end", required=True, help="sidste dato (ÅÅÅÅ-MM-DD), medregnet")
    parser.add_argument("--by", default=by_default, help=by_help)
    parser.add_argument("--format", choices=["csv", "json"], default="csv")


def read_report_arguments(options, allowed: tuple[str, ...]):
    try:
        return (
            parse_day(options["start"], "--from"),
            parse_day(options["end"], "--to"),
            parse_by(options["by"], allowed),
        )
    except ReportInputError as error:
        raise CommandError(str(error), returncode=2) from error


def write_table(stdout, fmt: str, header: list[str], rows: list[list]) -> None:
    if fmt == "json":
        stdout.write(json.dumps([dict(zip(header, row, strict=True)) for row in rows], ensure_ascii=False))
        return
    writer = csv.writer(stdout, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
