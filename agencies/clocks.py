"""Legal clocks: the policy in force, the due date, and the phase a clock is in.

A clock is stored on its case as four dates (start, due soon from, due, long overdue
after) plus the explanation of the due date, so that phases, reminders and figures
are plain date comparisons in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import models
from django.db.models import Case, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import DeadlinePolicy
from .workdays import (
    EXTENSION,
    Addition,
    DueDate,
    WorkCalendar,
    add_days,
    long_overdue_after,
    subtract_working_days,
)


class Phase(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    LONG_OVERDUE = "long_overdue", _("Long overdue")


class NoPolicy(LookupError):
    pass


def policy_in_force(key: str, on: date) -> DeadlinePolicy:
    """The policy row for `key` whose effective date is the latest on or before `on`."""
    policy = (
        DeadlinePolicy.objects.filter(key=key, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
    if policy is None:
        raise NoPolicy(f"No deadline policy {key!r} in force on {on:%d/%m/%Y}")
    return policy


def period_text(days: int, *, working: bool) -> str:
    """A period as a page states it: "7 working days", "30 days"."""
    if working:
        return ngettext("%(n)d working day", "%(n)d working days", days) % {"n": days}
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


def policy_in_force_or_none(key: str, on: date) -> DeadlinePolicy | None:
    try:
        return policy_in_force(key, on)
    except NoPolicy:
        return None


@dataclass(frozen=True)
class Clock:
    """A running clock: its policy, due date with explanation, and phase boundaries."""

    policy_key: str
    due: DueDate
    due_soon_on: date
    long_overdue_on: date

    @property
    def due_on(self) -> date:
        return self.due.due

    def phase(self, today: date) -> Phase:
        return phase_on(
            today,
            due_soon_on=self.due_soon_on,
            due_on=self.due_on,
            long_overdue_on=self.long_overdue_on,
        )

    def as_fields(self, prefix: str) -> dict[str, Any]:
        """The model fields a case stores for this clock, named `<prefix>_…`."""
        return {
            f"{prefix}_due_on": self.due_on,
            f"{prefix}_due_soon_on": self.due_soon_on,
            f"{prefix}_long_overdue_on": self.long_overdue_on,
            f"{prefix}_rule": {"policy": self.policy_key, **self.due.as_dict()},
        }


def _bounds(due: DueDate, due_soon_days: int, calendar: WorkCalendar | None) -> tuple[date, date]:
    return (
        subtract_working_days(due.due, due_soon_days, calendar=calendar),
        long_overdue_after(due, calendar=calendar),
    )


def start_clock(
    key: str,
    start: date,
    *,
    complex_case: bool = False,
    remote: bool = False,
    calendar: WorkCalendar | None = None,
) -> Clock:
    """Start the clock `key` on `start` with the policy in force that day."""
    policy = policy_in_force(key, start)
    days = policy.days_for(complex_case=complex_case, remote=remote)
    due = add_days(start, days, working=policy.working_days, calendar=calendar)
    soon, late = _bounds(due, policy.due_soon_days, calendar)
    return Clock(key, due, soon, late)


def push_clock(
    clock: Clock,
    days: int,
    *,
    reason: str = EXTENSION,
    on: date | None = None,
    until: date | None = None,
    calendar: WorkCalendar | None = None,
) -> Clock:
    """The same clock with `days` more: an extension decided `on` a day (`reason`
    EXTENSION), or the days a suspension lasted from `on` to `until` (SUSPENSION).

    The new due date counts from the old one in the clock's own unit, and the due date
    keeps what was added and why, for its explanation; "due soon" starts the policy's
    own `due_soon_days` before it (the policy in force when it started).
    """
    due_soon_days = policy_in_force(clock.policy_key, clock.due.start).due_soon_days
    pushed = add_days(clock.due.due, days, working=clock.due.working, calendar=calendar)
    # Working days skip days off all along; a calendar-day period skips none, and only
    # its last day may have moved off a day off (the new one: the old end is passed).
    skipped = clock.due.skipped + pushed.skipped if clock.due.working else pushed.skipped
    due = DueDate(
        start=clock.due.start,
        days=clock.due.days + days,
        working=clock.due.working,
        due=pushed.due,
        skipped=skipped,
        shifted_from=pushed.shifted_from,
        added=(*clock.due.added, Addition(reason, days, clock.due.due, on, until)),
    )
    soon, late = _bounds(due, due_soon_days, calendar)
    return Clock(clock.policy_key, due, soon, late)


def clock_from_fields(obj: Any, prefix: str) -> Clock | None:
    rule = getattr(obj, f"{prefix}_rule", None)
    if not rule:
        return None
    return Clock(
        policy_key=rule["policy"],
        due=DueDate.from_dict(rule),
        due_soon_on=getattr(obj, f"{prefix}_due_soon_on"),
        long_overdue_on=getattr(obj, f"{prefix}_long_overdue_on"),
    )


def phase_on(today: date, *, due_soon_on: date, due_on: date, long_overdue_on: date) -> Phase:
    if today > long_overdue_on:
        return Phase.LONG_OVERDUE
    if today > due_on:
        return Phase.OVERDUE
    if today >= due_soon_on:
        return Phase.DUE_SOON
    return Phase.ON_TRACK


def phase_expression(prefix: str, today: date) -> Case:
    """The phase of clock `<prefix>` computed in the database (for filters and figures)."""
    return Case(
        When(**{f"{prefix}_due_on__isnull": True}, then=Value("")),
        When(**{f"{prefix}_long_overdue_on__lt": today}, then=Value(Phase.LONG_OVERDUE.value)),
        When(**{f"{prefix}_due_on__lt": today}, then=Value(Phase.OVERDUE.value)),
        When(**{f"{prefix}_due_soon_on__lte": today}, then=Value(Phase.DUE_SOON.value)),
        default=Value(Phase.ON_TRACK.value),
        output_field=models.CharField(),
    )


def phase_filter(prefix: str, phase: str, today: date) -> models.Q:
    """A Q selecting clocks `<prefix>` in `phase` today — index-friendly range filters."""
    due, soon, late = f"{prefix}_due_on", f"{prefix}_due_soon_on", f"{prefix}_long_overdue_on"
    if phase == Phase.LONG_OVERDUE:
        return models.Q(**{f"{late}__lt": today})
    if phase == Phase.OVERDUE:
        return models.Q(**{f"{due}__lt": today, f"{late}__gte": today})
    if phase == Phase.DUE_SOON:
        return models.Q(**{f"{soon}__lte": today, f"{due}__gte": today})
    if phase == Phase.ON_TRACK:
        return models.Q(**{f"{soon}__gt": today})
    return models.Q(pk__in=[])


# --- reminder steps: what a running clock has to say today -------------------------------

DUE_SOON, DUE_TODAY, OVERDUE, LONG_OVERDUE = "due_soon", "due_today", "overdue", "long_overdue"


@dataclass(frozen=True)
class ReminderStep:
    stage: str
    next_on: date | None  # when the following step falls due; None when nothing is left


def reminder_step(
    today: date, *, due_soon_on: date | None, due_on: date | None, long_overdue_on: date | None
) -> ReminderStep | None:
    """The reminder a clock calls for today, and the date of the one after it.

    Stages: due soon, due today, overdue (the day after), long overdue. A sweep that
    missed days sends only the stage the clock is in now.
    """
    if due_on is None or due_soon_on is None or long_overdue_on is None:
        return None
    if today > long_overdue_on:
        return ReminderStep(LONG_OVERDUE, None)
    if today > due_on:
        return ReminderStep(OVERDUE, long_overdue_on + timedelta(days=1))
    if today == due_on:
        return ReminderStep(DUE_TODAY, due_on + timedelta(days=1))
    if today >= due_soon_on:
        return ReminderStep(DUE_SOON, due_on)
    return None
