"""Reminders before each reception day, to its leader and the reception office; one
notice per day and step, never twice.

The sweep is casework's (`casework.reminders.Sweep`): a published day's "clock" is due
on the day itself, "due soon" two working days before (services.days), and "overdue"
from the next day while the office has not recorded whether it was held.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from agencies.clocks import DUE_SOON, DUE_TODAY
from agencies.models import Role
from casework.reminders import Sweep, members, unique_people

from .models import BookingStatus, DayStatus, ReceptionDay


def recipients(day: ReceptionDay, stage: str) -> list[Any]:
    """Before and on the day: the leader (if they have an account) and the office;
    after it, the office alone, which records whether it was held."""
    people: list[Any] = []
    leader = day.leader.user
    if stage in (DUE_SOON, DUE_TODAY) and leader is not None and leader.is_active:
        people.append(leader)
    people += members(day.agency_id, [Role.RECEPTION_OFFICER])
    return unique_people(people)


def _context(day: ReceptionDay) -> dict[str, Any]:
    # The leader's own schedule: bookings are counted, never named.
    return {
        "date": day.date,
        "starts_at": day.starts_at,
        "ends_at": day.ends_at,
        "place": day.place,
        "agency": day.agency.name,
        "leader": day.leader.name,
        "receiver": day.receiver_name,
        "bookings": day.bookings.filter(status=BookingStatus.CONFIRMED).count(),
    }


# A published day (index reception_day_next_reminder serves each claim).
SWEEP = Sweep(
    model=ReceptionDay,
    prefix="reminder",
    running=Q(status=DayStatus.PUBLISHED),
    template="schedules/reminder",
    key="schedules:day:{case.pk}:{case.date}:{stage}",
    context=_context,
    recipients=recipients,
    select_related=("agency", "leader__user"),
)


def remind_due(*, today: date | None = None, limit: int = 10_000) -> int:
    """Run the sweep until nothing is due (bounded per run); returns the steps handled."""
    return SWEEP.remind_due(today=today, limit=limit)
