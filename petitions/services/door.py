"""What every petition service shares: the door each move goes through, the running
clock's columns, and stored attachments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib.auth.models import User

from agencies.clocks import Clock as LegalClock
from casework import timekeeping
from casework.actors import Actor, user_of
from casework.errors import NotPermitted
from casework.events import Said
from casework.transitions import Move
from casework.uploads import CheckedFile

from ..models import MACHINE, OPEN_STATUSES, Attachment, Petition, PetitionEvent


def apply_move(
    petition: Petition,
    spec: Move,
    *,
    actor: Actor,
    note: str = "",
    said: Said | None = None,
    public: bool = True,
    changes: dict[str, Any] | None = None,
    notice: Callable[[], object] | None = None,
) -> PetitionEvent:
    """Make a move the service has checked (`MACHINE.check`, which returned `spec`):
    the machine's guarded update and its one event, the day the case left the open
    statuses, and the notices written in the same transaction (not for history)."""
    values = dict(changes or {})
    if petition.status in OPEN_STATUSES and spec.target_for(petition.status) not in OPEN_STATUSES:
        values["ended_on"] = timekeeping.today()
    event = MACHINE.apply(
        petition,
        move=spec.name,
        actor=actor,
        note=note,
        said=said,
        public=public,
        changes=values,
        checked=True,
    )
    if notice is not None:
        # The outbox rows commit (or roll back) with the change; delivery waits for it.
        timekeeping.tell(notice)
    return cast(PetitionEvent, event)


def account_of(actor: Actor) -> User:
    """The official's account, for the audit columns only officials fill (an extension's
    or a suspension's decision, an identity reveal)."""
    user = user_of(actor)
    if user is None or not user.is_authenticated:
        raise NotPermitted()
    return cast(User, user)


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
    # A new or moved due date starts its reminders afresh (reminders.remind_one).
    return {"clock": kind, **clock.as_fields("clock"), "next_reminder_on": clock.due_soon_on}


def store_attachments(
    petition: Petition,
    files: list[CheckedFile],
    event: PetitionEvent | None,
    *,
    identifying: bool,
) -> None:
    for checked in files:
        Attachment.objects.create(
            petition=petition,
            event=event,
            file=checked.upload,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.upload.size or 0,
            is_identifying=identifying,
        )
