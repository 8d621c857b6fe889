"""What every spreadsheet we hand out shares: no cell is a formula.

Text typed by citizens, officials or voters ends up in Excel exports, some public (the
session results). A cell whose text begins with `=`, `+`, `-` or `@` (or a tab or
carriage return before one) is read by Excel and LibreOffice as a formula, so
`=HYPERLINK("http://evil.example/", "Xem chi tiết")` in a recommendation would become a
live link in the council's own file. `neutralise` prefixes such text with an apostrophe
(OWASP's advice for CSV injection): the text reads as typed and is never evaluated.

Exports are streamed (issue 15: every export stays under 200 MB at 3 million petitions):
rows come from querysets in chunks (`rows_of`), go into write-only sheets that keep no
row in memory (`Sheet`, which also neutralises each value), and the saved workbook is
sent from a spooled temporary file (`xlsx_response`); a CSV is produced by a generator
as the client reads it (`csv_response`). Measured by `python -m bench.exports`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from tempfile import SpooledTemporaryFile
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows fetched per round trip by the exports' querysets (`rows_of`): a chunk of model
# rows, their prefetched relations and one block of the sheet are all that is in memory.
CHUNK_ROWS = 2000
# A workbook up to this size is kept in memory; a bigger one moves to a temporary file
# on disk, from which the response streams it.
SPOOL_BYTES = 4 * 1024 * 1024
BLOCK_BYTES = 64 * 1024  # bytes per chunk of a streamed download

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


def rows_of(items: Iterable[Any]) -> Iterable[Any]:
    """`items` one chunk at a time when it is a queryset (its prefetches run per chunk),
    so an export of a year of cases never holds the year's model rows at once."""
    if isinstance(items, QuerySet):
        return items.iterator(chunk_size=CHUNK_ROWS)
    return items


@dataclass(frozen=True)
class Style:
    """What a cell of a streamed sheet may carry; `Sheet.append` applies it per cell."""

    font: Any = None
    fill: Any = None
    alignment: Any = None
    border: Any = None
    number_format: str | None = None


class Sheet:
    """A write-only worksheet (openpyxl `write_only=True`): each row goes to disk when
    appended, so a sheet of a million rows costs the memory of one.

    Every value is neutralised on the way in (a cell can never become a formula, the
    guarantee `neutralise_workbook` gives a built workbook). Column widths, frozen panes
    and the print layout must be set before the first row: the sheet's head is written
    with it."""

    def __init__(self, wb: Workbook, title: str) -> None:
        self.ws = wb.create_sheet(title[:31])
        self.rows = 0

    def append(
        self,
        values: Iterable[Any],
        style: Style | None = None,
        *,
        columns: dict[int, Style] | None = None,
    ) -> int:
        """Write one row; `style` for every cell, `columns` (1-based) for some. Returns
        the row's number."""
        cells: list[Any] = []
        for index, value in enumerate(values, start=1):
            chosen = (columns or {}).get(index, style)
            safe = neutralise(value)
            if chosen is None:
                cells.append(safe)
                continue
            cell = WriteOnlyCell(self.ws, value=safe)
            if chosen.font is not None:
                cell.font = chosen.font
            if chosen.fill is not None:
                cell.fill = chosen.fill
            if chosen.alignment is not None:
                cell.alignment = chosen.alignment
            if chosen.border is not None:
                cell.border = chosen.border
            if chosen.number_format is not None:
                cell.number_format = chosen.number_format
            cells.append(cell)
        self.ws.append(cells)
        self.rows += 1
        return self.rows

    def merge(self, row: int, first: int, last: int) -> None:
        """Merge columns `first`…`last` of `row` (written with the sheet's tail)."""
        self.ws.merged_cells.add(f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}")


def streamed_workbook() -> Workbook:
    """A write-only workbook, its rows written as they come (see `Sheet`)."""
    return Workbook(write_only=True)


class _ReadableDownload:
    """`content` for callers that want the whole body (tests, an e-mail attachment).

    Middleware and the WSGI server see a streaming response (`streaming = True`) and read
    it block by block; only a caller that asks for `content` joins the blocks, once."""

    _body: bytes | None = None

    @property
    def content(self) -> bytes:
        if self._body is None:
            self._body = b"".join(self.streaming_content)  # type: ignore[attr-defined]
        return self._body


# Our `content` replaces the base class's, which only raises (hence the ignores).
class FileDownload(_ReadableDownload, FileResponse):  # type: ignore[misc]
    """A file (a spooled temporary file) streamed as an attachment and closed after."""


class StreamedDownload(_ReadableDownload, StreamingHttpResponse):  # type: ignore[misc]
    """A body produced by a generator as the client reads it (the CSV exports)."""


def xlsx_response(wb: Workbook, filename: str) -> FileDownload:
    """The workbook as a download named `filename` (ASCII), no cell of it a formula.

    The workbook is saved into a spooled temporary file (memory up to `SPOOL_BYTES`, then
    disk) and streamed from it: the response never holds the file's bytes. A workbook
    built in memory is neutralised here; a streamed one (`Sheet`) was, row by row."""
    if not wb.write_only:
        neutralise_workbook(wb)
    spool = SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by the response
    wb.save(spool)
    spool.seek(0)
    response = FileDownload(spool, content_type=XLSX)
    response.block_size = BLOCK_BYTES
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Echo:
    """The file a csv writer writes to: it hands each line back instead."""

    def write(self, line: str) -> str:
        return line


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Each row as one CSV line, every text cell neutralised."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(neutral_row(row))


def _blocks(lines: Iterable[str]) -> Iterator[bytes]:
    # The byte-order mark lets Excel open the UTF-8 file with its diacritics intact;
    # lines are gathered into blocks so the client gets a few large writes, not many.
    block: list[str] = ["\ufeff"]
    size = 0
    for line in lines:
        block.append(line)
        size += len(line)
        if size >= BLOCK_BYTES:
            yield "".join(block).encode()
            block, size = [], 0
    if block:
        yield "".join(block).encode()


def csv_response(rows: Iterable[Iterable[Any]], filename: str) -> StreamedDownload:
    """`rows` (the header first) as a CSV download written while the client reads it."""
    response = StreamedDownload(_blocks(csv_lines(rows)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
