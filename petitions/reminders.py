"""Deadline reminders for petitions: one notice per clock and phase, never twice.

Each open petition stores `next_reminder_on`, the day its running clock next has
something to say. The beat sweep claims one due petition at a time with a guarded
UPDATE of that column (healthchecks' sendalerts): two beats or many workers never
claim the same step, and the notices are written in the claim's transaction under a
unique key, so a killed worker leaves either both or neither.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agencies.clocks import LONG_OVERDUE, OVERDUE, ReminderStep, reminder_step
from agencies.models import Role
from agencies.selectors import members_with_roles, monitors_of

from .models import OPEN_STATUSES, Petition


def step_for(petition: Petition, today: date) -> ReminderStep | None:
    return reminder_step(
        today,
        due_soon_on=petition.clock_due_soon_on,
        due_on=petition.clock_due_on,
        long_overdue_on=petition.clock_long_overdue_on,
    )


def recipients(petition: Petition, stage: str) -> list[Any]:
    """Who hears about this step: handlers first, then leads, then monitors."""
    if petition.assigned_to_id and petition.assigned_to.is_active:
        people = [petition.assigned_to]
    else:
        people = list(members_with_roles(petition.handling_agency_id, [Role.HANDLER]))
    if stage in (OVERDUE, LONG_OVERDUE):
        people += list(members_with_roles(petition.handling_agency_id, [Role.LEAD]))
    if stage == LONG_OVERDUE:
        people += list(monitors_of(petition.handling_agency.province_id))
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
