"""What every spreadsheet we hand out shares: no cell is a formula.

Text typed by citizens, officials or voters ends up in Excel exports, some public (the
session results). A cell whose text begins with `=`, `+`, `-` or `@` (or a tab or
carriage return before one) is read by Excel and LibreOffice as a formula, so
`=HYPERLINK("http://evil.example/", "Xem chi tiết")` in a recommendation would become a
live link in the council's own file. `neutralise` prefixes such text with an apostrophe
(OWASP's advice for CSV injection): the text reads as typed and is never evaluated.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Also the full-width forms, which some spreadsheet locales accept as the same sign.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def neutralise(value: Any) -> Any:
    """`value` as safe to put in a cell: text that could start a formula gets a
    leading apostrophe; numbers, dates and everything else stay as they are."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutral_row(values: Iterable[Any]) -> list[Any]:
    """A csv (or sheet) row with every text cell neutralised."""
    return [neutralise(value) for value in values]


def neutralise_workbook(wb: Workbook) -> Workbook:
    """Every cell of every sheet neutralised, just before the workbook is saved.

    openpyxl has already stored text that begins with `=` as a formula; writing the
    neutralised text back makes it a string cell again. Our exports write no formula
    of their own, so nothing legitimate is lost."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = neutralise(cell.value)
    return wb


def xlsx_response(wb: Workbook, filename: str) -> HttpResponse:
    """The workbook as a download named `filename` (ASCII), no cell of it a formula."""
    buffer = BytesIO()
    neutralise_workbook(wb).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
