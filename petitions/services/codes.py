"""A new tracking code for a petitioner who lost theirs (the receipt reprinted at the
counter): the code is stored only as its digest, so a reprint cannot show the old one."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_noop

from casework.actors import Actor
from casework.events import said

from ..identity import new_tracking_code, tracking_hash
from ..models import MACHINE, Petition
from .door import apply_move


@transaction.atomic
def petition_new_tracking_code(*, petition: Petition, actor: Actor) -> str:
    """— (status kept): a new secret tracking code, returned to be printed once; the old
    one stops opening the case. One public event, so the petitioner sees why an old
    code no longer works. The rows of the case's history elsewhere (the first round, a
    transfer's sender) share the code and get the new one too."""
    spec = MACHINE.check(petition, "new_code", actor)
    old_hash = petition.tracking_hash
    code = new_tracking_code()
    new_hash = tracking_hash(code)
    apply_move(
        petition,
        spec,
        actor=actor,
        said=said(
            gettext_noop(
                "A new tracking code was issued at the reception office; the previous one "
                "no longer opens the case."
            )
        ),
        changes={"tracking_hash": new_hash},
    )
    # The same case's other rows: read-only history whose status stays as it was.
    Petition.objects.filter(tracking_hash=old_hash).update(tracking_hash=new_hash)
    return code
