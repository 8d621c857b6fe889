"""Every write to a petition: one function per change, each through the one door
(`models.MACHINE`: the moves' table and guards, the actor's role, the guarded update
and exactly one event), grouped by topic:

- `intake`: a submission, and the new case a transfer or an appeal opens;
- `decisions`: acceptance to the end of a case, and the resolution clock;
- `casefile`: assignment, notes, the citizen's information, the identity reveal;
- `dialogue`: a first-round complaint's verification and dialogue;
- `codes`: a new tracking code for a petitioner who lost theirs.

Callers import this package (`services.petition_accept`); `door` is its own.
"""

from __future__ import annotations

from .casefile import (
    attachment_open,
    petition_add_information,
    petition_add_note,
    petition_assign,
    petition_reveal_identity,
)
from .codes import petition_new_tracking_code
from .decisions import (
    close_due_petitions,
    petition_accept,
    petition_close,
    petition_extend,
    petition_file,
    petition_guide,
    petition_not_accept,
    petition_reopen,
    petition_resolve,
    petition_resume,
    petition_suspend,
    petition_terminate,
    petition_withdraw,
)
from .dialogue import (
    dialogue_record,
    dialogue_schedule,
    verification_assign,
    verification_report,
)
from .intake import (
    Submitted,
    handling_policy_key,
    petition_appeal,
    petition_submit,
    petition_transfer,
    resolution_policy_key,
)

__all__ = [
    "Submitted",
    "attachment_open",
    "close_due_petitions",
    "dialogue_record",
    "dialogue_schedule",
    "handling_policy_key",
    "petition_accept",
    "petition_add_information",
    "petition_add_note",
    "petition_appeal",
    "petition_assign",
    "petition_close",
    "petition_extend",
    "petition_file",
    "petition_guide",
    "petition_new_tracking_code",
    "petition_not_accept",
    "petition_reopen",
    "petition_resolve",
    "petition_resume",
    "petition_reveal_identity",
    "petition_submit",
    "petition_suspend",
    "petition_terminate",
    "petition_transfer",
    "petition_withdraw",
    "resolution_policy_key",
    "verification_assign",
    "verification_report",
]
