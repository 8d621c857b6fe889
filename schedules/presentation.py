"""How the schedule's pages name its statuses and moves: badges, button labels and the
message after each move."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import BOOKING_MOVES, DAY_MOVES, BookingStatus, DayStatus

DAY_BADGES = {
    DayStatus.PLANNED: "secondary",
    DayStatus.PUBLISHED: "primary",
    DayStatus.HELD: "success",
    DayStatus.NOT_HELD: "warning",
    DayStatus.CANCELLED: "danger",
}
BOOKING_BADGES = {
    BookingStatus.REQUESTED: "secondary",
    BookingStatus.CONFIRMED: "success",
    BookingStatus.PROPOSED: "warning",
    BookingStatus.CANCELLED: "danger",
    BookingStatus.ATTENDED: "primary",
    BookingStatus.ABSENT: "dark",
}
DAY_LABELS = {m.name: m.label for m in DAY_MOVES}
BOOKING_LABELS = {m.name: m.label for m in BOOKING_MOVES}
DONE = {
    "day_publish": _("The day is published on the public schedule."),
    "day_confirm": _("You confirmed the day."),
    "day_delegate": _("The delegation is recorded."),
    "day_hold": _("The day is recorded as held."),
    "day_miss": _("The day is recorded as not held."),
    "day_cancel": _("The day is cancelled; its bookings were cancelled and their citizens told."),
    "booking_confirm": _("The booking is confirmed."),
    "booking_propose": _("Another day was proposed to the citizen."),
    "booking_cancel": _("The booking is cancelled."),
    "booking_attend": _("The citizen is recorded as received."),
    "booking_absent": _("The citizen is recorded as absent."),
    "citizen_accept_proposal": _("You took the proposed day. Your booking is confirmed."),
    "citizen_move": _("Your booking was moved. The reception office will confirm it."),
    "citizen_cancel": _("Your booking is cancelled."),
}
