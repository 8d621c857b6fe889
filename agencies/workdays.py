"""The working-day calendar: Vietnamese public holidays, weekends and admin-entered swaps.

`add_days()` is the one function every legal clock uses. It returns the due date
with the facts a page needs to explain it: days counted, days skipped and why,
and whether a calendar-day deadline was moved off a day off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import holidays
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

WEEKEND = "weekend"
HOLIDAY = "holiday"
EXTRA_DAY_OFF = "extra_day_off"
# Why days were added to a running clock (agencies.clocks.push_clock).
EXTENSION = "extension"
SUSPENSION = "suspension"


@lru_cache(maxsize=4)
def _public_holidays(language: str) -> holidays.HolidayBase:
    # The package expands to new years lazily as dates are looked up.
    return holidays.country_holidays("VN", language=language)


def _holiday_language() -> str:
    return "en_US" if (get_language() or "vi").startswith("en") else "vi"


@dataclass(frozen=True)
class Skipped:
    day: date
    reason: str  # WEEKEND, HOLIDAY or EXTRA_DAY_OFF
    name: str = ""

    def label(self) -> str:
        if self.reason == WEEKEND:
            return _("weekend")
        if self.reason == HOLIDAY:
            return _public_holidays(_holiday_language()).get(self.day) or self.name
        return self.name or _("day off")


class WorkCalendar:
    """Answers whether a day is worked, for a range of dates, with one query."""

    def __init__(self, overrides: dict[date, tuple[str, str]] | None = None) -> None:
        # date -> (CalendarDay.Kind value, name)
        self.overrides = overrides or {}

    @classmethod
    def load(cls, start: date, end: date) -> WorkCalendar:
        from .models import CalendarDay

        rows = CalendarDay.objects.filter(date__range=(start, end)).values_list(
            "date", "kind", "name"
        )
        return cls({d: (kind, name) for d, kind, name in rows})

    def non_working_reason(self, day: date) -> Skipped | None:
        override = self.overrides.get(day)
        if override is not None:
            kind, name = override
            return None if kind == "work" else Skipped(day, EXTRA_DAY_OFF, name)
        public = _public_holidays("vi")
        if day in public:
            return Skipped(day, HOLIDAY, public.get(day) or "")
        if public.is_working_day(day):
            return None
        return Skipped(day, WEEKEND)

    def is_working_day(self, day: date) -> bool:
        return self.non_working_reason(day) is None


@dataclass(frozen=True)
class Addition:
    """Days added to a running clock: an extension decided `on` a day, or the days a
    suspension lasted (`on` to `until`); counted on from the due date then in force."""

    reason: str  # EXTENSION or SUSPENSION
    days: int
    counted_from: date
    on: date | None = None
    until: date | None = None

    def as_list(self) -> list[Any]:
        return [
            self.reason,
            self.days,
            self.counted_from.isoformat(),
            self.on.isoformat() if self.on else None,
            self.until.isoformat() if self.until else None,
        ]

    @classmethod
    def from_list(cls, data: list[Any]) -> Addition:
        reason, days, counted_from, on, until = data
        return cls(
            reason,
            int(days),
            date.fromisoformat(counted_from),
            date.fromisoformat(on) if on else None,
            date.fromisoformat(until) if until else None,
        )

    def explain(self, *, working: bool) -> str:
        values = {
            "n": self.days,
            "from": date_format(self.counted_from, "d/m/Y"),
            "on": date_format(self.on, "d/m/Y") if self.on else "",
            "until": date_format(self.until, "d/m/Y") if self.until else "",
        }
        if self.reason == SUSPENSION:
            if working:
                text = ngettext(
                    "suspended from %(on)s to %(until)s: the %(n)d working day paused is "
                    "added, counted on from %(from)s",
                    "suspended from %(on)s to %(until)s: the %(n)d working days paused are "
                    "added, counted on from %(from)s",
                    self.days,
                )
            else:
                text = ngettext(
                    "suspended from %(on)s to %(until)s: the %(n)d calendar day paused is "
                    "added, counted on from %(from)s",
                    "suspended from %(on)s to %(until)s: the %(n)d calendar days paused are "
                    "added, counted on from %(from)s",
                    self.days,
                )
        elif working:
            text = ngettext(
                "extended on %(on)s by %(n)d working day, counted on from %(from)s",
                "extended on %(on)s by %(n)d working days, counted on from %(from)s",
                self.days,
            )
        else:
            text = ngettext(
                "extended on %(on)s by %(n)d calendar day, counted on from %(from)s",
                "extended on %(on)s by %(n)d calendar days, counted on from %(from)s",
                self.days,
            )
        return text % values


def _calendar_for(start: date, days: int, calendar: WorkCalendar | None) -> WorkCalendar:
    if calendar is not None:
        return calendar
    # Generous window: two weeks of holidays can hide inside any stretch (Tết).
    span = days * 2 + 30
    return WorkCalendar.load(start - timedelta(days=span), start + timedelta(days=span))


@dataclass(frozen=True)
class DueDate:
    """A computed deadline and the facts that explain it."""

    start: date
    days: int
    working: bool
    due: date
    skipped: tuple[Skipped, ...] = field(default=())
    shifted_from: date | None = None
    # What extensions and suspensions added to the period (`days` includes them).
    added: tuple[Addition, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        data = {
            "start": self.start.isoformat(),
            "days": self.days,
            "working": self.working,
            "due": self.due.isoformat(),
            "skipped": [[s.day.isoformat(), s.reason, s.name] for s in self.skipped],
            "shifted_from": self.shifted_from.isoformat() if self.shifted_from else None,
        }
        if self.added:
            data["added"] = [a.as_list() for a in self.added]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DueDate:
        return cls(
            start=date.fromisoformat(data["start"]),
            days=int(data["days"]),
            working=bool(data["working"]),
            due=date.fromisoformat(data["due"]),
            skipped=tuple(
                Skipped(date.fromisoformat(d), reason, name)
                for d, reason, name in data.get("skipped", [])
            ),
            shifted_from=(
                date.fromisoformat(data["shifted_from"]) if data.get("shifted_from") else None
            ),
            added=tuple(Addition.from_list(a) for a in data.get("added") or []),
        )

    def explain(self) -> str:
        """One sentence a citizen or an official can read, in the active language: the
        period counted, what was skipped and why, and what extensions and suspensions
        added to it."""
        period = self.days - sum(a.days for a in self.added)
        if self.working:
            counted = ngettext(
                "%(days)d working day counted from the day after %(start)s",
                "%(days)d working days counted from the day after %(start)s",
                self.days,
            )
        else:
            counted = ngettext(
                "%(days)d calendar day counted from the day after %(start)s",
                "%(days)d calendar days counted from the day after %(start)s",
                period,
            )
        parts = [counted % {"days": period, "start": date_format(self.start, "d/m/Y")}]
        if self.working:
            named = [s for s in self.skipped if s.reason != WEEKEND]
            weekends = len(self.skipped) - len(named)
            if weekends:
                parts.append(
                    ngettext("%(n)d weekend day skipped", "%(n)d weekend days skipped", weekends)
                    % {"n": weekends}
                )
            if named:
                listed = ", ".join(f"{date_format(s.day, 'd/m')} ({s.label()})" for s in named)
                parts.append(_("days off skipped: %(days)s") % {"days": listed})
        else:
            # Nothing is skipped in a calendar-day period; only its last day may move.
            parts.append(_("weekends and public holidays count as days of the period"))
        parts.extend(a.explain(working=self.working) for a in self.added)
        if self.shifted_from:
            # The days passed over at the end (older rows also kept earlier ones).
            why = ", ".join(
                dict.fromkeys(s.label() for s in self.skipped if s.day >= self.shifted_from)
            )
            moved = _(
                "the last day, %(day)s, is a day off, so the deadline moves to the next working day"
            ) % {"day": date_format(self.shifted_from, "d/m/Y")}
            parts.append(
                moved
                + " "
                + _("(%(why)s): %(due)s")
                % {"why": why or _("day off"), "due": date_format(self.due, "d/m/Y")}
            )
        return "; ".join(parts) + "."


def add_days(
    start: date, days: int, *, working: bool, calendar: WorkCalendar | None = None
) -> DueDate:
    """Add `days` working or calendar days to `start`; counting starts the next day.

    A calendar-day period whose last day is a day off ends on the next working day
    (Civil Code 2015, art. 148(5)).
    """
    if days < 0:
        raise ValueError("days must not be negative")
    cal = _calendar_for(start, days, calendar)
    skipped: list[Skipped] = []
    day = start
    if working:
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            reason = cal.non_working_reason(day)
            if reason is None:
                counted += 1
            else:
                skipped.append(reason)
        return DueDate(start, days, True, day, tuple(skipped))
    day = start + timedelta(days=days)
    shifted_from = None
    if days:
        reason = cal.non_working_reason(day)
        while reason is not None:
            shifted_from = shifted_from or day
            skipped.append(reason)
            day += timedelta(days=1)
            reason = cal.non_working_reason(day)
    return DueDate(start, days, False, day, tuple(skipped), shifted_from)


def subtract_working_days(end: date, days: int, *, calendar: WorkCalendar | None = None) -> date:
    """The first date from which at most `days` working days remain until `end`.

    That is the `days`-th working day before `end`: from it, exactly `days` working
    days lie in (date, end]; a weekend just before it would leave the same count,
    but the working day is the one an official sees the warning on.
    """
    cal = calendar or WorkCalendar.load(end - timedelta(days=days * 2 + 30), end)
    day = end
    counted = 0
    while counted < days:
        day -= timedelta(days=1)
        if cal.is_working_day(day):
            counted += 1
    return day


def next_working_day(day: date, *, calendar: WorkCalendar | None = None) -> date:
    """`day` itself when it is worked, else the first working day after it (a date a
    person chose that falls on a Sunday or in Tết, offered the day it would roll to)."""
    if day > date.max - timedelta(days=60):
        return day  # no calendar reaches that far: nothing to roll it to
    cal = calendar or WorkCalendar.load(day, day + timedelta(days=30))
    while not cal.is_working_day(day):
        day += timedelta(days=1)
    return day


def working_days_between(first: date, last: date, *, calendar: WorkCalendar | None = None) -> int:
    """Working days in the half-open range (first, last]."""
    if last <= first:
        return 0
    cal = calendar or WorkCalendar.load(first, last)
    return sum(
        1
        for offset in range(1, (last - first).days + 1)
        if cal.is_working_day(first + timedelta(days=offset))
    )


def long_overdue_after(due: DueDate, *, calendar: WorkCalendar | None = None) -> date:
    """A clock is long overdue once it is past due by half its period again.

    The boundary is an escalation of ours, not a legal time limit: the Civil Code's
    roll-forward off a day off (art. 148(5)) moves only the legal due date, so a
    calendar-day boundary inside Tết stays where it falls. Working days count in
    their own unit.
    """
    half = math.ceil(due.days / 2)
    if not due.working:
        return due.due + timedelta(days=half)
    return add_days(due.due, half, working=True, calendar=calendar).due
