"""Every write to a reception day: planning it, then one function per move through the
one door (`DAY_MACHINE`: the moves' table and guards, the actor's role, the guarded
update and exactly one event)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.models import Agency
from agencies.scope import Action, can
from agencies.workdays import subtract_working_days
from casework import timekeeping
from casework.actors import SYSTEM, Actor, user_of
from casework.errors import NotPermitted
from casework.events import record, said

from ..models import (
    DAY_MACHINE,
    HOLDING_STATUSES,
    OPEN_BOOKING_STATUSES,
    DayKind,
    DayStatus,
    Leader,
    OnlineReception,
    ReceptionDay,
    ReceptionDayEvent,
)
from .bookings import booking_cancel_for_day

# Reminders go out this many working days before a day, on the day, the day after
# (when the office has not recorded it) and again this many days later.
REMINDER_WORKING_DAYS_BEFORE = 2
REMINDER_LATE_DAYS = 5


def online_reception_from() -> date | None:
    """The first day the law allows online reception (OnlineReception rows), or None."""
    row = OnlineReception.objects.order_by("effective_from").first()
    return row.effective_from if row else None


def leaders_for(agency: Agency) -> Any:
    """The leaders who may receive at `agency`: its own, and those of the agencies
    under it (a department head at the provincial reception office)."""
    return Leader.objects.filter(
        Q(agency=agency) | Q(agency__parent=agency), is_active=True
    ).select_related("agency")


@dataclass(frozen=True)
class DayPlan:
    """What a reception day is: who, when, where, and how many may book."""

    leader: Leader
    kind: str
    date: date
    starts_at: time
    ends_at: time
    place: str
    capacity: int = 0
    offers_online: bool = False
    reason: str = ""


def _check_plan(agency: Agency, plan: DayPlan, *, day: ReceptionDay | None = None) -> None:
    errors: dict[str, str] = {}
    if not leaders_for(agency).filter(pk=plan.leader.pk).exists():
        errors["leader"] = _("This leader does not receive citizens at this agency.")
    if plan.ends_at <= plan.starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    if plan.date < timekeeping.today():
        errors["date"] = _("A reception day cannot be planned in the past.")
    if plan.kind == DayKind.AD_HOC and not plan.reason.strip():
        errors["reason"] = _("Say why this ad-hoc reception is held.")
    if not plan.place.strip():
        errors["place"] = _("Say where citizens are received.")
    online_from = online_reception_from()
    if plan.offers_online and (online_from is None or plan.date < online_from):
        errors["offers_online"] = _("Online reception is possible only from %(day)s.") % {
            "day": online_from.strftime("%d/%m/%Y") if online_from else "—"
        }
    if day is not None and plan.capacity < day.bookings.filter(status__in=HOLDING_STATUSES).count():
        errors["capacity"] = _("More citizens have booked this day than this number.")
    timekeeping.check_plausible(date=plan.date)
    if errors:
        raise ValidationError(errors)


def _plan_fields(plan: DayPlan) -> dict[str, Any]:
    return {
        "leader": plan.leader,
        "kind": plan.kind,
        "date": plan.date,
        "starts_at": plan.starts_at,
        "ends_at": plan.ends_at,
        "place": plan.place.strip(),
        "capacity": plan.capacity,
        "offers_online": plan.offers_online,
        "reason": plan.reason.strip(),
    }


@transaction.atomic
def day_plan(*, actor: Actor, agency: Agency, plan: DayPlan) -> ReceptionDay:
    """— → planned: the reception office plans a day (not public until published)."""
    if not can(actor, agency.pk, Action.RECEPTION):
        raise NotPermitted()
    _check_plan(agency, plan)
    day = ReceptionDay.objects.create(agency=agency, status=DayStatus.PLANNED, **_plan_fields(plan))
    record(
        ReceptionDayEvent,
        action="plan",
        actor=actor,
        agency_id=agency.pk,
        to_status=DayStatus.PLANNED,
        said=said(
            gettext_noop("Planned for %(date)s, %(start)s–%(end)s at %(place)s."),
            date=day.date,
            start=day.starts_at.strftime("%H:%M"),
            end=day.ends_at.strftime("%H:%M"),
            place=day.place,
        ),
        day=day,
    )
    return day


@transaction.atomic
def day_edit(*, day: ReceptionDay, actor: Actor, plan: DayPlan) -> ReceptionDayEvent:
    """planned → planned: change who, when or where before the day is published."""
    spec = DAY_MACHINE.check(day, "edit", actor)
    _check_plan(day.agency, plan, day=day)
    fields = _plan_fields(plan)
    event = _apply(
        day,
        move=spec.name,
        actor=actor,
        said=said(
            gettext_noop("Changed to %(date)s, %(start)s–%(end)s at %(place)s."),
            date=plan.date,
            start=plan.starts_at.strftime("%H:%M"),
            end=plan.ends_at.strftime("%H:%M"),
            place=plan.place,
        ),
        changes={**{k: v for k, v in fields.items() if k != "leader"}, "leader_id": plan.leader.pk},
    )
    day.leader = plan.leader
    return event


def _apply(day: ReceptionDay, **kwargs: Any) -> ReceptionDayEvent:
    """The machine's door for a move the service has checked (its event is ours)."""
    return cast(ReceptionDayEvent, DAY_MACHINE.apply(day, checked=True, **kwargs))


