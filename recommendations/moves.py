"""Each move of voter recommendations mapped to its service once, and what a user may do
now. Pages and the API both run a move with `run()` and offer what `offered()` says
(the machines' `moves_for`, with their guards), so the two doors cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from casework.actors import Actor
from casework.transitions import Machine, Runner

from . import services
from .models import (
    FORWARDING_MACHINE,
    RECOMMENDATION_MACHINE,
    SESSION_MACHINE,
    CouncilSession,
    Forwarding,
    Recommendation,
    VoterMeeting,
)

MACHINES: dict[type, Any] = {
    CouncilSession: SESSION_MACHINE,
    Recommendation: RECOMMENDATION_MACHINE,
    Forwarding: FORWARDING_MACHINE,
}


def machine_of(case: Any) -> tuple[Machine[Any], Any]:
    """The machine a move on `case` goes through, and the row it moves: a meeting's
    moves are its session's."""
    if isinstance(case, VoterMeeting):
        return SESSION_MACHINE, case.session
    return MACHINES[type(case)], case


def offered(user: Actor, case: Any, *, only: Iterable[str] | None = None) -> list[str]:
    """The moves `user` may make on `case` now, in the machine's order. A meeting offers
    the session's moves made at it (collecting what voters raised)."""
    if isinstance(case, VoterMeeting):
        return SESSION_MACHINE.moves_for(user, case.session, only=only or ("collect",))
    return MACHINES[type(case)].moves_for(user, case, only=only)


FORWARD = ("agencies", "dispatch_number", "dispatched_on")
DRAFT = ("text", "category", "reason", "planned_by", "document_number")
RUNNERS: dict[tuple[type, str], Runner] = {
    (CouncilSession, "publish"): Runner(services.session_publish, "session", ("note",)),
    # The session's bulk forward moves each item it names (all or none).
    (CouncilSession, "forward"): Runner(
        services.recommendations_forward, None, ("recommendations", *FORWARD)
    ),
    (CouncilSession, "meeting"): Runner(
        services.meeting_record,
        "session",
        ("timing", "held_on", "place", "commune", "deputies", "voters_count", "notes"),
    ),
    # One item at a time is recommendation_carry_over; pages carry a whole session.
    (CouncilSession, "carry_over"): Runner(services.session_carry_over, "session"),
    (VoterMeeting, "collect"): Runner(
        services.recommendation_collect,
        "meeting",
        ("content", "field", "voters_count", "commune", "locality"),
    ),
    (Recommendation, "consolidate"): Runner(
        services.recommendation_consolidate, "keeper", ("duplicates", "content")
    ),
    (Recommendation, "forward"): Runner(services.recommendation_forward, "recommendation", FORWARD),
    (Forwarding, "draft"): Runner(
        services.forwarding_save_draft, "forwarding", (*DRAFT, "document")
    ),
    (Forwarding, "answer"): Runner(
        services.forwarding_answer, "forwarding", (*DRAFT, "answered_on", "document")
    ),
    (Forwarding, "accept"): Runner(
        services.forwarding_accept, "forwarding", ("note", "assessed_on")
    ),
    (Forwarding, "send_back"): Runner(
        services.forwarding_send_back, "forwarding", ("reason", "due_on", "allow_day_off")
    ),
}


def run(case: Any, name: str, *, actor: Actor, data: dict[str, Any] | None = None) -> Any:
    """Make move `name` on `case` through its service, with the inputs it reads of
    `data` (a form's cleaned data or an API input: other keys are left alone)."""
    # The answer form also drafts and the consolidation screen names its keeper: each
    # runner reads only its own inputs.
    return RUNNERS[type(case), name](case, actor, data)
