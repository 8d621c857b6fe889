"""Each move of a day or a booking mapped to its service once: the staff pages, the
citizen's booking page and the API all run a move through `run_day` / `run_booking`
with the same keys in `data`, and offer what the machines answer for the actor now."""

from __future__ import annotations

from typing import Any

from casework.actors import CITIZEN, Actor, User, user_of
from casework.transitions import Runner

from . import services
from .models import BOOKING_MACHINE, DAY_MACHINE, Booking, ReceptionDay

D, B = "day", "booking"
DAY_SERVICES: dict[str, Runner] = {
    "publish": Runner(services.day_publish, D),
    "confirm": Runner(services.day_confirm, D, ("note",)),
    "delegate": Runner(services.day_delegate, D, ("delegate_name", "delegate_title", "note")),
    "hold": Runner(services.day_hold, D, ("note",)),
    "miss": Runner(services.day_miss, D, ("note",)),
    "cancel": Runner(services.day_cancel, D, ("reason",)),
}
BOOKING_SERVICES: dict[str, Runner] = {
    "confirm": Runner(services.booking_confirm, B, ("note",)),
    "propose": Runner(services.booking_propose, B, ("proposed_day", "note")),
    "cancel": Runner(services.booking_cancel, B, ("reason",)),
    "attend": Runner(services.booking_attend, B, ("note",)),
    "absent": Runner(services.booking_absent, B, ("note",)),
}
CITIZEN_SERVICES: dict[str, Runner] = {
    "accept_proposal": Runner(services.booking_accept_proposal, B, takes_actor=False),
    "move": Runner(services.booking_move, B, ("to_day", "mode"), takes_actor=False),
    "cancel": Runner(services.booking_cancel, B, ("reason",)),
}


def run_day(name: str, day: ReceptionDay, actor: Actor, data: dict[str, Any]) -> object:
    return DAY_SERVICES[name](day, actor, data)


def run_booking(name: str, booking: Booking, actor: Actor, data: dict[str, Any]) -> object:
    services_for = CITIZEN_SERVICES if actor is CITIZEN else BOOKING_SERVICES
    return services_for[name](booking, actor, data)


def day_actions(user: User, day: ReceptionDay) -> list[str]:
    """What `user` may do on `day` now, in page order ("confirm": the leader's own)."""
    names = DAY_MACHINE.moves_for(user, day, only=[*DAY_SERVICES, "edit"])
    account = user_of(user)
    if "confirm" in names and (account is None or day.leader.user_id != account.pk):
        names.remove("confirm")
    return names


def booking_actions(user: User, booking: Booking) -> list[str]:
    return BOOKING_MACHINE.moves_for(user, booking, only=BOOKING_SERVICES)


def citizen_actions(booking: Booking) -> set[str]:
    return set(BOOKING_MACHINE.moves_for(CITIZEN, booking, only=CITIZEN_SERVICES))
