"""Reminders for the agencies' answers to voter recommendations.

The same claim-one-at-a-time sweep as petitions.reminders: `next_reminder_on` is
moved with a guarded UPDATE, and the notices are written in the same transaction
under a unique key (forwarding, due date, stage), so no step is ever sent twice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agencies.clocks import LONG_OVERDUE, OVERDUE, reminder_step
from agencies.models import Role
from agencies.selectors import members_with_roles, monitors_of

from .models import Forwarding


def recipients(forwarding: Forwarding, stage: str) -> list[Any]:
    """Handlers and leads answer; overdue goes to leads; long overdue to monitors too."""
    roles = [Role.LEAD] if stage == OVERDUE else [Role.HANDLER, Role.LEAD]
    people = list(members_with_roles(forwarding.agency_id, roles))
    if stage == LONG_OVERDUE:
        people += list(monitors_of(forwarding.agency.province_id))
    unique: dict[int, Any] = {}
    for person in people:
        unique.setdefault(person.pk, person)
    return list(unique.values())


def _notify(forwarding: Forwarding, stage: str) -> None:
    from notifications.services import notify

    recommendation = forwarding.recommendation
    context = {
        "agency": forwarding.agency.name,
        "session": str(recommendation.session),
        "content": recommendation.content,
        "dispatch_number": forwarding.dispatch_number,
        "due_on": forwarding.answer_due_on,
        "stage": stage,
    }
    url = settings.SITE_URL + forwarding.get_absolute_url()
    for user in recipients(forwarding, stage):
        notify(
            key=f"forwarding:{forwarding.pk}:{forwarding.answer_due_on}:{stage}",
            kind=f"reminder.{stage}",
            template="recommendations/reminder",
            context=context,
            user=user,
            url=url,
        )


def remind_one(*, today: date | None = None) -> bool:
    """Claim the next forwarding whose reminder date has come; False when none is left."""
    today = today or timezone.localdate()
    candidate = (
        Forwarding.objects.filter(next_reminder_on__lte=today, status=Forwarding.Status.FORWARDED)
        .order_by("next_reminder_on", "pk")
        .values_list("pk", "next_reminder_on")
        .first()
    )
    if candidate is None:
        return False
    pk, claimed_on = candidate
    with transaction.atomic():
        forwarding = Forwarding.objects.select_related("agency", "recommendation__session").get(
            pk=pk
        )
        step = reminder_step(
            today,
            due_soon_on=forwarding.answer_due_soon_on,
            due_on=forwarding.answer_due_on,
            long_overdue_on=forwarding.answer_long_overdue_on,
        )
        next_on = step.next_on if step else None
        if step is None and forwarding.answer_due_soon_on > today:
            next_on = forwarding.answer_due_soon_on
        won = Forwarding.objects.filter(pk=pk, next_reminder_on=claimed_on).update(
            next_reminder_on=next_on
        )
        if won and step is not None:
            _notify(forwarding, step.stage)
    return True


def remind_due(*, today: date | None = None, limit: int = 10_000) -> int:
    handled = 0
    while handled < limit and remind_one(today=today):
        handled += 1
    return handled
