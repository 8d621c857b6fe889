"""Every read of the schedule that is more than a lookup: who may see which days and
bookings, the public schedule of a month, and the figure of each leader's compliance
with the legal minimum (one aggregate query, whatever the number of days)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import cast

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404

from agencies.models import AdministrativeUnit, Agency
from agencies.scope import Action, acting_agency_ids, can, visible_agency_ids
from casework import timekeeping
from casework.actors import User
from casework.rates import percent

from .identity import code_matches, normalize_code
from .models import (
    HOLDING_STATUSES,
    PUBLIC_DAY_STATUSES,
    Booking,
    BookingStatus,
    DayKind,
    DayStatus,
    Leader,
    LeaderKind,
    Period,
    ReceptionDay,
    ReceptionMinimum,
    months_between,
)

TAKEN = Count("bookings", filter=Q(bookings__status__in=HOLDING_STATUSES))


# --- who may see what ---------------------------------------------------------------------


def schedule_agency_ids(user: User) -> frozenset[int]:
    """The agencies whose schedule a user reads on staff pages: those they see (staff,
    monitors: the province) and those whose reception office they are in."""
    return visible_agency_ids(user) | acting_agency_ids(user, Action.RECEPTION)


def days_in_scope(user: User) -> QuerySet[ReceptionDay]:
    """The days a user may read: their agencies', and a leader's own anywhere."""
    if not getattr(user, "is_authenticated", False):
        return ReceptionDay.objects.none()
    return ReceptionDay.objects.filter(
        Q(agency_id__in=schedule_agency_ids(user)) | Q(leader__user_id=cast(int, user.pk))
    )


def may_manage(user: User, day: ReceptionDay) -> bool:
    return can(user, day.agency_id, Action.RECEPTION)


def may_see_identity(user: User, booking: Booking) -> bool:
    """A booking citizen's name and ID number: the reception office of the day's agency."""
    return can(user, booking.day.agency_id, Action.RECEPTION)


@dataclass
class DayFilters:
    month: date
    agency: int | None = None
    status: str = ""
    mine: bool = False


def staff_days(user: User, filters: DayFilters) -> QuerySet[ReceptionDay]:
    """A month of days for the staff list, each with its places taken (one query)."""
    last = filters.month.replace(
        day=calendar.monthrange(filters.month.year, filters.month.month)[1]
    )
    qs = days_in_scope(user).filter(date__range=(filters.month, last))
    if filters.agency:
        qs = qs.filter(agency_id=filters.agency)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.mine:
        qs = qs.filter(leader__user_id=cast(int, user.pk))
    return (
        qs.select_related("agency", "leader")
        .annotate(taken=TAKEN)
        .order_by("date", "starts_at", "id")
    )


def day_for_staff(user: User, pk: int) -> ReceptionDay:
    day = days_in_scope(user).select_related("agency", "leader").filter(pk=pk).first()
    if day is None:
        raise Http404
    return day


def bookings_of(day: ReceptionDay) -> QuerySet[Booking]:
    return day.bookings.select_related("day__agency", "proposed_day").order_by("created_at", "id")


def booking_for_staff(user: User, pk: int) -> Booking:
    """A booking, for those who read its day's schedule (its citizen's identity is
    shown only when `may_see_identity`)."""
    booking = (
        Booking.objects.select_related("day__agency", "day__leader", "proposed_day__leader")
        .filter(pk=pk, day__in=days_in_scope(user))
        .first()
    )
    if booking is None:
        raise Http404
    return booking


def booking_for_citizen(reference: str, code: str) -> Booking | None:
    booking = booking_by_reference(reference)
    if booking is None or not code_matches(code, booking.code_hash):
        return None
    return booking


def booking_by_reference(reference: str) -> Booking | None:
    wanted = normalize_code(reference)
    if len(wanted) != 12:  # DK + year + six digits
        return None
    return (
        Booking.objects.select_related("day__agency", "day__leader", "proposed_day__leader")
        .filter(reference=f"{wanted[:2]}-{wanted[2:6]}-{wanted[6:]}")
        .first()
    )


def open_days(agency_id: int, *, exclude: Iterable[int] = ()) -> QuerySet[ReceptionDay]:
    """Published days to come at an agency that take bookings, with places taken."""
    return (
        ReceptionDay.objects.filter(
            agency_id=agency_id,
            status=DayStatus.PUBLISHED,
            date__gte=timekeeping.today(),
            capacity__gt=0,
        )
        .exclude(pk__in=list(exclude))
        .select_related("agency", "leader")
        .annotate(taken=TAKEN)
        .order_by("date", "starts_at", "id")
    )


def open_days_by_pk(pk: int) -> ReceptionDay | None:
    """One day a citizen may book now (published, to come, taking bookings), or None."""
    return (
        ReceptionDay.objects.filter(
            pk=pk, status=DayStatus.PUBLISHED, date__gte=timekeeping.today(), capacity__gt=0
        )
        .select_related("agency", "leader")
        .annotate(taken=TAKEN)
        .first()
    )


def booking_counts(day: ReceptionDay) -> list[tuple[str, int]]:
    """The day's bookings by status (one query), for those who may not read them."""
    rows = day.bookings.order_by("status").values("status").annotate(n=Count("id"))
    return [(str(BookingStatus(row["status"]).label), row["n"]) for row in rows]


