"""What a user may do on a petition, and each move mapped to its service once.

The staff page, the tracking page and the API all run a move through
`run(name, petition, actor, data)` with the same keys in `data` (the pages' forms and
the API's input serializers name their fields alike), and all offer what the machine
answers for this actor now (models.MACHINE: status, guards, role): `available_actions`
for an official (plus the reveal of a denouncer's identity for those who may see it),
`citizen_actions` for the petitioner.
"""

from __future__ import annotations

from typing import Any

from casework.actors import CITIZEN, Actor, User
from casework.transitions import Runner

from . import services
from .models import MACHINE, Petition
from .selectors import may_reveal

P = "petition"
# In the machine's order, which is the order pages and the API list them in.
SERVICES: dict[str, Runner] = {
    "accept": Runner(services.petition_accept, P, ("is_complex", "note")),
    "transfer": Runner(services.petition_transfer, P, ("to_agency", "note")),
    "guide": Runner(services.petition_guide, P, ("guided_to",)),
    "not_accept": Runner(services.petition_not_accept, P, ("reason", "note")),
    "file": Runner(services.petition_file, P, ("note",)),
    "suspend": Runner(services.petition_suspend, P, ("reason", "decision_number")),
    "resume": Runner(services.petition_resume, P, ("note",)),
    "extend": Runner(
        services.petition_extend, P, ("reason", "decision_number", "especially_complex")
    ),
    "resolve": Runner(
        services.petition_resolve,
        P,
        ("outcome", "decision_number", "decision_date", "result_summary"),
    ),
    "close": Runner(services.petition_close, P, ("note",)),
    # The pages may attach the citizen's letter (the API records the text only), and
    # the citizen's appeal goes to the parent agency (no `to_agency`).
    "appeal": Runner(services.petition_appeal, P, ("content", "to_agency", "files")),
    "withdraw": Runner(services.petition_withdraw, P, ("reason",)),
    "terminate": Runner(services.petition_terminate, P, ("reason",)),
    "assign": Runner(services.petition_assign, P, ("handler",)),
    "note": Runner(services.petition_add_note, P, ("note",)),
    # The petitioner's own, from the tracking page (no official makes it); a reopening
    # is asked for on the verdict app's page, which calls this same runner.
    "reopen": Runner(services.petition_reopen, P, ("reason",)),
    "add_info": Runner(services.petition_add_information, P, ("text", "files"), takes_actor=False),
    # Verification and dialogue (services.dialogue), offered by the case page's partial.
    "verify": Runner(services.verification_assign, P, ("verifier", "due_on", "scope")),
    "verify_report": Runner(services.verification_report, P, ("report", "differs")),
    "dialogue": Runner(
        services.dialogue_schedule, P, ("starts_at", "place", "participants", "note")
    ),
    "dialogue_minutes": Runner(
        services.dialogue_record,
        P,
        ("attendance", "complainant_said", "respondent_said", "agreed", "absence_reason"),
    ),
}
DIALOGUE_MOVES = ("verify", "verify_report", "dialogue", "dialogue_minutes")
# The moves an official makes, by name (each an API action /petitions/{id}/{name}/);
# the dialogue's have their own part of the case page (petitions/_dialogue.html).
STAFF_MOVES = tuple(
    name for name in SERVICES if MACHINE[name].action is not None and name not in DIALOGUE_MOVES
)
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


def dialogue_actions(user: User, petition: Petition) -> list[str]:
    """The verification and dialogue moves `user` may make on `petition` now."""
    return MACHINE.moves_for(user, petition, only=DIALOGUE_MOVES)


def citizen_actions(petition: Petition) -> set[str]:
    """What the petitioner may do from the tracking page now (add information,
    withdraw, appeal), asked of the same machine."""
    return set(MACHINE.moves_for(CITIZEN, petition))
