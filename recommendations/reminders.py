"""Reminders for the agencies' answers to voter recommendations: the answer clock's
casework.reminders.Sweep.

`next_reminder_on` is moved by the batch's claim, and the notices are
written in the same transaction under a unique key (forwarding, due date, stage), so no
step is ever sent twice, by two beats or many workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Q

from agencies.clocks import LONG_OVERDUE, OVERDUE
from agencies.models import Role
from casework.reminders import Sweep, members, monitors, prime_members, unique_people

from .models import Forwarding


def recipients(forwarding: Forwarding, stage: str) -> list[Any]:
    """Handlers and leads answer; overdue goes to leads; long overdue to monitors too."""
    roles: list[str] = [Role.LEAD] if stage == OVERDUE else [Role.HANDLER, Role.LEAD]
    people = list(members(forwarding.agency_id, roles))
    if stage == LONG_OVERDUE:
        people += monitors(forwarding.agency.province_id)
    return unique_people(people)


def _prime(forwardings: Sequence[Forwarding]) -> None:
    # The role sets recipients() asks for, for the whole batch in one query.
    prime_members({f.agency_id for f in forwardings}, [[Role.LEAD], [Role.HANDLER, Role.LEAD]])


def _context(forwarding: Forwarding) -> dict[str, Any]:
    recommendation = forwarding.recommendation
    return {
        "agency": forwarding.agency.name,
        "session": str(recommendation.session),
        "content": recommendation.content,
        "dispatch_number": forwarding.dispatch_number,
        "due_on": forwarding.answer_due_on,
    }


# The answer clock runs while an answer is awaited; its columns are `answer_…`.
SWEEP = Sweep(
    model=Forwarding,
    prefix="answer",
    running=Q(status=Forwarding.Status.FORWARDED),
    template="recommendations/reminder",
    key="forwarding:{case.pk}:{case.answer_due_on}:{stage}",
    context=_context,
    recipients=recipients,
    select_related=("agency", "recommendation__session"),
    prime=_prime,
)


def remind_one(*, today: date | None = None) -> bool:
    """Claim the next forwarding whose reminder date has come; False when none is left."""
    return SWEEP.remind_one(today=today)


def remind_due(*, today: date | None = None, limit: int = 10_000) -> int:
    """Run the sweep until nothing is due (bounded per run); returns the steps handled."""
    return SWEEP.remind_due(today=today, limit=limit)