# --- the public schedule --------------------------------------------------------------------


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def public_days(
    *, start: date, end: date, province_id: int | None = None, agency_id: int | None = None
) -> QuerySet[ReceptionDay]:
    """Published (and past) days of a province or an agency, with places taken: what
    the public page and the feed show — the leader's name and title, never a citizen."""
    qs = ReceptionDay.objects.filter(status__in=PUBLIC_DAY_STATUSES, date__range=(start, end))
    if province_id is not None:
        qs = qs.filter(agency__province_id=province_id)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return (
        qs.select_related("agency", "leader")
        .annotate(taken=TAKEN)
        .order_by("date", "starts_at", "id")
    )


def provinces_with_schedule() -> QuerySet[AdministrativeUnit]:
    """The provinces that have published a reception day."""
    return AdministrativeUnit.objects.filter(
        level=AdministrativeUnit.Level.PROVINCE,
        pk__in=ReceptionDay.objects.filter(status__in=PUBLIC_DAY_STATUSES).values(
            "agency__province_id"
        ),
    ).order_by("name")


def public_agencies(province_id: int) -> QuerySet[Agency]:
    """The agencies of a province that have published a reception day."""
    return Agency.objects.filter(
        province_id=province_id,
        is_active=True,
        pk__in=ReceptionDay.objects.filter(status__in=PUBLIC_DAY_STATUSES).values("agency_id"),
    ).order_by("name")


# --- the figure: each leader's days held against the legal minimum ----------------------------


@dataclass(frozen=True)
class LeaderMonth:
    leader_id: int
    name: str
    title: str
    agency: str
    kind: str
    month: date
    required: int | None  # None: no number in law (deputies), or no rule yet
    held: int  # regular days held by the leader in person
    delegated: int  # days held by a deputy on the leader's behalf
    ad_hoc: int  # ad-hoc receptions held in person (on top of the minimum)
    not_held: int
    scheduled: int  # planned or published, not yet recorded
    legal_basis: str
    in_progress: bool  # the month has not ended

    @property
    def met(self) -> bool | None:
        return None if self.required is None else self.held >= self.required

    @property
    def kind_label(self) -> str:
        return str(LeaderKind(self.kind).label)


def weeks_in(month: date) -> int:
    """The weeks that count in `month`: those whose Thursday falls in it (the ISO 8601
    rule for a week across a year's end), so no week counts in two months."""
    first, last = month_bounds(month)
    return sum(1 for d in range(first.day, last.day + 1) if first.replace(day=d).weekday() == 3)


def required_days(rule: ReceptionMinimum | None, month: date) -> int | None:
    if rule is None or rule.days is None or rule.period == Period.ARRANGED:
        return None
    if rule.period == Period.WEEK:
        return rule.days * weeks_in(month)
    return rule.days


def rule_for(rules: list[ReceptionMinimum], kind: str, month: date) -> ReceptionMinimum | None:
    """The row in force on the month's first day (rules newest first)."""
    for rule in rules:
        if rule.leader_kind == kind and rule.effective_from <= month:
            return rule
    return None


