"""Each move mapped to its service once: the case page and any other door run a move
through `run(name, case, actor, data)` with the same keys in `data`, and offer what the
machine answers for this actor now (`available_actions`)."""

from __future__ import annotations

from typing import Any

from casework.actors import Actor, User
from casework.transitions import Runner

from . import services
from .machine import MACHINE
from .models import MediationCase

C = "case"
# In the machine's order, which is the order the case page lists them in.
SERVICES: dict[str, Runner] = {
    "assign": Runner(services.case_assign, C, ("mediator", "officer", "chosen_by_parties", "note")),
    "replace": Runner(services.case_replace_mediator, C, ("mediator", "reason")),
    "session": Runner(services.case_record_session, C, ("held_on", "place", "is_public", "notes")),
    "succeed": Runner(
        services.case_succeed, C, ("note", "written", "texts", "obligations", "signed")
    ),
    "fail": Runner(services.case_fail, C, ("note",)),
    "end": Runner(services.case_end, C, ("party", "reason")),
    "refuse": Runner(services.case_refuse, C, ("reason",)),
    "resume": Runner(services.case_resume, C, ("note",)),
    "refer": Runner(
        services.case_refer,
        C,
        ("referred_to", "petition_agency", "petition_kind", "open_land", "note"),
    ),
    "performed": Runner(services.case_performed, C, ("note",)),
    "not_performed": Runner(services.case_not_performed, C, ("note",)),
    "recognise": Runner(services.case_recognise, C, ("court_decision", "recognised_on")),
    "note": Runner(services.case_add_note, C, ("note",)),
}


def run(name: str, case: MediationCase, actor: Actor, data: dict[str, Any]) -> object:
    """Make the move `name` with its validated input; the service's event."""
    return SERVICES[name](case, actor, data)


def available_actions(user: User, case: MediationCase) -> list[str]:
    """What `user` may do on `case` now, in page order."""
    return MACHINE.moves_for(user, case, only=SERVICES)
