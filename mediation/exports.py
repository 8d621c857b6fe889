"""The mediation register (sổ theo dõi hoạt động hòa giải ở cơ sở) as an Excel file.

The parties are named, as in the paper register; their contacts never leave the
portal. Every cell goes through casework.exports (no cell is a formula).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.http.response import HttpResponseBase
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from casework.exports import Sheet, Style, rows_of, streamed_workbook, xlsx_response

from .models import MediationCase, Team

WIDTHS = [6, 12, 30, 40, 16, 22, 24, 28, 20]
WRAP = Alignment(wrap_text=True, vertical="top")
CELL = Style(alignment=WRAP)


def _d(day: date | None) -> str:
    return date_format(day, "d/m/Y") if day else ""


def headers() -> list[str]:
    return [
        _("No."),
        _("Requested on"),
        _("Parties"),
        _("What the dispute is about"),
        _("Field"),
        _("Mediator"),
        _("Sessions"),
        _("Result"),
        _("Follow-up"),
    ]


def row(number: int, case: MediationCase) -> list[Any]:
    """One register line: what the paper register asks (Điều 21)."""
    sessions = "; ".join(f"{_d(s.held_on)} — {s.place}" for s in case.sessions.all())
    result = case.get_status_display()
    if case.concluded_on:
        result = f"{case.get_outcome_display()} ({_d(case.concluded_on)})"
    follow = (
        f"{case.get_performance_display()} ({_d(case.followed_up_on)})" if case.performance else ""
    )
    return [
        number,
        _d(case.requested_on),
        "\n".join(p.name for p in case.parties.all()),
        f"{case.reference}: {case.subject}",
        case.get_field_display(),
        case.mediator.full_name if case.mediator else "",
        sessions,
        result,
        follow,
    ]


def register_workbook(
    team: Team, cases: Iterable[MediationCase], start: date, end: date
) -> Workbook:
    """The register, streamed: a queryset is read in chunks (its parties and sessions
    prefetched per chunk) and each line written to disk as it comes."""
    wb = streamed_workbook()
    sheet = Sheet(wb, _("Register"))
    for index, width in enumerate(WIDTHS):
        sheet.ws.column_dimensions[chr(ord("A") + index)].width = width
    sheet.ws.page_setup.orientation = "landscape"
    sheet.append([_("Mediation register — %(team)s") % {"team": team.name}])
    sheet.append([_("From %(start)s to %(end)s") % {"start": _d(start), "end": _d(end)}])
    sheet.append(headers(), Style(font=Font(bold=True)))
    for number, case in enumerate(rows_of(cases), start=1):
        sheet.append(row(number, case), CELL)
    return wb


def register_response(
    team: Team, cases: Iterable[MediationCase], start: date, end: date
) -> HttpResponseBase:
    filename = f"so-hoa-giai-{team.pk}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    return xlsx_response(register_workbook(team, cases, start, end), filename)
