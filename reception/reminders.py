"""Reminders of the answer owed to a citizen after a visit (Luật Tiếp công dân art. 28):
one notice per step (due soon, due today, overdue, long overdue), never twice.

The sweep is casework's (`casework.reminders.Sweep`); this module says which clock it
watches, who hears about each step and what they read. A sealed visitor's identity
never goes into a reminder: reference, subject and dates only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import Q

from agencies.clocks import LONG_OVERDUE, OVERDUE
from agencies.models import Role
from casework.reminders import Sweep, members, prime_members, unique_people

from .models import Status, Visit


def recipients(visit: Visit, stage: str) -> list[Any]:
    """The agency's reception officers; its leads too once the answer is overdue."""
    people: list[Any] = list(members(visit.agency_id, [Role.RECEPTION_OFFICER]))
    if stage in (OVERDUE, LONG_OVERDUE):
        people += members(visit.agency_id, [Role.LEAD])
    return unique_people(people)


def _prime(visits: Sequence[Visit]) -> None:
    # The roles recipients() asks for, for the whole batch in one query.
    prime_members({v.agency_id for v in visits}, [[Role.RECEPTION_OFFICER], [Role.LEAD]])


def _context(visit: Visit) -> dict[str, Any]:
    return {
        "reference": visit.reference,
        "subject": visit.subject,
        "agency": visit.agency.name,
        "visited_on": visit.visited_on,
        "due_on": visit.answer_due_on,
    }


# The answer clock of a visit awaiting its answer; the index visit_next_reminder serves
# each claim.
SWEEP = Sweep(
    model=Visit,
    prefix="answer",
    running=Q(status=Status.AWAITING),
    template="reception/reminder",
    key="visit:{case.pk}:answer:{case.answer_due_on}:{stage}",
    context=_context,
    recipients=recipients,
    select_related=("agency",),
    prime=_prime,
)


def remind_due(*, today: date | None = None, limit: int = 10_000) -> int:
    """Run the sweep until nothing is due (bounded per run); returns the steps handled."""
    return SWEEP.remind_due(today=today, limit=limit)
