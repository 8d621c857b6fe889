"""The Excel export of a session's results, in the layout councils use in their reports:
a national-motto header, a title, one row per recommendation grouped by field with
Roman-numeral headings, then the figures. No personal data (no deputies, no officials).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from casework.exports import XLSX as XLSX  # re-exported: read by tests and callers
from casework.exports import Sheet, Style, rows_of, streamed_workbook, xlsx_response

from . import selectors
from .models import CouncilSession, Field, Recommendation, ResultCategory

COLUMNS = 7
WIDTHS = [6, 48, 22, 26, 60, 20, 14]
SUMMARY_LENGTH = 800  # characters of each agency's answer in the summary column
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")
BOLD = Font(name="Times New Roman", bold=True, size=12)
NORMAL = Font(name="Times New Roman", size=12)


def print_layout(ws: Any, widths: list[int], header_row: int, *, first_free: int = 1) -> None:
    """Column widths, and print on A4 landscape one page wide with the header row on every
    page; on screen the header row (and the columns before `first_free`) stay in view.
    The dashboard's agency table prints the same way; its home would be casework.

    On a streamed sheet (casework.exports.Sheet) call it before the first row."""
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"{get_column_letter(first_free)}{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def xlsx_attachment(wb: Workbook, filename: str) -> HttpResponseBase:
    """The workbook as a download named `filename`, no cell of it a formula."""
    return xlsx_response(wb, filename)


def _d(day: Any) -> str:
    return date_format(day, "d/m/Y") if day else ""


def headers() -> list[str]:
    return [
        _("No."),
        _("Content of the recommendation"),
        _("Voters and locality"),
        _("Agency answering"),
        _("Summary of the answer"),
        _("Result"),
        _("Answered on time"),
    ]


def _voters_and_locality(item: Recommendation) -> str:
    voters = _("%(n)s voters") % {"n": item.voters_count}
    place = ", ".join(p for p in [item.locality, item.commune.name if item.commune else ""] if p)
    return f"{voters}\n{place}" if place else voters


def _answers(item: Recommendation) -> str:
    parts = []
    for forwarding in item.forwardings.all():
        answer = forwarding.accepted_answer
        if answer is None:
            parts.append(_("%(agency)s: not answered yet") % {"agency": forwarding.agency.name})
            continue
        text = (
            answer.text
            if len(answer.text) <= SUMMARY_LENGTH
            else answer.text[:SUMMARY_LENGTH] + "…"
        )
        parts.append(
            f"{forwarding.agency.name} ({answer.document_number}, {_d(answer.answered_on)}): {text}"
        )
    return "\n\n".join(parts)


def _on_time(item: Recommendation) -> str:
    if item.answered_on is None:
        return _("Not answered yet")
    return _("On time") if item.answered_on_time else _("Late")


def _result(item: Recommendation) -> str:
    if not item.result:
        return _("Awaiting the result")
    return str(ResultCategory(item.result).label)


CELL = Style(font=NORMAL, alignment=WRAP, border=BORDER)
NUMBER = Style(font=NORMAL, alignment=Alignment(vertical="top", horizontal="center"), border=BORDER)
HEADING = Style(font=BOLD, alignment=WRAP, border=BORDER)
HEADER = Style(
    font=BOLD, alignment=CENTRE, border=BORDER, fill=PatternFill("solid", fgColor="DDDDDD")
)
HEADER_ROW = 7  # after the motto, the title and the session's line (see the layout below)


def _merged(sheet: Sheet, text: str, *, font: Font = BOLD, align: Alignment = CENTRE) -> None:
    row = sheet.append([text], Style(font=font, alignment=align))
    sheet.merge(row, 1, COLUMNS)


def _items(session: CouncilSession) -> Iterable[Recommendation]:
    """The session's forwarded items in chunks, with the columns the sheet prints."""
    return rows_of(
        selectors.export_rows(session)
        .select_related(None)
        .select_related("commune")
        .only(*ITEM_FIELDS)
    )


# What a row prints of an item (its forwardings and answers come with the prefetch).
ITEM_FIELDS = (
    "field",
    "content",
    "locality",
    "voters_count",
    "answered_on",
    "answered_on_time",
    "result",
    "commune__name",
)


def session_results(session: CouncilSession) -> Workbook:
    """The workbook: one row per forwarded recommendation of the session (carried-over
    items included), grouped by field, then the session's figures.

    Streamed: the rows are read in chunks and written to disk as they come, so the
    largest session costs the memory of one chunk."""
    figures = selectors.session_figures(session)
    wb = streamed_workbook()
    sheet = Sheet(wb, _("Results"))
    print_layout(sheet.ws, WIDTHS, HEADER_ROW)
    motto = Style(font=BOLD, alignment=CENTRE)
    sheet.append(
        [session.council.name.upper(), "", "", "", _("SOCIALIST REPUBLIC OF VIETNAM")],
        columns={1: motto, 5: motto},
    )
    sheet.append(["", "", "", "", _("Independence – Freedom – Happiness")], columns={5: motto})
    for row in (1, 2):
        sheet.merge(row, 1, 3)
        sheet.merge(row, 5, 7)
    sheet.append([])
    _merged(
        sheet,
        _("RESULTS OF THE ANSWERS TO VOTER RECOMMENDATIONS").upper(),
        font=Font(name="Times New Roman", bold=True, size=14),
    )
    _merged(
        sheet,
        _("sent to %(session)s, %(council)s, %(term)s")
        % {"session": session.title, "council": session.council.name, "term": session.term},
        font=Font(name="Times New Roman", italic=True, size=12),
    )
    sheet.append([])
    sheet.append(headers(), HEADER)

    number, field, group = 0, None, -1
    field_labels = dict(Field.choices)
    for item in _items(session):
        if item.field != field:
            field, group = item.field, group + 1
            heading = f"{ROMAN[group] if group < len(ROMAN) else group + 1}. {field_labels[field]}"
            row = sheet.append([heading, "", "", "", "", "", ""], HEADING)
            sheet.merge(row, 1, COLUMNS)
        number += 1
        sheet.append(
            [
                number,
                item.content,
                _voters_and_locality(item),
                "\n".join(f.agency.name for f in item.forwardings.all()),
                _answers(item),
                _result(item),
                _on_time(item),
            ],
            CELL,
            columns={1: NUMBER},
        )
    if not number:
        _merged(sheet, _("No recommendation of this session has been forwarded yet."), font=NORMAL)

    sheet.append([])
    rate = figures.resolution_rate
    summary = [
        _("Forwarded: %(n)s") % {"n": figures.forwarded},
        _("Answered: %(n)s, of which on time: %(m)s")
        % {"n": figures.answered, "m": figures.answered_on_time},
        *[f"{label}: {count}" for _value, label, count in figures.by_category()],
        _("Resolution rate (resolved ÷ forwarded): %(rate)s")
        % {"rate": f"{str(rate).replace('.', ',')} %" if rate is not None else "—"},
        _("Exported on %(date)s.") % {"date": _d(timezone.localdate())},
    ]
    for line in summary:
        _merged(sheet, line, font=NORMAL, align=Alignment(horizontal="left"))
    return wb


def session_results_response(session: CouncilSession) -> HttpResponseBase:
    term = session.term
    name = f"ket-qua-kien-nghi-cu-tri-ky-hop-{session.number}-{term.start_year}-{term.end_year}"
    return xlsx_attachment(session_results(session), f"{name}.xlsx")
