"""The reception schedule (lịch tiếp công dân) and online bookings (đăng ký tiếp).

A leader's reception day and a citizen's booking are two small case machines on the
casework core: their moves are data (`DAY_MOVES`, `BOOKING_MOVES`) and the one door
(`DAY_MACHINE`, `BOOKING_MACHINE`, casework.transitions) is the only writer of their
`status`, with one event row per change. The law's numbers — how many days each kind
of leader must receive citizens, and when online reception began — are rows with a
legal basis and an effective date (`ReceptionMinimum`, `OnlineReception`), seeded by
migration 0002, never constants in code.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Field
from agencies.scope import Action
from casework.events import CaseEvent
from casework.transitions import Machine, Move, move

from . import guards


class LeaderKind(models.TextChoices):
    """Who receives citizens, as the Law on Citizen Reception names them."""

    PROVINCIAL_CHAIRMAN = "province_chair", _("Chairman of the provincial People's Committee")
    COMMUNE_CHAIRMAN = "commune_chair", _("Chairman of the commune People's Committee")
    AGENCY_HEAD = "agency_head", _("Head of a state administrative agency")
    COUNCIL_DEPUTY = "council_deputy", _("People's Council deputy")


class Period(models.TextChoices):
    WEEK = "week", _("per week")
    MONTH = "month", _("per month")
    # People's Council deputies: as the Standing Committee arranges (no number in law).
    ARRANGED = "arranged", _("as the Standing Committee arranges")


class ReceptionMinimum(models.Model):
    """The least a kind of leader must receive citizens, as data: the row in force on
    the first day of a month judges that month (selectors.compliance)."""

    leader_kind = models.CharField(_("kind of leader"), max_length=16, choices=LeaderKind.choices)
    days = models.PositiveSmallIntegerField(_("days"), null=True, blank=True)
    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    effective_from = models.DateField(_("effective from"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)

    class Meta:
        verbose_name = _("legal minimum of reception days")
        verbose_name_plural = _("legal minimums of reception days")
        ordering = ["leader_kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["leader_kind", "effective_from"], name="unique_reception_minimum"
            )
        ]

    def __str__(self) -> str:
        amount = f"{self.days} " if self.days is not None else ""
        return f"{self.get_leader_kind_display()}: {amount}{self.get_period_display()} ({self.effective_from:%d/%m/%Y})"


class OnlineReception(models.Model):
    """Since when citizens may be received online (Luật 136/2025/QH15, new art. 3a)."""

    effective_from = models.DateField(_("effective from"), unique=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300)

    class Meta:
        verbose_name = _("online reception rule")
        verbose_name_plural = _("online reception rules")
        ordering = ["effective_from"]

    def __str__(self) -> str:
        return f"{self.effective_from:%d/%m/%Y} — {self.legal_basis}"


class Leader(models.Model):
    """A person who receives citizens on a schedule: the name and title the public page
    shows, and the account (a lead of the agency) that confirms their own days."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("full name"), max_length=150)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind of leader"), max_length=16, choices=LeaderKind.choices)
    # A leader appointed during the year owes nothing for the months before: the
    # compliance figure starts with the first whole month from this day.
    serves_from = models.DateField(
        _("in office since"),
        null=True,
        blank=True,
        help_text=_("The legal minimum counts from the first whole month in office."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("receiving leader")
        verbose_name_plural = _("receiving leaders")
        ordering = ["agency__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} — {self.title}"


class DayKind(models.TextChoices):
    REGULAR = "regular", _("Regular reception")
    AD_HOC = "ad_hoc", _("Ad-hoc reception")


class DayStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PUBLISHED = "published", _("Published")
    HELD = "held", _("Held")
    NOT_HELD = "not_held", _("Not held")
    CANCELLED = "cancelled", _("Cancelled")


# Days the public page and the feed show: a plan is not public until published.
PUBLIC_DAY_STATUSES = (
    DayStatus.PUBLISHED,
    DayStatus.HELD,
    DayStatus.NOT_HELD,
    DayStatus.CANCELLED,
)


class ReceptionDay(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    leader = models.ForeignKey(
        Leader, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="days"
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=DayKind.choices, default=DayKind.REGULAR
    )
    # Why an ad-hoc reception is held (a serious, complex or mass case: art. 18(3)).
    reason = models.CharField(_("reason for an ad-hoc reception"), max_length=300, blank=True)
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    place = models.CharField(_("place"), max_length=300)
    capacity = models.PositiveSmallIntegerField(
        _("places for online booking"), default=0, help_text=_("0: no online booking.")
    )
    offers_online = models.BooleanField(_("online reception offered"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=DayStatus.choices, default=DayStatus.PLANNED
    )
    leader_confirmed_at = models.DateTimeField(_("confirmed by the leader"), null=True, blank=True)
    # A day the leader handed to a deputy is recorded as such, and does not count
    # towards the leader's own legal minimum (selectors.compliance).
    delegate_name = models.CharField(_("delegated to"), max_length=150, blank=True)
    delegate_title = models.CharField(_("delegate's title"), max_length=200, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    held_in_person = models.BooleanField(_("held by the leader in person"), null=True)
    # The reminder sweep's clock (casework.reminders.Sweep, prefix "reminder"): due on
    # the day itself, "due soon" a few working days before, "long overdue" when the
    # office has still not recorded whether it was held.
    reminder_due_on = models.DateField(null=True, blank=True, editable=False)
    reminder_due_soon_on = models.DateField(null=True, blank=True, editable=False)
    reminder_long_overdue_on = models.DateField(null=True, blank=True, editable=False)
    next_reminder_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["date", "starts_at", "id"]
        indexes = [
            # selectors.public_days / staff_days: one agency's days of a month
            models.Index(fields=["agency", "date"], name="reception_day_agency"),
            # selectors.public_days for a province and the feeds: every day of a month
            models.Index(fields=["date", "id"], name="reception_day_date"),
            # selectors.compliance: a leader's days of a period
            models.Index(fields=["leader", "date", "status"], name="reception_day_leader"),
            # each batch claim of the sweep (reminders.SWEEP.remind_batch): the next day whose reminder date has come
            models.Index(
                fields=["next_reminder_on", "id"],
                name="reception_day_next_reminder",
                condition=models.Q(next_reminder_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.leader.name}"

    def get_absolute_url(self) -> str:
        return reverse("schedules:day", args=[self.pk])

    @property
    def is_delegated(self) -> bool:
        return bool(self.delegate_name)

    @property
    def receiver_name(self) -> str:
        """Who receives on the day, as the public page says it."""
        return self.delegate_name or self.leader.name

    @property
    def receiver_title(self) -> str:
        return self.delegate_title if self.delegate_name else self.leader.title


class ReceptionDayEvent(CaseEvent):
    day = models.ForeignKey(
        ReceptionDay, on_delete=models.CASCADE, related_name="events", verbose_name=_("day")
    )
    from_status = models.CharField(_("from"), max_length=16, choices=DayStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=DayStatus.choices, blank=True)

    class Meta(CaseEvent.Meta):
        verbose_name = _("reception day event")
        verbose_name_plural = _("reception day events")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    PROPOSED = "proposed", _("Another day proposed")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Received at the reception")
    ABSENT = "absent", _("Did not come")


# Bookings that hold a place on their day (the capacity check counts them).
HOLDING_STATUSES = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED)
OPEN_BOOKING_STATUSES = (*HOLDING_STATUSES, BookingStatus.PROPOSED)


class Booking(models.Model):
    # The stable public reference (DK-2026-000123): what the citizen quotes at the desk
    # and what the reception register may link a visit to.
    reference = models.CharField(_("booking code"), max_length=20, unique=True)
    # HMAC of the secret code that lets the citizen see, move or cancel it.
    code_hash = models.CharField(max_length=64, editable=False)
    day = models.ForeignKey(
        ReceptionDay, verbose_name=_("day"), on_delete=models.PROTECT, related_name="bookings"
    )
    proposed_day = models.ForeignKey(
        ReceptionDay,
        verbose_name=_("proposed day"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.REQUESTED
    )
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    # Name, ID number, phone, e-mail, address: Fernet-encrypted (schedules.identity),
    # read only by the reception officers of the day's agency.
    identity = models.TextField(editable=False)
    # Keyed digest of the ID number: the same citizen's bookings (and visits) are
    # recognised without the number being readable.
    id_digest = models.CharField(max_length=64, editable=False, db_index=True)
    has_email = models.BooleanField(default=False, editable=False)
    field = models.CharField(_("field"), max_length=16, choices=Field.choices)
    matter = models.TextField(_("the matter in a few lines"))
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["created_at", "id"]
        indexes = [
            # services.booking_* capacity check and the day page's list
            models.Index(fields=["day", "status"], name="booking_day_status"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("schedules:booking", args=[self.pk])


class BookingSequence(models.Model):
    """The last booking number issued per year (locked while issuing)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class BookingEvent(CaseEvent):
    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="events", verbose_name=_("booking")
    )
    from_status = models.CharField(
        _("from"), max_length=16, choices=BookingStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=BookingStatus.choices, blank=True)

    class Meta(CaseEvent.Meta):
        verbose_name = _("booking event")
        verbose_name_plural = _("booking events")


# --- the moves, as data, and the doors ---------------------------------------------------

_DAY_OPEN = (DayStatus.PLANNED, DayStatus.PUBLISHED)
R = Action.RECEPTION
DAY_MOVES: tuple[Move, ...] = (
    move("publish", {DayStatus.PLANNED}, DayStatus.PUBLISHED, R, label=_("Publish")),
    move("edit", {DayStatus.PLANNED}, None, R, label=_("Change the day")),
    # The leader's own (services.day_confirm checks it is theirs).
    move(
        "confirm",
        _DAY_OPEN,
        None,
        Action.LEAD,
        label=_("Confirm my day"),
        guards=(guards.already_confirmed,),
        # The leader's role is in their own agency (a department head receiving at
        # the provincial reception office).
        agency=lambda day: day.leader.agency_id,
    ),
    move(
        "delegate",
        _DAY_OPEN,
        None,
        R,
        label=_("Record a delegation"),
        guards=(guards.already_delegated,),
    ),
    move(
        "hold",
        {DayStatus.PUBLISHED},
        DayStatus.HELD,
        R,
        label=_("Record as held"),
        guards=(guards.day_not_come,),
    ),
    move(
        "miss",
        {DayStatus.PUBLISHED},
        DayStatus.NOT_HELD,
        R,
        label=_("Record as not held"),
        guards=(guards.day_not_come,),
    ),
    move("cancel", _DAY_OPEN, DayStatus.CANCELLED, R, label=_("Cancel the day")),
)

DAY_MACHINE: Machine[ReceptionDay] = Machine(
    model=ReceptionDay,
    moves=DAY_MOVES,
    event_model=ReceptionDayEvent,
    agency_of=lambda day: day.agency_id,
    event_links=lambda day: {"day": day},
    status_label=lambda day, status: str(DayStatus(status).label),
    wrong_status=_("“%(move)s” is not possible while the day is “%(status)s”."),
)

_B_OPEN = OPEN_BOOKING_STATUSES
BOOKING_MOVES: tuple[Move, ...] = (
    move("confirm", {BookingStatus.REQUESTED}, BookingStatus.CONFIRMED, R, label=_("Confirm")),
    move(
        "propose",
        {BookingStatus.REQUESTED, BookingStatus.CONFIRMED},
        BookingStatus.PROPOSED,
        R,
        label=_("Propose another day"),
    ),
    # The citizen takes the day the office proposed: confirmed there.
    move(
        "accept_proposal",
        {BookingStatus.PROPOSED},
        BookingStatus.CONFIRMED,
        None,
        label=_("Take the proposed day"),
        by_citizen=True,
    ),
    # The citizen moves to another published day: asks for confirmation again.
    move(
        "move",
        _B_OPEN,
        BookingStatus.REQUESTED,
        None,
        label=_("Move to another day"),
        by_citizen=True,
        guards=(guards.booking_day_passed,),
    ),
    move(
        "cancel",
        _B_OPEN,
        BookingStatus.CANCELLED,
        R,
        label=_("Cancel the booking"),
        by_citizen=True,
        by_system=True,
    ),
    move(
        "attend",
        {BookingStatus.CONFIRMED},
        BookingStatus.ATTENDED,
        R,
        label=_("Record as received"),
        guards=(guards.booking_day_not_come,),
    ),
    move(
        "absent",
        {BookingStatus.CONFIRMED},
        BookingStatus.ABSENT,
        R,
        label=_("Record as absent"),
        guards=(guards.booking_day_not_come,),
    ),
)

BOOKING_MACHINE: Machine[Booking] = Machine(
    model=Booking,
    moves=BOOKING_MOVES,
    event_model=BookingEvent,
    agency_of=lambda booking: booking.day.agency_id,
    event_links=lambda booking: {"booking": booking},
    status_label=lambda booking, status: str(BookingStatus(status).label),
    wrong_status=_("“%(move)s” is not possible while the booking is “%(status)s”."),
)


def months_between(start: date, end: date) -> list[date]:
    """The first days of the months from `start`'s to `end`'s, inclusive."""
    months = []
    current = start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current.replace(day=28) + (date.resolution * 4)).replace(day=1)
    return months
