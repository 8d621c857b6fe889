"""Rates as official reports print them: one rounding rule for every figure.

Vietnamese official reports round half up ("làm tròn"), so 9 of 16 (56.25 %) reads
56.3 %, never 56.2 % — Python's round() and SQL ROUND on floats round half to even or
carry binary error, so every rate goes through `percent()`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def percent(part: int | None, whole: int | None, *, places: int = 1) -> float | None:
    """`part` of `whole` as a percentage rounded half up; None when `whole` is 0."""
    if not whole:
        return None
    exact = Decimal(part or 0) * 100 / Decimal(whole)
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def mean(total: int | float | None, count: int | None, *, places: int = 1) -> float | None:
    """The mean `total / count` rounded half up; None when nothing was counted."""
    if not count or total is None:
        return None
    exact = Decimal(str(total)) / Decimal(count)
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
