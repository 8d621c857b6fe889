"""Every write to a mediation: one function per change, each through the one door
(`machine.MACHINE`: the moves' table and guards, the actor's team role, the guarded
update and exactly one event), grouped by topic:

- `intake`: `open_case` (which other apps call to hand a dispute over), assignment and
  the replacement of a conflicted mediator;
- `conduct`: sessions and how the mediation concludes;
- `followup`: the settlement's follow-up, referral, court recognition, notes.
"""

from __future__ import annotations

from .conduct import (
    SETTLEMENT_FIELDS,
    ObligationData,
    case_end,
    case_fail,
    case_record_session,
    case_refuse,
    case_resume,
    case_succeed,
)
from .followup import (
    REFERRAL_KINDS,
    case_add_note,
    case_not_performed,
    case_performed,
    case_recognise,
    case_refer,
)
from .intake import case_assign, case_replace_mediator, commune_committee, open_case

__all__ = [
    "REFERRAL_KINDS",
    "SETTLEMENT_FIELDS",
    "ObligationData",
    "case_add_note",
    "case_assign",
    "case_end",
    "case_fail",
    "case_not_performed",
    "case_performed",
    "case_recognise",
    "case_record_session",
    "case_refer",
    "case_refuse",
    "case_replace_mediator",
    "case_resume",
    "case_succeed",
    "commune_committee",
    "open_case",
]
