"""The register as an Excel workbook in the columns of the official register (sổ tiếp
công dân: the old Mẫu 06-TCD's columns, TT 06/2014; the TT 04/2021 annex is unverified
in shared/reference, so the columns are the ones every version keeps). No cell is a
formula (casework.exports); a sealed visitor's identity is the mask, never the name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from casework import exports as casework_exports
from casework.exports import XLSX as XLSX  # re-exported: read by callers
from casework.exports import Sheet, Style, rows_of, streamed_workbook

from .identity import MASK, unseal
from .models import Outcome, Visit

WIDTHS = [6, 12, 34, 12, 46, 18, 24, 34, 26, 24]


def headers() -> list[str]:
    return [
        _("No."),
        _("Date of reception"),
        _("Full name, address, ID number"),
        _("Number of people"),
        _("Content of the matter"),
        _("Classification"),
        _("Received by"),
        _("Handling at the desk"),
        _("Follow-up of the result"),
        _("Notes"),
    ]


def _d(day: Any) -> str:
    return date_format(day, "d/m/Y") if day else ""


def _who(visit: Visit) -> str:
    if visit.is_sealed:
        return str(MASK)
    visitor = unseal(visit.identity)
    parts = [visitor.name, visitor.address]
    if visitor.id_number:
        parts.append(_("ID %(number)s") % {"number": visitor.id_number})
    return "\n".join(part for part in parts if part)


def _handling(visit: Visit) -> str:
    if not visit.outcome:
        return ""
    text = str(Outcome(visit.outcome).label)
    if visit.outcome == Outcome.GUIDED and visit.guided_to:
        text += f": {visit.guided_to}"
    elif visit.outcome == Outcome.REFUSED and visit.refusal_reason:
        text += f": {visit.get_refusal_reason_display()}"
    if visit.petition is not None:
        text += f" ({visit.petition.reference})"
    return text


def _follow_up(visit: Visit) -> str:
    if visit.answered_on:
        return _("Answered on %(day)s (due %(due)s)") % {
            "day": _d(visit.answered_on),
            "due": _d(visit.answer_due_on),
        }
    if visit.answer_due_on:
        return _("Answer due by %(due)s") % {"due": _d(visit.answer_due_on)}
    return ""


def _notes(visit: Visit) -> str:
    notes = []
    if visit.is_delegation:
        notes.append(
            _("Delegation: %(people)d people, %(reps)d representative(s)")
            % {"people": visit.people_count, "reps": visit.representatives_count}
        )
    if visit.matter is not None:
        notes.append(_("Same matter as %(ref)s") % {"ref": visit.matter.reference})
    if visit.booking_code:
        notes.append(_("Booking %(code)s") % {"code": visit.booking_code})
    return "\n".join(notes)


HEADER = Style(
    font=Font(bold=True),
    fill=PatternFill("solid", fgColor="DDDDDD"),
    alignment=Alignment(wrap_text=True, vertical="center", horizontal="center"),
)
CELL = Style(alignment=Alignment(wrap_text=True, vertical="top"))
HEADER_ROW = 3  # after the title and the day of export


def _layout(ws: Any) -> None:
    """Widths, frozen header and A4 landscape print — set before the first row, as a
    streamed sheet writes them with it."""
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _line(number: int, visit: Visit) -> list[Any]:
    receiver = visit.receiver_name
    if visit.leader_in_person:
        receiver += " — " + _("the head in person")
    return [
        number,
        _d(visit.visited_on),
        _who(visit),
        visit.people_count,
        f"{visit.subject}\n{visit.content}",
        visit.get_classification_display(),
        receiver,
        _handling(visit),
        _follow_up(visit),
        _notes(visit),
    ]


def workbook(visits: Iterable[Visit], title: str) -> Workbook:
    """The register, streamed: each visit is written to disk as it is read (a queryset
    in chunks), so a year of a busy desk costs the memory of one chunk."""
    wb = streamed_workbook()
    sheet = Sheet(wb, _("Reception register"))
    _layout(sheet.ws)
    sheet.append([title], Style(font=Font(bold=True, size=13)))
    exported = timezone.localtime()
    sheet.append([_("Exported on %(date)s.") % {"date": _d(exported)}])
    sheet.append(headers(), HEADER)
    for number, visit in enumerate(rows_of(visits), start=1):
        sheet.append(_line(number, visit), CELL)
    return wb


def xlsx_response(visits: Iterable[Visit], title: str, filename: str) -> HttpResponseBase:
    return casework_exports.xlsx_response(workbook(visits, title), filename)
