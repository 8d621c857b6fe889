"""No text we put in a spreadsheet can become a formula (casework.exports)."""

import csv
import io
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from casework.exports import neutral_row, neutralise, neutralise_workbook
from dashboards.exports import COLUMNS, csv_text

ATTACK = '=HYPERLINK("http://evil.example/","Xem chi tiết")'


@pytest.mark.parametrize(
    "text", [ATTACK, "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", " =1", "＝1+1"]
)
def test_text_that_would_start_a_formula_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Sửa đường liên xã", "", 12, 0.5, None, "a=b"])
def test_other_values_are_left_as_they_are(value):
    assert neutralise(value) == value


def test_a_saved_workbook_holds_no_formula():
    wb = Workbook()
    wb.active.append([1, ATTACK, "Bình thường"])
    buffer = BytesIO()
    neutralise_workbook(wb).save(buffer)
    cells = next(load_workbook(buffer).active.iter_rows())
    assert [cell.data_type for cell in cells] == ["n", "s", "s"]
    assert cells[1].value == "'" + ATTACK


def test_the_dashboard_csv_neutralises_an_agency_name():
    row = {"label": ATTACK, "rank": 1, "ranked": True}
    row.update({key: 0 for key in _csv_keys()})
    text = csv_text([row])
    cells = list(csv.reader(io.StringIO(text)))[1]
    assert cells[1] == "'" + ATTACK
    assert neutral_row(["-x", 3]) == ["'-x", 3]


def _csv_keys():
    return [key for key, _part, _whole in COLUMNS] + [
        name for _key, part, whole in COLUMNS for name in (part, whole) if name
    ]