def _reminder_fields(day: ReceptionDay) -> dict[str, Any]:
    soon = subtract_working_days(day.date, REMINDER_WORKING_DAYS_BEFORE)
    today = timekeeping.today()
    return {
        "reminder_due_on": day.date,
        "reminder_due_soon_on": soon,
        "reminder_long_overdue_on": day.date + timedelta(days=REMINDER_LATE_DAYS),
        # Published late (inside the warning window): the first reminder goes today.
        "next_reminder_on": max(soon, today),
    }


_NO_REMINDERS = {
    "reminder_due_on": None,
    "reminder_due_soon_on": None,
    "reminder_long_overdue_on": None,
    "next_reminder_on": None,
}


@transaction.atomic
def day_publish(*, day: ReceptionDay, actor: Actor) -> ReceptionDayEvent:
    """planned → published: on the public page and the feed; reminders start."""
    spec = DAY_MACHINE.check(day, "publish", actor)
    if day.date < timekeeping.today():
        raise ValidationError(_("A day that has passed cannot be published."))
    return _apply(day, move=spec.name, actor=actor, changes=_reminder_fields(day))


@transaction.atomic
def day_confirm(*, day: ReceptionDay, actor: Actor, note: str = "") -> ReceptionDayEvent:
    """planned/published → same: the leader confirms they will receive citizens that day."""
    spec = DAY_MACHINE.check(day, "confirm", actor)
    user = user_of(actor)
    if user is None or day.leader.user_id != user.pk:
        raise NotPermitted(_("Only the leader of this day can confirm it."))
    return _apply(
        day,
        move=spec.name,
        actor=actor,
        note=note.strip(),
        said=said(gettext_noop("Confirmed by %(name)s."), name=day.leader.name),
        changes={"leader_confirmed_at": timekeeping.now()},
    )


@transaction.atomic
def day_delegate(
    *, day: ReceptionDay, actor: Actor, delegate_name: str, delegate_title: str, note: str = ""
) -> ReceptionDayEvent:
    """planned/published → same: the leader hands the day to a deputy, recorded as such
    (the day then does not count towards the leader's own minimum)."""
    spec = DAY_MACHINE.check(day, "delegate", actor)
    name, title = delegate_name.strip(), delegate_title.strip()
    errors = {}
    if not name:
        errors["delegate_name"] = _("Name the deputy who receives instead.")
    if not title:
        errors["delegate_title"] = _("Give the deputy's title.")
    if errors:
        raise ValidationError(errors)
    return _apply(
        day,
        move=spec.name,
        actor=actor,
        note=note.strip(),
        said=said(
            gettext_noop("Delegated by %(leader)s to %(name)s, %(title)s."),
            leader=day.leader.name,
            name=name,
            title=title,
        ),
        changes={"delegate_name": name[:150], "delegate_title": title[:200]},
    )


@transaction.atomic
def day_hold(*, day: ReceptionDay, actor: Actor, note: str = "") -> ReceptionDayEvent:
    """published → held: the day took place (in person, unless it was delegated)."""
    spec = DAY_MACHINE.check(day, "hold", actor)
    in_person = not day.is_delegated
    return _apply(
        day,
        move=spec.name,
        actor=actor,
        note=note.strip(),
        said=said(
            gettext_noop("Held by %(name)s in person.")
            if in_person
            else gettext_noop("Held by %(name)s on behalf of the leader."),
            name=day.receiver_name,
        ),
        changes={"held_in_person": in_person, **_NO_REMINDERS},
    )


@transaction.atomic
def day_miss(*, day: ReceptionDay, actor: Actor, note: str = "") -> ReceptionDayEvent:
    """published → not held: the day passed without a reception."""
    spec = DAY_MACHINE.check(day, "miss", actor)
    return _apply(
        day,
        move=spec.name,
        actor=actor,
        note=note.strip(),
        changes={"held_in_person": False, **_NO_REMINDERS},
    )


@transaction.atomic
def day_cancel(*, day: ReceptionDay, actor: Actor, reason: str) -> ReceptionDayEvent:
    """planned/published → cancelled, with the public reason; every open booking of the
    day is cancelled and its citizen told."""
    spec = DAY_MACHINE.check(day, "cancel", actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the day is cancelled.")})
    event = _apply(
        day,
        move=spec.name,
        actor=actor,
        said=said(gettext_noop("Cancelled: %(reason)s"), reason=reason),
        changes={"cancel_reason": reason[:300], **_NO_REMINDERS},
    )
    for booking in day.bookings.filter(status__in=OPEN_BOOKING_STATUSES).select_related(
        "day__agency", "day__leader"
    ):
        booking_cancel_for_day(booking=booking, actor=SYSTEM, reason=reason)
    return event
