"""How every service of voter recommendations records a change: on the day of
casework.timekeeping (a step recorded as of a past day happens on that day), under the
account of the official who made it, and — for a row just created, which no move has
yet — with the event of its first status."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.models import AdministrativeUnit, Agency
from agencies.scope import Action, can
from casework import timekeeping
from casework.actors import Actor, user_of
from casework.errors import NotPermitted
from casework.events import Said, record
from casework.transitions import Machine

from ..models import RecommendationEvent

Event = RecommendationEvent.Action


def day_text(day: date) -> str:
    return date_format(day, "d/m/Y")


def not_in_future(day: date, field: str) -> None:
    if day > timekeeping.today():
        raise ValidationError({field: _("This date cannot be in the future.")})


def account(actor: Actor) -> Any:
    """The account a row names as its author (an official; never the citizen or beat)."""
    return user_of(actor)


def council_staff_only(actor: Actor, council_id: int) -> None:
    """Reference data (a term, a session) has no machine yet: council staff create it."""
    if not can(actor, council_id, Action.COUNCIL):
        raise NotPermitted()


def created(
    machine: Machine[Any],
    case: Any,
    *,
    action: str,
    actor: Actor,
    note: str = "",
    said: Said | None = None,
) -> RecommendationEvent:
    """The event of a row just created: from nothing to its first status (no move)."""
    # A creation is not a move (nothing to guard): the machine lends its links, its
    # agency and its after-commit hook, so the event reads like every other.
    event = record(
        RecommendationEvent,
        action=action,
        actor=actor,
        agency_id=machine.agency_of(case),
        to_status=case.status,
        note=note,
        said=said,
        public=False,
        **machine.event_links(case),
    )
    if machine.after_event is not None:
        machine.after_event(case, event)
    return event


def check_commune(commune: AdministrativeUnit | None, council: Agency, field: str) -> None:
    if commune is None:
        return
    if (
        commune.level != AdministrativeUnit.Level.COMMUNE
        or commune.parent_id != council.province_id
    ):
        raise ValidationError({field: _("Choose a commune of the council's province.")})
