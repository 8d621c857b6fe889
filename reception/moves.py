"""Each move of a visit mapped to its service once: the pages and the API run a move
through `run(name, visit, actor, data)` with the same keys in `data`, and offer what
the machine answers for this actor now (`available_actions`)."""

from __future__ import annotations

from typing import Any

from casework.actors import Actor, User
from casework.transitions import Runner

from . import services
from .models import MACHINE, Visit
from .selectors import may_reveal

V = "visit"
SERVICES: dict[str, Runner] = {
    "take_petition": Runner(
        services.visit_take_petition, V, ("kind", "documents", "note", "files")
    ),
    "take_minutes": Runner(services.visit_take_minutes, V, ("kind", "documents", "note")),
    "guide": Runner(services.visit_guide, V, ("guided_to", "note")),
    "explain": Runner(services.visit_explain, V, ("note",)),
    "refuse": Runner(services.visit_refuse, V, ("reason", "note")),
    "answer": Runner(services.visit_answer, V, ("answer_form", "answer_text")),
    "same_matter": Runner(services.visit_same_matter, V, ("earlier",)),
    "note": Runner(services.visit_add_note, V, ("note",)),
}
REVEAL = "reveal"


def run(name: str, visit: Visit, actor: Actor, data: dict[str, Any]) -> object:
    return SERVICES[name](visit, actor, data)


def available_actions(user: User, visit: Visit, *, has_earlier: bool = False) -> list[str]:
    """What `user` may do on `visit` now, in page order; linking to an earlier visit
    only when the citizen has one, and the logged reveal of a sealed identity."""
    names = MACHINE.moves_for(user, visit, only=SERVICES)
    if not has_earlier:
        names = [name for name in names if name != "same_matter"]
    if visit.is_sealed and may_reveal(user, visit):
        names.append(REVEAL)
    return names
