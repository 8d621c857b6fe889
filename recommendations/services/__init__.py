"""Every write to voter recommendations. One function per state change; a status is
written only by a machine's `apply()` (models: SESSION_MACHINE, RECOMMENDATION_MACHINE,
FORWARDING_MACHINE) — after checking the move and the actor, with an update guarded on
the status and `updated_at` read, and exactly one event row — and side effects wait for
the commit.

Who may do what is data on the moves (models): council staff (`Action.COUNCIL` on the
session's People's Council) record meetings, collect, consolidate, forward, assess, carry
over and publish; in the answering agency a lead (`Action.LEAD`) submits the answer, and
a handler (`Action.HANDLE`) may save a draft for the lead — an answer commits the agency,
so it goes out under a lead's name, as the agency's official letter does.

Services read the day from casework.timekeeping, so that history recorded inside
`timekeeping.as_of(day)` (the demo, a register entered late) happens on that day.
By topic: sessions (terms, meetings, carry-over, publication), items (collecting and
consolidating), forwarding, answers (answering and the council's assessment).
"""

from .answers import (
    forwarding_accept,
    forwarding_answer,
    forwarding_save_draft,
    forwarding_send_back,
)
from .forwarding import ANSWER_CLOCK, COUNCIL_KINDS, recommendation_forward, recommendations_forward
from .items import recommendation_collect, recommendation_consolidate
from .sessions import (
    meeting_record,
    recommendation_carry_over,
    session_carry_over,
    session_create,
    session_publish,
    term_create,
)

__all__ = [
    "ANSWER_CLOCK",
    "COUNCIL_KINDS",
    "forwarding_accept",
    "forwarding_answer",
    "forwarding_save_draft",
    "forwarding_send_back",
    "meeting_record",
    "recommendation_carry_over",
    "recommendation_collect",
    "recommendation_consolidate",
    "recommendation_forward",
    "recommendations_forward",
    "session_carry_over",
    "session_create",
    "session_publish",
    "term_create",
]
