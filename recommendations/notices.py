"""What voter recommendations tell people, through the notifications outbox.

Called inside the change's transaction: the outbox rows commit with the change and
delivery is queued after commit; each notice has a unique key.
"""

from __future__ import annotations

from typing import Any

from agencies.models import Role
from agencies.selectors import members_with_roles
from casework.reminders import notify_people

from .models import ResultCategory


def forwarding_answered(forwarding: Any, answer: Any) -> None:
    """Tell the council's staff that an agency answered a recommendation they forwarded."""
    recommendation = forwarding.recommendation
    session = recommendation.session
    context = {
        "agency": forwarding.agency.name,
        "session": str(session),
        "content": recommendation.content,
        "category": ResultCategory(answer.category).label,  # the bell translates it
        "on_time": answer.on_time,
        "due_on": answer.due_on,
        "answered_on": answer.answered_on,
    }
    notify_people(
        forwarding,
        members_with_roles(session.council_id, [Role.COUNCIL_STAFF]),
        key=f"forwarding:{forwarding.pk}:answer:{answer.pk}",
        kind="recommendation.answered",
        template="recommendations/answered",
        context=context,
    )
