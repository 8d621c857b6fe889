"""Deadline reminders for mediation: the 3-day start (Điều 20(2)) and the land
mediation's 30 days, one notice per clock and phase, never twice.

The sweep is casework's (`casework.reminders.Sweep`); this module says which clock it
watches, who hears about each step and what they read. Parties' names and contacts
never go into a reminder: the reference, the subject and the dates only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from agencies.clocks import LONG_OVERDUE, OVERDUE
from agencies.models import Role
from casework import timekeeping
from casework.reminders import Sweep, members, memoised, unique_people

from .models import OPEN_STATUSES, Clock, MediationCase, MemberRole, TeamMember


def recipients(case: MediationCase, stage: str) -> list[Any]:
    """The mediator (or land official) first; the team leader from the start; the
    commune's leads once overdue."""
    people: list[Any] = []
    if case.mediator is not None and case.mediator.user is not None:
        people.append(case.mediator.user)
    if case.officer is not None:
        people.append(case.officer)
    team_id = case.team_id
    if team_id is not None:
        # Memoised: a batch's cases of one team read its leaders once.
        people += memoised(("team_leaders", team_id), lambda: _team_leaders(team_id))
    elif not people:
        people += members(case.agency_id, [Role.HANDLER])
    if stage in (OVERDUE, LONG_OVERDUE):
        people += members(case.agency_id, [Role.LEAD])
    return unique_people(p for p in people if p.is_active)


def _team_leaders(team_id: int) -> tuple[Any, ...]:
    leaders = (
        TeamMember.objects.serving_on(timekeeping.today())
        .filter(team_id=team_id, role=MemberRole.LEADER, user__isnull=False)
        .select_related("user")
    )
    return tuple(m.user for m in leaders)


def _context(case: MediationCase) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "subject": case.subject,
        "clock": Clock(case.clock).label if case.clock else "",  # the bell translates it
        "due_on": case.clock_due_on,
    }


# The running clock of an open mediation; the index mediation_next_reminder serves
# each claim.
SWEEP = Sweep(
    model=MediationCase,
    prefix="clock",
    running=Q(status__in=OPEN_STATUSES),
    template="mediation/reminder",
    key="mediation:{case.pk}:{case.clock}:{case.clock_due_on}:{stage}",
    context=_context,
    recipients=recipients,
    select_related=("mediator__user", "officer"),
)


def remind_due(*, today: date | None = None, limit: int = 10_000) -> int:
    """Run the sweep until nothing is due (bounded per run); returns the steps handled."""
    return SWEEP.remind_due(today=today, limit=limit)
