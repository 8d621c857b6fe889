"""Every write to a booking: the citizen's request, then one function per move through
the one door (`BOOKING_MACHINE`).

A place is taken under the day's row lock (`select_for_update`): two citizens booking
the last place at once are served one after the other, and the second is told the day
is full. Notices to the citizen are written in the change's transaction and delivered
after it commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from casework import timekeeping
from casework.actors import CITIZEN, Actor
from casework.events import Said, record, said

from .. import notices
from ..identity import Visitor, code_hash, id_digest, new_code, seal
from ..models import (
    BOOKING_MACHINE,
    HOLDING_STATUSES,
    Booking,
    BookingEvent,
    BookingSequence,
    BookingStatus,
    DayStatus,
    Mode,
    ReceptionDay,
)

REFERENCE_PREFIX = "DK"  # đăng ký (tiếp công dân)
MATTER_MAX_LENGTH = 1000


@dataclass(frozen=True)
class Booked:
    booking: Booking
    code: str  # shown to the citizen once; only its keyed digest is stored


def _next_reference(year: int) -> str:
    BookingSequence.objects.get_or_create(year=year)
    # The row lock serialises concurrent bookings; a number is never reused.
    seq = BookingSequence.objects.select_for_update().get(year=year)
    seq.last = F("last") + 1
    seq.save(update_fields=["last"])
    seq.refresh_from_db(fields=["last"])
    return f"{REFERENCE_PREFIX}-{year}-{seq.last:06d}"


def _take_place(
    day: ReceptionDay, *, mode: str, digest: str, booking: Booking | None = None
) -> ReceptionDay:
    """Lock `day` and check it can take one more booking (ValidationError if not)."""
    locked = (
        ReceptionDay.objects.select_for_update().select_related("agency", "leader").get(pk=day.pk)
    )
    if locked.status != DayStatus.PUBLISHED or locked.date < timekeeping.today():
        raise ValidationError({"day": _("This day is no longer open for booking.")})
    if locked.capacity == 0:
        raise ValidationError({"day": _("This day takes no online bookings.")})
    if mode == Mode.ONLINE and not locked.offers_online:
        raise ValidationError({"mode": _("This day offers no online reception.")})
    # Counted while the day's row is locked: a concurrent booking of the same day waits
    # here until this transaction ends, then counts the place this one took.
    others = locked.bookings.filter(status__in=HOLDING_STATUSES)
    if booking is not None:
        others = others.exclude(pk=booking.pk)
    if others.filter(id_digest=digest).exists():
        raise ValidationError(
            {"day": _("A booking with this ID number already holds a place on this day.")}
        )
    if others.count() >= locked.capacity:
        raise ValidationError({"day": _("All places on this day are taken; choose another day.")})
    return locked


def _tell(booking: Booking, event: BookingEvent, note: str = "") -> None:
    timekeeping.tell(lambda: notices.booking_changed(booking.pk, event.action, event.pk, note))


@transaction.atomic
def booking_create(
    *, day: ReceptionDay, visitor: Visitor, field: str, matter: str, mode: str = Mode.IN_PERSON
) -> Booked:
    """— → requested: a citizen without an account books a place on a published day."""
    matter = matter.strip()
    errors: dict[str, str] = {}
    if not visitor.name.strip():
        errors["name"] = _("Enter your full name.")
    if not visitor.id_number.strip():
        errors["id_number"] = _("The law asks for your ID number.")
    if not matter:
        errors["matter"] = _("Say in a few lines what you come about.")
    elif len(matter) > MATTER_MAX_LENGTH:
        errors["matter"] = _("A few lines only: at most %(n)d characters.") % {
            "n": MATTER_MAX_LENGTH
        }
    if errors:
        raise ValidationError(errors)
    # One holding booking per person and day: the digest compares ID numbers without
    # anyone reading them.
    digest = id_digest(visitor.id_number)
    locked = _take_place(day, mode=mode, digest=digest)
    code = new_code()
    booking = Booking.objects.create(
        reference=_next_reference(locked.date.year),
        code_hash=code_hash(code),
        day=locked,
        status=BookingStatus.REQUESTED,
        mode=mode,
        identity=seal(visitor),
        id_digest=digest,
        has_email=bool(visitor.email.strip()),
        field=field,
        matter=matter,
    )
    event = record(
        BookingEvent,
        action="book",
        actor=CITIZEN,
        agency_id=locked.agency_id,
        to_status=BookingStatus.REQUESTED,
        said=_day_said(gettext_noop("Booked for %(date)s at %(place)s."), locked),
        booking=booking,
    )
    _tell(booking, event)
    timekeeping.tell(lambda: notices.booking_new(booking.pk))
    return Booked(booking=booking, code=code)


def _day_said(msgid: str, day: ReceptionDay) -> Said:
    return said(msgid, date=day.date, place=day.place)


def _apply(booking: Booking, **kwargs: Any) -> BookingEvent:
    return cast(BookingEvent, BOOKING_MACHINE.apply(booking, checked=True, **kwargs))


@transaction.atomic
def booking_confirm(*, booking: Booking, actor: Actor, note: str = "") -> BookingEvent:
    """requested → confirmed: the reception office expects the citizen on the day."""
    spec = BOOKING_MACHINE.check(booking, "confirm", actor)
    event = _apply(booking, move=spec.name, actor=actor, note=note.strip())
    _tell(booking, event, note.strip())
    return event


@transaction.atomic
def booking_propose(
    *, booking: Booking, actor: Actor, proposed_day: ReceptionDay, note: str = ""
) -> BookingEvent:
    """requested/confirmed → proposed: the office proposes another day; the citizen's
    place on the first day is freed, and taken on the new one when they accept."""
    spec = BOOKING_MACHINE.check(booking, "propose", actor)
    if proposed_day.pk == booking.day_id or proposed_day.agency_id != booking.day.agency_id:
        raise ValidationError({"proposed_day": _("Choose another day of the same agency.")})
    if proposed_day.status != DayStatus.PUBLISHED or proposed_day.date < timekeeping.today():
        raise ValidationError({"proposed_day": _("Choose a published day to come.")})
    event = _apply(
        booking,
        move=spec.name,
        actor=actor,
        note=note.strip(),
        said=_day_said(gettext_noop("Proposed instead: %(date)s at %(place)s."), proposed_day),
        changes={"proposed_day_id": proposed_day.pk},
    )
    booking.proposed_day = proposed_day
    _tell(booking, event, note.strip())
    return event


@transaction.atomic
def booking_accept_proposal(*, booking: Booking) -> BookingEvent:
    """proposed → confirmed: the citizen takes the day the office proposed."""
    spec = BOOKING_MACHINE.check(booking, "accept_proposal", CITIZEN)
    proposed = booking.proposed_day
    if proposed is None:
        raise ValidationError(_("No day has been proposed."))
    locked = _take_place(proposed, mode=booking.mode, digest=booking.id_digest, booking=booking)
    event = _apply(
        booking,
        move=spec.name,
        actor=CITIZEN,
        said=_day_said(gettext_noop("Took the proposed day: %(date)s at %(place)s."), locked),
        changes={"day_id": locked.pk, "proposed_day_id": None},
    )
    booking.day, booking.proposed_day = locked, None
    _tell(booking, event)
    return event


@transaction.atomic
def booking_move(*, booking: Booking, to_day: ReceptionDay, mode: str = "") -> BookingEvent:
    """requested/confirmed/proposed → requested: the citizen moves to another day, which
    the office confirms again."""
    spec = BOOKING_MACHINE.check(booking, "move", CITIZEN)
    if to_day.pk == booking.day_id:
        raise ValidationError({"to_day": _("This is already the day of your booking.")})
    if to_day.agency_id != booking.day.agency_id:
        raise ValidationError({"to_day": _("Choose a day of the same agency.")})
    mode = mode or booking.mode
    locked = _take_place(to_day, mode=mode, digest=booking.id_digest, booking=booking)
    event = _apply(
        booking,
        move=spec.name,
        actor=CITIZEN,
        said=_day_said(gettext_noop("Moved to %(date)s at %(place)s."), locked),
        changes={"day_id": locked.pk, "proposed_day_id": None, "mode": mode},
    )
    booking.day, booking.proposed_day = locked, None
    _tell(booking, event)
    return event


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: Actor, reason: str = "") -> BookingEvent:
    """requested/confirmed/proposed → cancelled, by the citizen or the office."""
    spec = BOOKING_MACHINE.check(booking, "cancel", actor)
    event = _apply(booking, move=spec.name, actor=actor, note=reason.strip())
    _tell(booking, event, reason.strip())
    return event


def booking_cancel_for_day(*, booking: Booking, actor: Actor, reason: str) -> BookingEvent:
    """The day itself was cancelled (called inside `day_cancel`'s transaction)."""
    spec = BOOKING_MACHINE.check(booking, "cancel", actor)
    event = _apply(
        booking,
        move=spec.name,
        actor=actor,
        said=said(gettext_noop("The reception day was cancelled: %(reason)s"), reason=reason),
    )
    timekeeping.tell(lambda: notices.booking_changed(booking.pk, "day_cancelled", event.pk, reason))
    return event


@transaction.atomic
def booking_attend(*, booking: Booking, actor: Actor, note: str = "") -> BookingEvent:
    """confirmed → received: the citizen came on the day (the register records the visit)."""
    spec = BOOKING_MACHINE.check(booking, "attend", actor)
    return _apply(booking, move=spec.name, actor=actor, note=note.strip())


@transaction.atomic
def booking_absent(*, booking: Booking, actor: Actor, note: str = "") -> BookingEvent:
    """confirmed → absent: the citizen did not come."""
    spec = BOOKING_MACHINE.check(booking, "absent", actor)
    return _apply(booking, move=spec.name, actor=actor, note=note.strip())
