"""The Excel export of a session's results, in the layout councils use in their reports:
a national-motto header, a title, one row per recommendation grouped by field with
Roman-numeral headings, then the figures. No personal data (no deputies, no officials).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from casework.exports import XLSX as XLSX  # re-exported: read by tests and callers
from casework.exports import xlsx_response

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


def print_layout(ws: Worksheet, widths: list[int], header_row: int, *, first_free: int = 1) -> None:
    """Column widths, and print on A4 landscape one page wide with the header row on every
    page; on screen the header row (and the columns before `first_free`) stay in view.
    The dashboard's agency table prints the same way; its home would be casework."""
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = ws.cell(header_row + 1, first_free)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def xlsx_attachment(wb: Workbook, filename: str) -> HttpResponse:
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


def _row(ws: Worksheet, values: list[Any], *, font: Font = NORMAL, align: Alignment = WRAP) -> None:
    ws.append(values)
    for cell in ws[ws.max_row]:
        cell.font, cell.alignment, cell.border = font, align, BORDER


def _merged(ws: Worksheet, text: str, *, font: Font = BOLD, align: Alignment = CENTRE) -> None:
    ws.append([text])
    row = ws.max_row
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=COLUMNS)
    ws.cell(row, 1).font, ws.cell(row, 1).alignment = font, align


def session_results(session: CouncilSession) -> Workbook:
    """The workbook: one row per forwarded recommendation of the session (carried-over
    items included), grouped by field, then the session's figures."""
    figures = selectors.session_figures(session)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Results")[:31]

    ws.append([session.council.name.upper(), "", "", "", _("SOCIALIST REPUBLIC OF VIETNAM")])
    ws.append(["", "", "", "", _("Independence – Freedom – Happiness")])
    ws.merge_cells("A1:C1")
    ws.merge_cells("A2:C2")
    ws.merge_cells("E1:G1")
    ws.merge_cells("E2:G2")
    for cell in ("A1", "E1", "E2"):
        ws[cell].font, ws[cell].alignment = BOLD, CENTRE
    ws.append([])
    _merged(
        ws,
        _("RESULTS OF THE ANSWERS TO VOTER RECOMMENDATIONS").upper(),
        font=Font(name="Times New Roman", bold=True, size=14),
    )
    _merged(
        ws,
        _("sent to %(session)s, %(council)s, %(term)s")
        % {"session": session.title, "council": session.council.name, "term": session.term},
        font=Font(name="Times New Roman", italic=True, size=12),
    )
    ws.append([])
    _row(ws, headers(), font=BOLD, align=CENTRE)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.fill = PatternFill("solid", fgColor="DDDDDD")

    number, field, group = 0, None, -1
    field_labels = dict(Field.choices)
    for item in selectors.export_rows(session):
        if item.field != field:
            field, group = item.field, group + 1
            heading = f"{ROMAN[group] if group < len(ROMAN) else group + 1}. {field_labels[field]}"
            _row(ws, [heading, "", "", "", "", "", ""], font=BOLD)
            ws.merge_cells(
                start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=COLUMNS
            )
        number += 1
        _row(
            ws,
            [
                number,
                item.content,
                _voters_and_locality(item),
                "\n".join(f.agency.name for f in item.forwardings.all()),
                _answers(item),
                _result(item),
                _on_time(item),
            ],
        )
        ws.cell(ws.max_row, 1).alignment = Alignment(vertical="top", horizontal="center")
    if not number:
        _merged(ws, _("No recommendation of this session has been forwarded yet."), font=NORMAL)

    ws.append([])
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
        _merged(ws, line, font=NORMAL, align=Alignment(horizontal="left"))

    print_layout(ws, WIDTHS, header_row)
    return wb


def session_results_response(session: CouncilSession) -> HttpResponse:
    term = session.term
    name = f"ket-qua-kien-nghi-cu-tri-ky-hop-{session.number}-{term.start_year}-{term.end_year}"
    return xlsx_attachment(session_results(session), f"{name}.xlsx")
