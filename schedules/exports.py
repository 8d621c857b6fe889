"""The compliance figure as an Excel sheet, in the columns of the staff page; every cell
through casework.exports (no formula survives)."""

from __future__ import annotations

from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from casework.exports import Sheet, streamed_workbook, xlsx_response

from .selectors import LeaderMonth


def compliance_workbook(rows: list[LeaderMonth], *, year: int) -> HttpResponseBase:
    wb = streamed_workbook()
    ws = Sheet(wb, str(year))
    ws.append(
        [
            _("Leader"),
            _("Title"),
            _("Agency"),
            _("Kind of leader"),
            _("Month"),
            _("Required"),
            _("Held in person"),
            _("Delegated"),
            _("Ad-hoc"),
            _("Not held"),
            _("Scheduled"),
            _("Minimum met"),
            _("Legal basis"),
        ]
    )
    for row in rows:
        if row.required is None:
            result = _("as arranged")
        elif row.met:
            result = _("Met")
        else:
            result = _("In progress") if row.in_progress else _("Not met")
        ws.append(
            [
                row.name,
                row.title,
                row.agency,
                row.kind_label,
                row.month.strftime("%m/%Y"),
                row.required,
                row.held,
                row.delegated,
                row.ad_hoc,
                row.not_held,
                row.scheduled,
                result,
                row.legal_basis,
            ]
        )
    return xlsx_response(wb, f"tiep-cong-dan-toi-thieu-{year}.xlsx")
