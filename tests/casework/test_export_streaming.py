"""Issue 15, target 7: every export is written as it is read and streamed from a spooled
file or a generator, never held whole in memory — and still no cell is a formula."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from openpyxl.styles import Font

from casework import exports
from casework.exports import Sheet, Style, csv_response, streamed_workbook, xlsx_response

ATTACK = '=HYPERLINK("http://evil.example/","Xem chi tiết")'


def _written(rows):
    wb = streamed_workbook()
    sheet = Sheet(wb, "Trang tính có một cái tên dài hơn ba mươi mốt ký tự")
    sheet.ws.column_dimensions["A"].width = 20
    for row in rows:
        sheet.append(row, Style(font=Font(bold=True)), columns={3: Style(number_format="0.0%")})
    return xlsx_response(wb, "bao-cao.xlsx")


def test_a_streamed_sheet_neutralises_every_text_cell_and_keeps_numbers():
    response = _written([[1, ATTACK, 0.5], ["+1+2", "Bình thường", None]])
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    assert [cell.value for cell in cells] == [1, "'" + ATTACK, 0.5, "'+1+2", "Bình thường"]
    assert ws["A1"].font.bold and ws["C1"].number_format == "0.0%"
    assert ws.title == "Trang tính có một cái tên dài h"  # a sheet name has 31 characters


def test_a_workbook_is_streamed_from_a_file_in_blocks_not_held_by_the_response():
    response = _written([[n, f"Dòng {n}", n / 100] for n in range(3000)])
    assert response.streaming
    assert response["Content-Type"] == exports.XLSX
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao.xlsx"'
    size = int(response["Content-Length"])
    blocks = list(response.streaming_content)
    assert len(blocks) > 1 and max(len(b) for b in blocks) <= exports.BLOCK_BYTES
    body = b"".join(blocks)
    assert len(body) == size
    assert load_workbook(io.BytesIO(body)).active.max_row == 3000


def test_a_big_workbook_goes_to_disk_before_it_is_sent(monkeypatch):
    monkeypatch.setattr(exports, "SPOOL_BYTES", 1024)
    response = _written([[n, f"Dòng {n}"] for n in range(500)])
    assert response.file_to_stream._rolled  # the spooled file moved to a temporary file
    assert load_workbook(io.BytesIO(response.content)).active.max_row == 500


def test_the_csv_is_generated_as_it_is_read_with_a_byte_order_mark_and_no_formula():
    produced = []

    def rows():
        yield ["Cơ quan", "Số đơn"]
        for n in range(5000):
            produced.append(n)
            yield [ATTACK if n == 0 else f"Cơ quan {n}", n]

    response = csv_response(rows(), "bao-cao.csv")
    assert response.streaming and produced == []  # nothing is written before it is read
    blocks = iter(response.streaming_content)
    first = next(blocks)
    assert first.startswith("\ufeff".encode()) and 0 < len(produced) < 5000
    text = (first + b"".join(blocks)).decode("utf-8").lstrip("\ufeff")
    table = list(csv.reader(io.StringIO(text)))
    assert len(table) == 5001 and table[1][0] == "'" + ATTACK
