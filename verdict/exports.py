"""The verdict columns of the dashboards' agency exports (after their own columns):
resolved but disputed, reopened, response rate, and the mean with its count."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .selectors import EMPTY

# Positions (0-based, among these columns) that are ratios shown as percentages.
RATE_COLUMNS = (3,)


def headers() -> list[str]:
    return [
        _("Resolved but disputed by the citizen"),
        _("Reopened by the citizen"),
        _("Citizens' opinions"),
        _("Response rate (%)"),
        _("Satisfaction (mean, 1–5)"),
        _("Satisfaction answers"),
    ]


def _figures(row: dict[str, Any]) -> dict[str, Any]:
    return row.get("verdict") or EMPTY


def xlsx_values(row: dict[str, Any]) -> list[Any]:
    """Counts as numbers, the response rate as the exact ratio (Excel shows 0.0 %)."""
    v = _figures(row)
    ratio = v["answered"] / v["resolutions"] if v["resolutions"] else None
    return [
        v["disputed"],
        v["reopened"],
        v["answered"],
        ratio,
        v["satisfaction_mean"],
        v["satisfaction_count"],
    ]


def csv_values(row: dict[str, Any]) -> list[Any]:
    v = _figures(row)
    rate, mean = v["response_rate"], v["satisfaction_mean"]
    return [
        v["disputed"],
        v["reopened"],
        v["answered"],
        "" if rate is None else f"{rate:.1f}",
        "" if mean is None else f"{mean:.1f}",
        v["satisfaction_count"],
    ]
