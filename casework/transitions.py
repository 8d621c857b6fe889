"""Moves and the one door through which every case machine changes a status.

A machine is its moves as data. A `Move` names where it may start (`sources`), where
it ends (`target`, or the same status for moves such as an extension), the staff
capability it needs in the case's agency (`action`), whether the citizen or the
system may make it, and its `guards`: rules about the case that can forbid the move
now ("a closed matter cannot be sent back"), each returning the reason in words.

Pages, API and services ask the same machine:
- `moves_for(actor, case)`: the moves this actor may make on this case now (what a
  page offers and the API lists as available actions);
- `check(case, move, actor)`: raise TransitionNotAllowed (with the guard's reason) or
  NotPermitted, the same refusal whichever door was used;
- `apply(case, move=…, actor=…, changes=…)`: check, then update the row only if its
  status *and* `updated_at` are still the ones read (a same-status move such as an
  extension must not overwrite what happened since), write exactly one event, and
  set the new values on the instance. A lost race raises ConcurrentChange.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from agencies.scope import Action, can

from . import timekeeping
from .actors import CITIZEN, SYSTEM, Actor
from .errors import ConcurrentChange, NotPermitted, TransitionNotAllowed
from .events import CaseEvent, Said, record

CaseT = TypeVar("CaseT", bound=models.Model)
# A guard answers why a move is not possible now, or None when it is.
Guard = Callable[[Any], "str | Promise | None"]


@dataclass(frozen=True)
class Move:
    """One allowed change: from where, to where, who may make it, and what forbids it."""

    name: str
    sources: frozenset[str]
    target: str | None  # None: the status stays what it is (an internal change)
    action: Action | None  # the staff capability needed in the case's agency
    label: str | Promise = ""
    by_citizen: bool = False
    by_system: bool = False
    guards: tuple[Guard, ...] = ()
    # The agency whose role decides (default: the machine's `agency_of`); a council
    # assesses a forwarding that the answering agency owns.
    agency: Callable[[Any], int | None] | None = None
    # Sources from which the move leaves the status as it is (a forwarded item that
    # absorbs a duplicate stays forwarded; a collected one becomes consolidated).
    stays_in: frozenset[str] = frozenset()
    # False: the event names no status (a draft saved for a lead is work on the case,
    # not a step of it).
    records_status: bool = True

    def target_for(self, status: str) -> str:
        return status if self.target is None or status in self.stays_in else self.target

    def refusal(self, case: Any) -> str | None:
        """Why the move cannot be made on `case` now (its guards), or None."""
        for guard in self.guards:
            reason = guard(case)
            if reason:
                return str(reason)
        return None


def move(
    name: str,
    sources: Iterable[str],
    target: str | None,
    action: Action | None,
    **options: Any,
) -> Move:
    """A Move with `sources` given as any iterable (a set, a list, one TextChoices)."""
    return Move(name, frozenset(str(s) for s in sources), target, action, **options)


@dataclass
class Machine(Generic[CaseT]):
    """The moves of one kind of case, with the one guarded update and its event."""

    model: type[CaseT]
    moves: Sequence[Move]
    event_model: type[CaseEvent]
    agency_of: Callable[[Any], int | None]
    # The event's links to its case (`{"petition": case}`), and a hook that runs after
    # each event is written (a cache to drop after commit).
    event_links: Callable[[Any], dict[str, Any]]
    status_label: Callable[[Any, str], str] = field(default=lambda case, status: status)
    # The refusal of a move from a status it does not start from, in the machine's own
    # words (a lazy translation with %(move)s and %(status)s: "while the petition is…");
    # None keeps the generic sentence.
    wrong_status: str | Promise | None = None
    after_event: Callable[[Any, CaseEvent], None] | None = None
    by_name: dict[str, Move] = field(init=False)
    transitions: dict[str, frozenset[str]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_name = {m.name: m for m in self.moves}
        table: dict[str, frozenset[str]] = {}
        for m in self.moves:
            if m.target is None:
                continue
            for source in m.sources:
                table[source] = table.get(source, frozenset()) | {m.target_for(source)}
        self.transitions = table

    def __getitem__(self, name: str) -> Move:
        return self.by_name[name]

    def can_transition_to(self, case: CaseT, status: str) -> bool:
        return status in self.transitions.get(getattr(case, "status", ""), frozenset())

    # --- who may, and what forbids --------------------------------------------------------

    def permitted(self, spec: Move, actor: Actor, case: CaseT) -> bool:
        """Whether this kind of actor may make the move on this case at all."""
        if actor is CITIZEN:
            return spec.by_citizen
        if actor is SYSTEM:
            return spec.by_system
        agency_id = (spec.agency or self.agency_of)(case)
        return spec.action is not None and can(actor, agency_id, spec.action)

    def refusal(self, spec: Move, case: CaseT) -> str | None:
        """Why the move is impossible on the case as it is now, or None."""
        status = str(getattr(case, "status", ""))
        if status not in spec.sources:
            template = (
                str(self.wrong_status)
                if self.wrong_status
                else _("“%(move)s” is not possible while it is “%(status)s”.")
            )
            return template % {
                "move": spec.label or spec.name,
                "status": self.status_label(case, status),
            }
        return spec.refusal(case)

    def check(self, case: CaseT, name: str, actor: Actor) -> Move:
        """The move, or TransitionNotAllowed / NotPermitted: the same answer for every door."""
        spec = self.by_name[name]
        reason = self.refusal(spec, case)
        if reason:
            raise TransitionNotAllowed(reason)
        if not self.permitted(spec, actor, case):
            raise NotPermitted()
        return spec

    def moves_for(
        self, actor: Actor, case: CaseT, *, only: Iterable[str] | None = None
    ) -> list[str]:
        """The moves `actor` may make on `case` now, in the machine's order."""
        wanted = set(only) if only is not None else None
        return [
            m.name
            for m in self.moves
            if (wanted is None or m.name in wanted)
            and self.refusal(m, case) is None
            and self.permitted(m, actor, case)
        ]

    # --- the one door ---------------------------------------------------------------------

    def apply(
        self,
        case: CaseT,
        *,
        move: str,
        actor: Actor,
        note: str = "",
        said: Said | None = None,
        public: bool = True,
        changes: dict[str, Any] | None = None,
        checked: bool = False,
        event_agency_id: int | None = None,
    ) -> CaseEvent:
        """Make the move: check it, update the row if unchanged since read, one event.

        `checked` skips the check when the service has just made it (to compute the
        changes); `event_agency_id` names the agency the actor acted for when it is
        not the case's own (a council assessing an agency's answer).
        """
        spec = self.by_name[move] if checked else self.check(case, move, actor)
        from_status = str(getattr(case, "status", ""))
        to_status = spec.target_for(from_status)
        values = {**(changes or {}), "status": to_status, "updated_at": timekeeping.now()}
        updated = self.model._default_manager.filter(
            pk=case.pk, status=from_status, updated_at=getattr(case, "updated_at", None)
        ).update(**values)
        if updated != 1:
            raise ConcurrentChange()
        for name, value in values.items():
            setattr(case, name, value)
        agency_id = event_agency_id
        if agency_id is None:
            agency_id = (spec.agency or self.agency_of)(case)
        event = record(
            self.event_model,
            action=spec.name,
            actor=actor,
            agency_id=agency_id,
            from_status=from_status if spec.records_status else "",
            to_status=to_status if spec.records_status else "",
            note=note,
            said=said,
            public=public,
            **self.event_links(case),
        )
        if self.after_event is not None:
            self.after_event(case, event)
        return event

    def note(
        self,
        case: CaseT,
        *,
        action: str,
        actor: Actor,
        note: str = "",
        said: Said | None = None,
        public: bool = False,
        agency_id: int | None = None,
        links: dict[str, Any] | None = None,
    ) -> CaseEvent:
        """An event that changes nothing on the case (a note, a reveal, added info).

        `links` overrides some of the event's links (an item carried over is noted on
        the session it is carried to)."""
        status = str(getattr(case, "status", ""))
        event = record(
            self.event_model,
            action=action,
            actor=actor,
            agency_id=self.agency_of(case) if agency_id is None else agency_id,
            from_status=status,
            to_status=status,
            note=note,
            said=said,
            public=public,
            **{**self.event_links(case), **(links or {})},
        )
        if self.after_event is not None:
            self.after_event(case, event)
        return event


@dataclass(frozen=True)
class Runner:
    """A move's service, called the same way from every door: the keyword it takes the
    case as (None: it takes none), the inputs it reads from a form's or a serializer's
    data, and whether it takes the actor (the citizen's added information does not)."""

    service: Callable[..., Any]
    case: str | None
    inputs: tuple[str, ...] = ()
    takes_actor: bool = True

    def __call__(self, case: Any, actor: Actor, data: dict[str, Any] | None = None) -> Any:
        given = data or {}
        # A form carries more than the service reads, and an absent key keeps the
        # service's default.
        kwargs = {key: given[key] for key in self.inputs if key in given}
        if self.case is not None:
            kwargs[self.case] = case
        if self.takes_actor:
            kwargs["actor"] = actor
        return self.service(**kwargs)
