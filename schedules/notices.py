"""What the schedule tells people, through the notifications outbox, inside the change's
transaction (delivery waits for the commit).

A citizen who left an e-mail hears of every move of their booking; the reception
office hears of each new booking in the bell. A notice carries the booking's reference,
the day and the place — never the citizen's ID number.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from agencies.models import Role
from agencies.selectors import members_with_roles
from notifications.services import notify

from .identity import unseal
from .models import Booking

# Every move the citizen hears of by e-mail (the booking's own events).
CITIZEN_EVENTS = frozenset(
    {"book", "confirm", "propose", "accept_proposal", "move", "cancel", "day_cancelled"}
)


def _context(booking: Booking) -> dict[str, object]:
    day = booking.day
    proposed = booking.proposed_day
    return {
        "reference": booking.reference,
        "status": booking.get_status_display(),
        "mode": booking.get_mode_display(),
        "agency": day.agency.name,
        "date": day.date,
        "starts_at": day.starts_at,
        "ends_at": day.ends_at,
        "place": day.place,
        "receiver": day.receiver_name,
        "receiver_title": day.receiver_title,
        "proposed_date": proposed.date if proposed else None,
        "proposed_place": proposed.place if proposed else "",
        "proposed_starts_at": proposed.starts_at if proposed else None,
        "track_url": settings.SITE_URL + reverse("schedules:track"),
    }


def booking_changed(booking_id: int, event: str, event_id: int, note: str = "") -> None:
    """Tell a citizen who left an e-mail that their booking moved; one notice per event row."""
    if event not in CITIZEN_EVENTS:
        return
    booking = Booking.objects.select_related("day__agency", "day__leader", "proposed_day").get(
        pk=booking_id
    )
    if not booking.has_email:
        return
    notify(
        key=f"booking:{booking.pk}:{event}:{event_id}:citizen",
        kind=f"booking.{event}",
        template="schedules/citizen_booking",
        context={**_context(booking), "event": event, "note": note},
        email=unseal(booking.identity).email,
        channels=("email",),
    )


def booking_new(booking_id: int) -> None:
    """The reception office of the day's agency hears of a new booking (in the bell)."""
    booking = Booking.objects.select_related("day__agency", "day__leader").get(pk=booking_id)
    for officer in members_with_roles(booking.day.agency_id, [Role.RECEPTION_OFFICER]):
        notify(
            key=f"booking:{booking.pk}:new:{booking.day_id}",
            kind="booking.new",
            template="schedules/office_booking",
            context=_context(booking),
            user=officer,
            channels=("in_app",),
            url=booking.get_absolute_url(),
        )
