"""The agency table of the dashboard as an Excel workbook or a CSV file.

Same rows, filters and order as the page. Excel gets a title (period, filters, time of
export), numbers as numbers and rates as percentages with one decimal; CSV is for
programs: one header row, then the rows, rates in per cent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from agencies.models import AdministrativeUnit, Agency
from casework import exports as casework_exports
from casework.exports import Sheet, Style, csv_lines, streamed_workbook
from petitions.models import Channel, Field, Kind
from recommendations.exports import print_layout, xlsx_attachment
from verdict import exports as verdict_columns

from .presentation import FIGURE
from .selectors import MIN_RANKED, Filters

# (row key, rate numerator, rate denominator); a numerator of None marks a count.
COLUMNS: list[tuple[str, str | None, str | None]] = [
    ("received", None, None),
    ("handled", None, None),
    ("handled_on_time", None, None),
    ("handled_on_time_rate", "handled_on_time", "handled"),
    ("pending_at_start", None, None),
    ("accepted", None, None),
    ("in_competence", None, None),
    ("resolved", None, None),
    ("resolution_rate", "resolved", "in_competence"),
    ("resolved_on_time", None, None),
    ("on_time_rate", "resolved_on_time", "resolved"),
    ("overdue", None, None),
]
BOLD = Font(bold=True)


def headers() -> list[str]:
    return [
        _("No."),
        _("Agency"),
        pgettext(FIGURE, "Received"),
        _("Handling decisions"),
        pgettext(FIGURE, "Handled on time"),
        _("Handled on time (%)"),
        _("Pending at the start"),
        pgettext(FIGURE, "Accepted"),
        pgettext(FIGURE, "In competence"),
        pgettext(FIGURE, "Resolved"),
        _("Resolution rate (%)"),
        pgettext(FIGURE, "Resolved on time"),
        _("On-time rate (%)"),
        _("Overdue at the end"),
        # The citizens' verdict beside the resolution figures.
        *verdict_columns.headers(),
        _("Rank"),
    ]


def _d(day: Any) -> str:
    return date_format(day, "d/m/Y")


def title(filters: Filters) -> str:
    return _("Petitions by agency, %(start)s – %(end)s") % {
        "start": _d(filters.start),
        "end": _d(filters.end),
    }


def describe(filters: Filters) -> str:
    """The narrowing in words, for the title rows (at most three small lookups)."""
    parts = []
    if filters.agency:
        name = Agency.objects.filter(pk=filters.agency).values_list("name", flat=True).first()
        parts.append(_("Agency: %(name)s") % {"name": name or filters.agency})
    for value, label, choices in (
        (filters.province, _("Province"), None),
        (filters.commune, _("Commune"), None),
        (filters.field, _("Field"), dict(Field.choices)),
        (filters.kind, _("Kind"), dict(Kind.choices)),
        (filters.channel, _("Channel"), dict(Channel.choices)),
    ):
        if not value:
            continue
        shown: object
        if choices is None:
            shown = (
                AdministrativeUnit.objects.filter(pk=value).values_list("name", flat=True).first()
            )
        else:
            shown = choices.get(str(value), value)
        parts.append(f"{label}: {shown or value}")
    return "; ".join(parts)


def _rank(row: dict[str, Any]) -> Any:
    return row["rank"] if row["ranked"] else _("too few to rank")


HEADER = Style(
    font=BOLD,
    fill=PatternFill("solid", fgColor="DDDDDD"),
    alignment=Alignment(wrap_text=True, vertical="center", horizontal="center"),
)
PERCENT = Style(number_format="0.0%")
HEADER_ROW = 4  # after the title, the time of export and the note on ranking


def _rate_columns() -> dict[int, Style]:
    """The sheet's columns (1-based) that hold a ratio, shown as a percentage."""
    ours = [index for index, (_key, part, _whole) in enumerate(COLUMNS, start=3) if part]
    theirs = [len(COLUMNS) + 3 + offset for offset in verdict_columns.RATE_COLUMNS]
    return dict.fromkeys(ours + theirs, PERCENT)


def workbook(rows: list[dict[str, Any]], filters: Filters) -> Workbook:
    wb = streamed_workbook()
    sheet = Sheet(wb, _("By agency"))
    # The number and the agency stay in view beside the figures.
    widths = [6, 48, *([14] * len(COLUMNS)), *([14] * len(verdict_columns.headers())), 16]
    print_layout(sheet.ws, widths, HEADER_ROW, first_free=3)
    exported = timezone.localtime()
    narrowing = describe(filters)
    sheet.append([title(filters)], Style(font=Font(bold=True, size=13)))
    sheet.append(
        [
            _("Exported at %(time)s on %(date)s.")
            % {"time": exported.strftime("%H:%M"), "date": _d(exported)}
            + (f" {narrowing}." if narrowing else "")
        ]
    )
    sheet.append(
        [
            _("Agencies with fewer than %(n)s cases in competence are listed but not ranked.")
            % {"n": MIN_RANKED}
        ]
    )
    sheet.append(headers(), HEADER)
    rates = _rate_columns()
    for number, row in enumerate(rows, start=1):
        values: list[Any] = [number, str(row["label"])]
        for key, part, whole in COLUMNS:
            if part is None or whole is None:
                values.append(row[key])
            else:
                # The exact ratio, shown by Excel as a percentage with one decimal.
                values.append(row[part] / row[whole] if row[whole] else None)
        values += verdict_columns.xlsx_values(row)
        values.append(_rank(row))
        sheet.append(values, columns=rates)
    return wb


def _filename(filters: Filters, extension: str) -> str:
    return f"don-thu-theo-co-quan_{filters.start:%d-%m-%Y}_{filters.end:%d-%m-%Y}.{extension}"


def xlsx_response(rows: list[dict[str, Any]], filters: Filters) -> HttpResponseBase:
    return xlsx_attachment(workbook(rows, filters), _filename(filters, "xlsx"))


def csv_rows(rows: list[dict[str, Any]]) -> Iterator[list[Any]]:
    """The header, then one line per agency (neutralised by casework.exports)."""
    yield headers()
    for number, row in enumerate(rows, start=1):
        values: list[Any] = [number, str(row["label"])]
        for key, part, _whole in COLUMNS:
            value = row[key]
            values.append("" if value is None else (f"{value:.1f}" if part else value))
        values += verdict_columns.csv_values(row)
        values.append(_rank(row))
        yield values


def csv_text(rows: list[dict[str, Any]]) -> str:
    return "".join(csv_lines(csv_rows(rows)))


def csv_response(rows: list[dict[str, Any]], filters: Filters) -> HttpResponseBase:
    # Written as the client reads it; the rows were read in the view (the replica's).
    return casework_exports.csv_response(csv_rows(rows), _filename(filters, "csv"))
