"""CSV files as spreadsheets open them, for every export of the application (attendance lists,
meeting load): UTF-8 with a byte order mark and ";" between fields, as Excel expects in Belgium,
and a text that a spreadsheet would run as a formula defused with a leading apostrophe."""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse

# A spreadsheet reads a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """VALUE as a cell: empty for None; a text that would start a formula (a title typed as
    "=HYPERLINK(…)") behind an apostrophe; numbers as they are, negative ones included."""
    text = "" if value is None else str(value)
    if isinstance(value, int | float | Decimal):
        return text
    return "'" + text if text.startswith(FORMULA_START) else text


def spreadsheet_csv(rows: Iterable[Iterable]) -> bytes:
    """ROWS (the header first) as a CSV file, each value through cell()."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(
        [cell(value) for value in row] for row in rows
    )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def csv_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
