"""Deadline reminders for petitions: one notice per clock and phase, never twice.

The sweep is casework's (`casework.reminders.Sweep`: claim a batch of due cases, move
their `next_reminder_on`, notices in the claim's transaction); this module says which
clock it watches, who hears about each step and what they read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Q

from agencies.clocks import LONG_OVERDUE, OVERDUE, ReminderStep
from agencies.models import Role
from casework.reminders import (
    BATCH_SIZE,
    Sweep,
    members,
    monitors,
    prime_members,
    unique_people,
)

from .models import OPEN_STATUSES, Clock, Kind, Petition


def recipients(petition: Petition, stage: str) -> list[Any]:
    """Who hears about this step: handlers first, then leads, then monitors."""
    assigned = petition.assigned_to
    if assigned is not None and assigned.is_active:
        people: list[Any] = [assigned]
    else:
        people = list(members(petition.handling_agency_id, [Role.HANDLER]))
    if stage in (OVERDUE, LONG_OVERDUE):
        people += members(petition.handling_agency_id, [Role.LEAD])
    if stage == LONG_OVERDUE:
        people += monitors(petition.handling_agency.province_id)
    return unique_people(people)


def _prime(petitions: Sequence[Petition]) -> None:
    # The roles recipients() asks for: a batch's handlers and leads in one query.
    prime_members({p.handling_agency_id for p in petitions}, [[Role.HANDLER], [Role.LEAD]])


def _context(petition: Petition) -> dict[str, Any]:
    # The denouncer's identity never goes into a reminder: subject and dates only.
    return {
        "reference": petition.reference,
        "subject": petition.subject,
        "kind": Kind(petition.kind).label,  # a label: the bell translates it
        "agency": petition.handling_agency.name,
        "clock": Clock(petition.clock).label if petition.clock else "",
        "due_on": petition.clock_due_on,
    }


# The running clock of an open petition (`clock_due_on`…); the index petition_next_reminder
# serves each batch's claim.
SWEEP = Sweep(
    model=Petition,
    prefix="clock",
    running=Q(status__in=OPEN_STATUSES),
    template="petitions/reminder",
    key="petition:{case.pk}:{case.clock}:{case.clock_due_on}:{stage}",
    context=_context,
    recipients=recipients,
    select_related=("handling_agency", "assigned_to"),
    prime=_prime,
)


def step_for(petition: Petition, today: date) -> ReminderStep | None:
    return SWEEP.step_for(petition, today)


def remind_one(*, today: date | None = None) -> bool:
    """Claim the next petition whose reminder date has come; False when none is left."""
    return SWEEP.remind_one(today=today)


def remind_batch(*, today: date | None = None, size: int = BATCH_SIZE) -> int:
    """Claim up to `size` due petitions and send their steps; returns how many."""
    return SWEEP.remind_batch(today=today, size=size)


def remind_due(*, today: date | None = None, limit: int = 10_000) -> int:
    """Run the sweep until nothing is due (bounded per run); returns the steps handled."""
    return SWEEP.remind_due(today=today, limit=limit)
