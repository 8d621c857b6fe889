"""What day it is for a change: today, or a past day being recorded.

A paper register entered weeks later, or the demo province built from a year of
history, records each change on the day it happened: inside `as_of(day)` every
service of every case machine reads `today()` and `now()` as that day, events carry
that time, clocks start then, and nobody is told (`telling()` is False) — history is
not news. Outside it, they are the wall clock's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

_as_of: ContextVar[date | None] = ContextVar("casework_as_of", default=None)


@contextmanager
def as_of(day: date) -> Iterator[None]:
    """Record the changes made inside the block as if they happened on `day`."""
    token = _as_of.set(day)
    try:
        yield
    finally:
        _as_of.reset(token)


def recording_past() -> bool:
    return _as_of.get() is not None


def today() -> date:
    return _as_of.get() or timezone.localdate()


def now() -> datetime:
    day = _as_of.get()
    if day is None:
        return timezone.now()
    # Keep the order of same-day events: office hours plus the wall clock's seconds.
    tz = timezone.get_current_timezone()
    moment = timezone.now().astimezone(tz)
    return datetime.combine(
        day, time(8 + moment.hour % 9, moment.minute, moment.second, moment.microsecond), tzinfo=tz
    )


def telling() -> bool:
    """Whether a change should tell anyone: not when it is history being recorded."""
    return _as_of.get() is None


def tell(callback: Callable[[], object]) -> None:
    """Write a change's notices (outbox rows, in the change's transaction) unless the
    change is history recorded on a past date."""
    if telling():
        callback()


# The dates a case may carry: none before the portal's oldest records, none further
# ahead than a deadline may run. Outside, a date is a typo (0001-01-01, 9999-12-31)
# that would be stored, or overflow the working-day arithmetic (a server error).
EARLIEST_DATE = date(2000, 1, 1)
YEARS_AHEAD = 5


def latest_date() -> date:
    day = today()
    if (day.month, day.day) == (2, 29):  # five years on is not a leap year
        day = day.replace(day=28)
    return day.replace(year=day.year + YEARS_AHEAD)


def check_plausible(**days: date | None) -> None:
    """Raise ValidationError naming each of `days` (field=date) outside
    EARLIEST_DATE..today + YEARS_AHEAD years; None is left to the caller."""
    start, end = EARLIEST_DATE, latest_date()
    errors = {
        field: _("Enter a date between %(start)s and %(end)s.")
        % {
            "start": date_format(start, "SHORT_DATE_FORMAT"),
            "end": date_format(end, "SHORT_DATE_FORMAT"),
        }
        for field, day in days.items()
        if day is not None and not start <= day <= end
    }
    if errors:
        raise ValidationError(errors)
