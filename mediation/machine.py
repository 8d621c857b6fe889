"""The one door of mediation: casework's Machine over `models.MOVES`, asking
`scope.mediation_scope` (team roles, commune officials) rather than agency roles who
may make each move."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from casework.actors import CITIZEN, SYSTEM, Actor
from casework.transitions import Machine, Move

from .models import MOVES, MediationCase, MediationEvent, Status
from .scope import mediation_scope


class MediationMachine(Machine[MediationCase]):
    """A Machine whose staff permission is the mediation scope's: a mediator acts on
    the cases of their team, not of an agency."""

    def permitted(self, spec: Move, actor: Actor, case: MediationCase) -> bool:
        if actor is CITIZEN:
            return spec.by_citizen
        if actor is SYSTEM:
            return spec.by_system
        return spec.action is not None and mediation_scope(actor).can(case, spec.action)


MACHINE = MediationMachine(
    model=MediationCase,
    moves=MOVES,
    event_model=MediationEvent,
    agency_of=lambda case: case.agency_id,
    event_links=lambda case: {"case": case},
    status_label=lambda case, status: str(Status(status).label),
    wrong_status=_("“%(move)s” is not possible while the mediation is “%(status)s”."),
)
