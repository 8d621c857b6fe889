"""What can forbid a move on a reception day or a booking now, in words (the machines'
guards: each returns the reason, or None)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from casework import timekeeping


def already_confirmed(day: Any) -> str | None:
    return _("The leader has already confirmed this day.") if day.leader_confirmed_at else None


def already_delegated(day: Any) -> str | None:
    return _("This day is already delegated.") if day.delegate_name else None


def day_not_come(day: Any) -> str | None:
    if day.date > timekeeping.today():
        return _("The day has not come yet.")
    return None


def booking_day_passed(booking: Any) -> str | None:
    if booking.day.date < timekeeping.today():
        return _("The day of this booking has passed.")
    return None


def booking_day_not_come(booking: Any) -> str | None:
    return day_not_come(booking.day)
