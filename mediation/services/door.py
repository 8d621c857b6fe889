"""What every mediation service shares: the door each move goes through, the running
clock's columns, and the notices to the people on a case."""

from __future__ import annotations

from typing import Any, cast

from agencies.clocks import Clock as LegalClock
from casework import timekeeping
from casework.actors import Actor
from casework.events import Said
from casework.transitions import Move
from notifications.services import notify

from ..machine import MACHINE
from ..models import MediationCase, MediationEvent, TeamMember


def apply_move(
    case: MediationCase,
    spec: Move,
    *,
    actor: Actor,
    note: str = "",
    said: Said | None = None,
    changes: dict[str, Any] | None = None,
) -> MediationEvent:
    """Make a move the service has checked (`MACHINE.check` returned `spec`): the
    guarded update and its one event. Mediation events are internal (no citizen
    follows a mediation on the portal)."""
    event = MACHINE.apply(
        case,
        move=spec.name,
        actor=actor,
        note=note.strip(),
        said=said,
        public=False,
        changes=changes,
        checked=True,
    )
    return cast(MediationEvent, event)


def clock_fields(clock: LegalClock | None, kind: str) -> dict[str, Any]:
    """The running clock's columns: `clock` of `kind`, or no clock at all."""
    if clock is None:
        return {
            "clock": "",
            "clock_due_on": None,
            "clock_due_soon_on": None,
            "clock_long_overdue_on": None,
            "clock_rule": None,
            "next_reminder_on": None,
        }
    # A new due date starts its reminders afresh (reminders.SWEEP).
    return {"clock": kind, **clock.as_fields("clock"), "next_reminder_on": clock.due_soon_on}


def tell_assigned(case: MediationCase, member: TeamMember | None, user: Any) -> None:
    """The assigned mediator (or land official) hears of it once, in the outbox of the
    change's transaction; the e-mail leaves after commit."""
    person = member.user if member is not None else user
    if person is None or not person.is_active:
        return

    def write() -> None:
        notify(
            key=f"mediation:{case.pk}:assigned:{person.pk}:{case.assigned_on}",
            kind="mediation.assigned",
            template="mediation/assigned",
            context={
                "reference": case.reference,
                "subject": case.subject,
                "due_on": case.start_due_on or case.clock_due_on,
            },
            user=person,
            url=case.get_absolute_url(),
        )

    timekeeping.tell(write)