def _day_counts(
    leaders: list[Leader], first: date, last: date
) -> dict[tuple[int, date], dict[str, int]]:
    """Each leader's days per month and outcome: one GROUP BY over the index
    reception_day_leader, however many days there are."""
    held = Q(status=DayStatus.HELD)
    rows = (
        ReceptionDay.objects.filter(
            leader__in=[leader.pk for leader in leaders], date__range=(first, last)
        )
        .annotate(month=TruncMonth("date"))
        .values("leader_id", "month")
        .annotate(
            # Only a regular day the leader held in person meets the law's minimum; a
            # deputy's day and an ad-hoc reception are counted apart (the page says so).
            held=Count("id", filter=held & Q(held_in_person=True, kind=DayKind.REGULAR)),
            delegated=Count("id", filter=held & Q(held_in_person=False)),
            ad_hoc=Count("id", filter=held & Q(held_in_person=True, kind=DayKind.AD_HOC)),
            not_held=Count("id", filter=Q(status=DayStatus.NOT_HELD)),
            scheduled=Count("id", filter=Q(status__in=[DayStatus.PLANNED, DayStatus.PUBLISHED])),
        )
        .order_by()
    )
    return {(row["leader_id"], row["month"]): row for row in rows}


def compliance(
    user: User, *, start: date, end: date, agency_id: int | None = None
) -> list[LeaderMonth]:
    """Each leader in scope, each month from `start`'s to `end`'s: days held against the
    minimum in force that month. Three queries: leaders, rules, one aggregate of days."""
    agencies = schedule_agency_ids(user)
    leaders = Leader.objects.filter(is_active=True, agency_id__in=agencies).select_related("agency")
    if agency_id:
        leaders = leaders.filter(agency_id=agency_id)
    leader_list = list(leaders.order_by("agency__name", "name"))
    rules = list(ReceptionMinimum.objects.order_by("-effective_from"))
    months = months_between(start, end)
    if not leader_list or not months:
        return []
    counts = _day_counts(leader_list, months[0], month_bounds(months[-1])[1])
    today = timekeeping.today()
    rows = []
    for leader in leader_list:
        for month in months:
            if leader.serves_from is not None and leader.serves_from > month:
                continue  # not yet in office for the whole month
            # The rule in force that month: weekly until 30/06/2026, then monthly for a
            # commune chairman (the rows of ReceptionMinimum, not this code, say so).
            rule = rule_for(rules, leader.kind, month)
            found = counts.get((leader.pk, month), {})
            rows.append(
                LeaderMonth(
                    leader_id=leader.pk,
                    name=leader.name,
                    title=leader.title,
                    agency=leader.agency.name,
                    kind=leader.kind,
                    month=month,
                    required=required_days(rule, month),
                    held=found.get("held", 0),
                    delegated=found.get("delegated", 0),
                    ad_hoc=found.get("ad_hoc", 0),
                    not_held=found.get("not_held", 0),
                    scheduled=found.get("scheduled", 0),
                    legal_basis=rule.legal_basis if rule else "",
                    in_progress=month_bounds(month)[1] >= today,
                )
            )
    return rows


@dataclass(frozen=True)
class ComplianceSummary:
    leader_months: int  # months with a number in law, ended
    met: int
    required: int
    held: int
    delegated: int

    @property
    def rate(self) -> float | None:
        """Share of ended leader-months that met the minimum (DOMAIN: rounding)."""
        return percent(self.met, self.leader_months)


def compliance_summary(
    user: User, *, start: date, end: date, agency_id: int | None = None
) -> ComplianceSummary:
    """The dashboards' figure: leaders' reception days held against the legal minimum,
    over the ended months of the period (a month in progress cannot fail yet)."""
    rows = [
        row
        for row in compliance(user, start=start, end=end, agency_id=agency_id)
        if row.required is not None and not row.in_progress
    ]
    return ComplianceSummary(
        leader_months=len(rows),
        met=sum(1 for row in rows if row.met),
        required=sum(row.required or 0 for row in rows),
        held=sum(row.held for row in rows),
        delegated=sum(row.delegated for row in rows),
    )
