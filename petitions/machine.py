"""The petition's moves, as data, and the one door through which they are made.

`MOVES` lists each move with the guards that can forbid it now; `MACHINE`
(casework.transitions) is the only writer of `Petition.status`, called by one service per
move. The models are in `models.py`, which re-exports these names.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agencies.clocks import (
    clock_from_fields,
    policy_in_force,
    policy_in_force_or_none,
)
from agencies.scope import Action
from agencies.workdays import add_days
from casework import timekeeping
from casework.actors import CITIZEN as CITIZEN  # re-exported: the petitioner's marker
from casework.actors import SYSTEM as SYSTEM  # … and the portal's (beat, a transfer)
from casework.transitions import Machine, Move, move

from .models import (
    OPEN_STATUSES,
    DialogueStage,
    Kind,
    Petition,
    PetitionEvent,
    Status,
)


def extension_flags(petition: Petition, *, especially_complex: bool) -> tuple[bool, bool]:
    """(complex, especially complex) once extended: extending a denunciation declares it
    complex, and especially complex when the decision says so (Law on Denunciations
    art. 30); other kinds keep what they were accepted as."""
    if petition.kind != Kind.DENUNCIATION:
        return petition.is_complex, petition.is_especially_complex
    return True, petition.is_especially_complex or especially_complex


def extensions_allowed(petition: Petition, *, especially_complex: bool = False) -> tuple[int, int]:
    """(days per extension, how many) the policy in force allows this petition once
    extended (`especially_complex`: as the extension decision declares it)."""
    clock = clock_from_fields(petition, "clock")
    if clock is None:
        return 0, 0
    policy = policy_in_force(clock.policy_key, clock.due.start)
    if not policy.extension_days:
        return 0, 0
    if petition.kind == Kind.DENUNCIATION:
        # Law on Denunciations art. 30: complex once, especially complex twice.
        _complex, especially = extension_flags(petition, especially_complex=especially_complex)
        cap = policy.max_extensions if especially else min(1, policy.max_extensions)
        return policy.extension_days, cap
    return policy.extension_days, policy.max_extensions


def extension_refusal(petition: Petition, *, especially_complex: bool) -> str | None:
    """Why the petition may not be extended (again), or None."""
    _days, cap = extensions_allowed(petition, especially_complex=especially_complex)
    if petition.extensions_count < cap:
        return None
    return gettext("No further extension is allowed: %(used)d of %(cap)d used.") % {
        "used": petition.extensions_count,
        "cap": cap,
    }


def _extension_cap_reached(petition: Petition) -> str | None:
    # Offered while the most this case can reach is not used up: a denunciation may
    # still be declared especially complex by the next decision.
    return extension_refusal(petition, especially_complex=True)


def _not_first_round_complaint(petition: Petition) -> str | None:
    if petition.kind != Kind.COMPLAINT or petition.round != 1:
        return gettext("Only a first-round complaint can be appealed.")
    return None


def _denunciation_transferred_before(petition: Petition) -> str | None:
    if petition.is_denunciation and petition.transferred_from_id is not None:
        return gettext("A denunciation may be transferred only once.")
    return None


def _closed_for_assignment(petition: Petition) -> str | None:
    return None if petition.is_open else gettext("Only an open petition can be assigned.")


def _not_accepted_first_round_complaint(petition: Petition) -> str | None:
    if petition.kind != Kind.COMPLAINT or petition.round != 1:
        return gettext("Verification and dialogue belong to a first-round complaint.")
    return None


def _verification_running(petition: Petition) -> str | None:
    if petition.dialogue_stage == DialogueStage.VERIFYING:
        return gettext("A verification is under way: record its report first.")
    return None


def _no_verification_running(petition: Petition) -> str | None:
    if petition.dialogue_stage != DialogueStage.VERIFYING:
        return gettext("No verification is under way.")
    return None


def _no_dialogue_needed_yet(petition: Petition) -> str | None:
    stage = petition.dialogue_stage
    if stage in (DialogueStage.MATCHES, DialogueStage.DIFFERS, DialogueStage.ABSENT):
        return None
    if stage == DialogueStage.SCHEDULED:
        return gettext("A dialogue is already scheduled: record its minutes first.")
    if stage == DialogueStage.HELD:
        return gettext("The dialogue has been held.")
    return gettext("Record the verification report before scheduling a dialogue.")


def _no_dialogue_scheduled(petition: Petition) -> str | None:
    if petition.dialogue_stage != DialogueStage.SCHEDULED:
        return gettext("No dialogue is scheduled.")
    return None


def _dialogue_missing(petition: Petition) -> str | None:
    """Why a first-round complaint may not be resolved yet (Law on Complaints arts.
    29–30): its verification is not reported, or the result differs from the request
    and no dialogue has been held."""
    if petition.kind != Kind.COMPLAINT or petition.round != 1:
        return None
    stage = petition.dialogue_stage
    if stage == DialogueStage.VERIFYING:
        return gettext(
            "The verification report has not been recorded yet: record it before resolving."
        )
    if stage in (DialogueStage.DIFFERS, DialogueStage.SCHEDULED):
        return gettext(
            "The complainant's request and the verification result differ: the law requires "
            "a dialogue (Law on Complaints, art. 30). Hold it and record its minutes before "
            "resolving."
        )
    if stage == DialogueStage.ABSENT:
        # Rare: one query, only for a complaint whose complainant stayed away.
        last = petition.dialogues.order_by("-starts_at", "-id").first()
        if last is None or not last.absence_lets_resolution_go_on:
            return gettext(
                "The complainant did not attend the dialogue; before 01/07/2026 the law does "
                "not let the resolution go on without it: schedule the dialogue again."
            )
    return None


def _closed_for_information(petition: Petition) -> str | None:
    # A denouncer cannot reopen a resolved denunciation but may still bring new
    # information about it (the verdict app's page says so).
    if petition.is_open or (petition.is_denunciation and petition.status == Status.RESOLVED):
        return None
    return gettext("Information can only be added while the case is open.")


# The period after a resolution in which the citizen may reopen a recommendation or
# reflection they say is not settled: a deadline policy row (the verdict app's data).
REOPEN_POLICY: str = "petition.reopen"
REOPENABLE_KINDS: frozenset[str] = frozenset({Kind.RECOMMENDATION, Kind.REFLECTION})


def reopen_until(petition: Petition) -> date | None:
    """The last day the citizen may reopen the resolved case, or None if never."""
    if petition.resolved_on is None:
        return None
    policy = policy_in_force_or_none(REOPEN_POLICY, petition.resolved_on)
    if policy is None:
        return None
    return add_days(petition.resolved_on, policy.days, working=policy.working_days).due


def _not_reopenable_kind(petition: Petition) -> str | None:
    if petition.kind in REOPENABLE_KINDS:
        return None
    return gettext("Only a recommendation or a reflection can be reopened.")


def _reopened_before(petition: Petition) -> str | None:
    if PetitionEvent.objects.filter(petition_id=petition.pk, action="reopen").exists():
        return gettext("A case can be reopened only once.")
    return None


def _reopen_period_over(petition: Petition) -> str | None:
    until = reopen_until(petition)
    if until is None or timekeeping.today() > until:
        return gettext("The period for reopening this case is over.")
    return None


_OPEN = OPEN_STATUSES
_ANY = Status.values
# In the order the case page offers them. A target of None keeps the status (a change
# of the case that is not a status move still goes through the door, with one event).
MOVES: tuple[Move, ...] = (
    move(
        "accept", {Status.RECEIVED}, Status.ACCEPTED, Action.LEAD, label=_("Accept for resolution")
    ),
    move(
        "transfer",
        {Status.RECEIVED},
        Status.TRANSFERRED,
        Action.HANDLE,
        label=_("Transfer"),
        guards=(_denunciation_transferred_before,),
    ),
    move("guide", {Status.RECEIVED}, Status.GUIDED, Action.HANDLE, label=_("Guide the citizen")),
    move(
        "not_accept", {Status.RECEIVED}, Status.NOT_ACCEPTED, Action.LEAD, label=_("Do not accept")
    ),
    move("file", {Status.RECEIVED}, Status.FILED, Action.HANDLE, label=_("File without action")),
    move("suspend", {Status.ACCEPTED}, Status.SUSPENDED, Action.LEAD, label=_("Suspend")),
    move("resume", {Status.SUSPENDED}, Status.ACCEPTED, Action.LEAD, label=_("Resume")),
    move(
        "extend",
        {Status.ACCEPTED},
        None,
        Action.LEAD,
        label=_("Extend the deadline"),
        guards=(_extension_cap_reached,),
    ),
    move(
        "resolve",
        {Status.ACCEPTED},
        Status.RESOLVED,
        Action.LEAD,
        label=_("Resolve"),
        guards=(_dialogue_missing,),
    ),
    move("close", {Status.RESOLVED}, Status.CLOSED, Action.LEAD, label=_("Close"), by_system=True),
    move(
        "appeal",
        {Status.RESOLVED},
        Status.APPEALED,
        Action.HANDLE,
        label=_("Second-round complaint"),
        by_citizen=True,
        guards=(_not_first_round_complaint,),
    ),
    move("withdraw", _OPEN, Status.WITHDRAWN, Action.LEAD, label=_("Withdraw"), by_citizen=True),
    move("terminate", _OPEN, Status.TERMINATED, Action.LEAD, label=_("Terminate")),
    move(
        "assign",
        _ANY,
        None,
        Action.LEAD,
        label=_("Assign a handler"),
        guards=(_closed_for_assignment,),
    ),
    move("note", _ANY, None, Action.HANDLE, label=_("Internal note")),
    # Verification and dialogue on a first-round complaint (services.dialogue; the case
    # page's partial petitions/_dialogue.html offers them, not the generic actions).
    move(
        "verify",
        {Status.ACCEPTED},
        None,
        Action.LEAD,
        label=_("Assign verification"),
        guards=(_not_accepted_first_round_complaint, _verification_running),
    ),
    move(
        "verify_report",
        {Status.ACCEPTED},
        None,
        Action.HANDLE,
        label=_("Verification report"),
        guards=(_not_accepted_first_round_complaint, _no_verification_running),
    ),
    move(
        "dialogue",
        {Status.ACCEPTED},
        None,
        Action.LEAD,
        label=_("Dialogue scheduled"),
        guards=(_not_accepted_first_round_complaint, _no_dialogue_needed_yet),
    ),
    move(
        "dialogue_minutes",
        {Status.ACCEPTED},
        None,
        Action.LEAD,
        label=_("Dialogue minutes"),
        guards=(_not_accepted_first_round_complaint, _no_dialogue_scheduled),
    ),
    # The citizen says a resolved recommendation or reflection is not settled: it
    # returns to the agency with a new resolution clock, once, within the period.
    move(
        "reopen",
        {Status.RESOLVED},
        Status.ACCEPTED,
        None,
        label=_("Reopened at the citizen's request"),
        by_citizen=True,
        guards=(_not_reopenable_kind, _reopened_before, _reopen_period_over),
    ),
    # A new tracking code for a petitioner who lost theirs, printed on a new receipt at
    # the counter (petitions.receipts); a case handed on elsewhere gets it where it is now.
    move(
        "new_code",
        set(Status.values) - {Status.TRANSFERRED, Status.APPEALED},
        None,
        Action.HANDLE,
        label=_("New tracking code issued"),
    ),
    # The citizen's own addition from the tracking page; no official makes it.
    move(
        "add_info",
        _ANY,
        None,
        None,
        label=_("Information added by the citizen"),
        by_citizen=True,
        guards=(_closed_for_information,),
    ),
)

MACHINE: Machine[Petition] = Machine(
    model=Petition,
    moves=MOVES,
    event_model=PetitionEvent,
    agency_of=lambda petition: petition.handling_agency_id,
    event_links=lambda petition: {"petition": petition},
    status_label=lambda petition, status: str(Status(status).label),
    wrong_status=_("“%(move)s” is not possible while the petition is “%(status)s”."),
)
