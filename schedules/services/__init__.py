"""Every write of the schedule: one function per change, each through its machine's one
door (`models.DAY_MACHINE`, `models.BOOKING_MACHINE`): `days` for reception days,
`bookings` for the citizens' bookings. Callers import this package."""

from __future__ import annotations

from .bookings import (
    Booked,
    booking_absent,
    booking_accept_proposal,
    booking_attend,
    booking_cancel,
    booking_cancel_for_day,
    booking_confirm,
    booking_create,
    booking_move,
    booking_propose,
)
from .days import (
    DayPlan,
    day_cancel,
    day_confirm,
    day_delegate,
    day_edit,
    day_hold,
    day_miss,
    day_plan,
    day_publish,
    leaders_for,
    online_reception_from,
)

__all__ = [
    "Booked",
    "DayPlan",
    "booking_absent",
    "booking_accept_proposal",
    "booking_attend",
    "booking_cancel",
    "booking_cancel_for_day",
    "booking_confirm",
    "booking_create",
    "booking_move",
    "booking_propose",
    "day_cancel",
    "day_confirm",
    "day_delegate",
    "day_edit",
    "day_hold",
    "day_miss",
    "day_plan",
    "day_publish",
    "leaders_for",
    "online_reception_from",
]
