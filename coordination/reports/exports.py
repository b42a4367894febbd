"""Every table as CSV or XLSX. A cell that begins with = + - @ (or a tab or carriage return) is prefixed with
an apostrophe, so a spreadsheet never reads text from the record as a formula (formula injection)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import xlsxwriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([[safe_cell(c) for c in row] for row in rows])
    return out.getvalue()


def to_xlsx(title: str, header: list[str], rows: list[list]) -> bytes:
    out = io.BytesIO()
    # Strings are never turned into formulas or numbers by guessing; numbers stay numbers.
    book = xlsxwriter.Workbook(
        out, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    )
    sheet = book.add_worksheet(title[:31])
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, [safe_cell(h) for h in header], bold)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, Decimal):
                sheet.write_number(r, c, float(value))
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, "" if value is None else str(safe_cell(value)))
    book.close()
    return out.getvalue()
