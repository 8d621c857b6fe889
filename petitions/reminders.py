"""Deadline reminders for petitions: one notice per clock and phase, never twice.

Each open petition stores `next_reminder_on`, the day its running clock next has
something to say. The beat sweep claims one due petition at a time with a guarded
UPDATE of that column (healthchecks' sendalerts): two beats or many workers never
claim the same step, and the notices are written in the claim's transaction under a
unique key, so a killed worker leaves either both or neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from agencies.models import Role

from .models import OPEN_STATUSES, Petition

DUE_SOON, DUE_TODAY, OVERDUE, LONG_OVERDUE = "due_soon", "due_today", "overdue", "long_overdue"


@dataclass(frozen=True)
class Step:
    stage: str
    next_on: date | None  # when the following step falls due


def step_for(petition: Petition, today: date) -> Step | None:
    """The reminder the clock calls for today, and the date of the one after it."""
    due, soon, late = (
        petition.clock_due_on,
        petition.clock_due_soon_on,
        petition.clock_long_overdue_on,
    )
    if due is None or soon is None or late is None:
        return None
    if today > late:
        return Step(LONG_OVERDUE, None)
    if today > due:
        return Step(OVERDUE, late + timedelta(days=1))
    if today == due:
        return Step(DUE_TODAY, due + timedelta(days=1))
    if today >= soon:
        return Step(DUE_SOON, due)
    return None


def _members(agency_id: int, roles: list[str]) -> QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(
            is_active=True, memberships__agency_id=agency_id, memberships__role__in=roles
        )
        .distinct()
        .order_by("pk")
    )


def _monitors(province_id: int) -> QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role=Role.MONITOR,
            memberships__agency__province_id=province_id,
        )
        .distinct()
        .order_by("pk")
    )


def recipients(petition: Petition, stage: str) -> list[Any]:
    """Who hears about this step: handlers first, then leads, then monitors."""
    if petition.assigned_to_id and petition.assigned_to.is_active:
        people = [petition.assigned_to]
    else:
        people = list(_members(petition.handling_agency_id, [Role.HANDLER]))
    if stage in (OVERDUE, LONG_OVERDUE):
        people += list(_members(petition.handling_agency_id, [Role.LEAD]))
    if stage == LONG_OVERDUE:
        people += list(_monitors(petition.handling_agency.province_id))
    unique: dict[int, Any] = {}
    for person in people:
        unique.setdefault(person.pk, person)
    return list(unique.values())


def _notify(petition: Petition, stage: str) -> int:
    from notifications.services import notify

    # The denouncer's identity never goes into a reminder: subject and dates only.
    context = {
        "reference": petition.reference,
        "subject": petition.subject,
        "kind": petition.get_kind_display(),
        "agency": petition.handling_agency.name,
        "clock": petition.get_clock_display(),
        "due_on": petition.clock_due_on,
        "stage": stage,
    }
    url = settings.SITE_URL + petition.get_absolute_url()
    sent = 0
    for user in recipients(petition, stage):
        sent += len(
            notify(
                key=f"petition:{petition.pk}:{petition.clock}:{petition.clock_due_on}:{stage}",
                kind=f"reminder.{stage}",
                template="petitions/reminder",
                context=context,
                user=user,
                url=url,
            )
        )
    return sent


def remind_one(*, today: date | None = None) -> bool:
    """Claim the next petition whose reminder date has come; False when none is left."""
    today = today or timezone.localdate()
    candidate = (
        Petition.objects.filter(next_reminder_on__lte=today, status__in=OPEN_STATUSES)
        .order_by("next_reminder_on", "pk")
        .values_list("pk", "next_reminder_on")
        .first()
    )
    if candidate is None:
        return False
    pk, claimed_on = candidate
    with transaction.atomic():
        petition = Petition.objects.select_related("handling_agency", "assigned_to").get(pk=pk)
        step = step_for(petition, today)
        next_on = step.next_on if step else None
        if step is None and petition.clock_due_soon_on and petition.clock_due_soon_on > today:
            next_on = petition.clock_due_soon_on  # not due yet (a clock moved under us)
        # The guarded update is the claim: whoever moves the date first sends.
        won = Petition.objects.filter(pk=pk, next_reminder_on=claimed_on).update(
            next_reminder_on=next_on
        )
        if won and step is not None:
            _notify(petition, step.stage)
    return True


def remind_due(*, today: date | None = None, limit: int = 10_000) -> int:
    """Run the sweep until nothing is due (bounded per run); returns the steps handled."""
    handled = 0
    while handled < limit and remind_one(today=today):
        handled += 1
    return handled
