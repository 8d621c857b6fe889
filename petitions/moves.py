"""What a user may do on a petition, and each move mapped to its service once.

The staff page, the tracking page and the API all run a move through
`run(name, petition, actor, data)` with the same keys in `data` (the pages' forms and
the API's input serializers name their fields alike), and all offer what the machine
answers for this actor now (models.MACHINE: status, guards, role): `available_actions`
for an official (plus the reveal of a denouncer's identity for those who may see it),
`citizen_actions` for the petitioner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from casework.actors import CITIZEN, Actor, User

from . import services
from .models import MACHINE, Petition
from .selectors import may_reveal

MoveService = Callable[[Petition, Actor, dict[str, Any]], object]

# In the machine's order, which is the order pages and the API list them in.
SERVICES: dict[str, MoveService] = {
    "accept": lambda p, actor, d: services.petition_accept(
        petition=p, actor=actor, is_complex=d["is_complex"], note=d["note"]
    ),
    "transfer": lambda p, actor, d: services.petition_transfer(
        petition=p, actor=actor, to_agency=d["to_agency"], note=d["note"]
    ),
    "guide": lambda p, actor, d: services.petition_guide(
        petition=p, actor=actor, guided_to=d["guided_to"]
    ),
    "not_accept": lambda p, actor, d: services.petition_not_accept(
        petition=p, actor=actor, reason=d["reason"], note=d["note"]
    ),
    "file": lambda p, actor, d: services.petition_file(petition=p, actor=actor, note=d["note"]),
    "suspend": lambda p, actor, d: services.petition_suspend(
        petition=p, actor=actor, reason=d["reason"], decision_number=d["decision_number"]
    ),
    "resume": lambda p, actor, d: services.petition_resume(petition=p, actor=actor, note=d["note"]),
    "extend": lambda p, actor, d: services.petition_extend(
        petition=p,
        actor=actor,
        reason=d["reason"],
        decision_number=d["decision_number"],
        especially_complex=d["especially_complex"],
    ),
    "resolve": lambda p, actor, d: services.petition_resolve(
        petition=p,
        actor=actor,
        outcome=d["outcome"],
        decision_number=d["decision_number"],
        decision_date=d["decision_date"],
        result_summary=d["result_summary"],
    ),
    "close": lambda p, actor, d: services.petition_close(petition=p, actor=actor, note=d["note"]),
    # The pages may attach the citizen's letter (the API records the text only), and
    # the citizen's appeal goes to the parent agency.
    "appeal": lambda p, actor, d: services.petition_appeal(
        petition=p,
        actor=actor,
        content=d["content"],
        to_agency=d.get("to_agency"),
        files=d.get("files"),
    ),
    "withdraw": lambda p, actor, d: services.petition_withdraw(
        petition=p, actor=actor, reason=d["reason"]
    ),
    "terminate": lambda p, actor, d: services.petition_terminate(
        petition=p, actor=actor, reason=d["reason"]
    ),
    "assign": lambda p, actor, d: services.petition_assign(
        petition=p, actor=actor, handler=d["handler"]
    ),
    "note": lambda p, actor, d: services.petition_add_note(petition=p, actor=actor, note=d["note"]),
    # The petitioner's own, from the tracking page (no official makes it).
    "add_info": lambda p, actor, d: services.petition_add_information(
        petition=p, text=d["text"], files=d.get("files")
    ),
}
# The moves an official makes, by name (each an API action /petitions/{id}/{name}/).
STAFF_MOVES = tuple(name for name in SERVICES if MACHINE[name].action is not None)
REVEAL = "reveal"


def run(name: str, petition: Petition, actor: Actor, data: dict[str, Any]) -> object:
    """Make the move `name` with its validated input: the service's answer (the event,
    or the new case a transfer or an appeal opened)."""
    return SERVICES[name](petition, actor, data)


def available_actions(user: User, petition: Petition) -> list[str]:
    """What `user` may do on `petition` now, in page order: the moves the machine
    offers them, then the logged reveal of a denouncer's identity."""
    names = MACHINE.moves_for(user, petition, only=STAFF_MOVES)
    if petition.is_denunciation and may_reveal(user, petition):
        names.append(REVEAL)
    return names


def citizen_actions(petition: Petition) -> set[str]:
    """What the petitioner may do from the tracking page now (add information,
    withdraw, appeal), asked of the same machine."""
    return set(MACHINE.moves_for(CITIZEN, petition))
