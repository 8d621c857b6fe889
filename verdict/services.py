"""Every write of the verdict app: the citizen's answer, the reopening, the voters' votes.

The petition itself changes only through its machine (`petitions.moves.run("reopen")`,
the one door: guarded update, one event); the answer is noted on the case's timeline
with `MACHINE.note`, so the agency reads it where it reads everything else.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.models import Role
from agencies.selectors import members_with_roles
from casework import timekeeping
from casework.actors import CITIZEN
from casework.errors import TransitionNotAllowed
from casework.events import said
from casework.reminders import notify_people
from petitions import moves
from petitions.models import MACHINE, Kind, Petition, Status
from recommendations.models import Answer as CouncilAnswer
from sealing.crypto import encrypt, keyed_digest

from .models import CitizenAnswer, Reopening, Score, VoterVote

COMMENT_MAX_LENGTH = 2000


def _answerable(petition: Petition) -> date:
    """The resolution the citizen may answer now, or TransitionNotAllowed."""
    if petition.status != Status.RESOLVED or petition.resolved_on is None:
        raise TransitionNotAllowed(
            _("You can give your opinion once the case is resolved and until it is closed.")
        )
    return petition.resolved_on


@transaction.atomic
def answer_give(
    *, petition: Petition, settled: bool, score: int, comment: str = ""
) -> CitizenAnswer:
    """The citizen's answer on a resolved case (created, or changed until it closes);
    noted on the timeline. A denouncer's answer keeps no comment: nothing in it may
    point to them."""
    resolved_on = _answerable(petition)
    if score not in Score.values:
        raise ValidationError({"score": _("Choose how satisfied you are, from 1 to 5.")})
    text = "" if petition.kind == Kind.DENUNCIATION else comment.strip()
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"comment": _("Keep the comment under %(n)d characters.") % {"n": COMMENT_MAX_LENGTH}}
        )
    now = timekeeping.now()
    answer, _created = CitizenAnswer.objects.update_or_create(
        petition=petition,
        defaults={
            "settled": settled,
            "score": score,
            "comment": encrypt(text) if text else "",
            "resolved_on": resolved_on,
            "updated_at": now,
        },
        create_defaults={
            "settled": settled,
            "score": score,
            "comment": encrypt(text) if text else "",
            "resolved_on": resolved_on,
            "answered_at": now,
            "updated_at": now,
        },
    )
    MACHINE.note(
        petition,
        action="citizen_answer",
        actor=CITIZEN,
        said=said(
            gettext_noop(
                "The petitioner's opinion: %(settled)s; satisfaction %(score)s/5 (%(label)s)."
            ),
            settled=said(
                gettext_noop("the matter is settled")
                if settled
                else gettext_noop("the matter is not settled")
            ),
            score=score,
            label=Score(score).label,
        ),
        public=True,
    )
    return answer


def _current_answer(petition: Petition) -> CitizenAnswer | None:
    answer = CitizenAnswer.objects.filter(petition=petition).first()
    if answer is None or answer.resolved_on != petition.resolved_on:
        return None
    return answer


@transaction.atomic
def petition_reopen_by_citizen(*, petition: Petition, reason: str) -> Reopening:
    """resolved → accepted at the citizen's request, through the petition's own door
    (the move's guards: the kind, once, within the period); keeps the resolution it
    undoes and tells the agency's leads."""
    answer = _current_answer(petition)
    if answer is None or answer.settled:
        raise TransitionNotAllowed(
            _("First say that the matter is not settled for you, then ask to reopen it.")
        )
    previous = {
        "previous_resolved_on": petition.resolved_on,
        "previous_outcome": petition.outcome,
        "previous_decision_number": petition.decision_number,
    }
    moves.run("reopen", petition, CITIZEN, {"reason": reason})
    new_due_on = petition.resolution_due_on or timekeeping.today()  # set by the move
    try:
        with transaction.atomic():
            reopening = Reopening.objects.create(
                petition=petition,
                reopened_on=timekeeping.today(),
                reason=reason.strip(),
                score=answer.score,
                comment=answer.comment,
                new_due_on=new_due_on,
                **previous,
            )
    except IntegrityError as exc:  # the move's guard makes this unreachable but racing
        raise TransitionNotAllowed(_("A case can be reopened only once.")) from exc
    # The answer was about the resolution just undone: it lives on in the reopening,
    # and the next resolution is asked afresh (even one given the same day).
    answer.delete()
    timekeeping.tell(lambda: _tell_leads(petition))
    return reopening


def _tell_leads(petition: Petition) -> int:
    # The reason stays on the case page: the notice names the case and the new date.
    leads = members_with_roles(petition.handling_agency_id, [Role.LEAD])
    return notify_people(
        petition,
        leads,
        key=f"verdict:{petition.pk}:reopened",
        kind="verdict.reopened",
        template="verdict/staff_reopened",
        context={
            "reference": petition.reference,
            "subject": petition.subject,
            "due_on": petition.resolution_due_on,
        },
    )


# --- voters ---------------------------------------------------------------------------


def voter_digest(browser_id: str, answer_id: int) -> str:
    """The stored stand-in of one browser for one answer: a keyed digest, so that the
    votes of one browser on two answers cannot even be tied to each other."""
    return keyed_digest(f"{browser_id}\n{answer_id}", purpose="voter-vote")


@transaction.atomic
def voter_vote(*, answer: CouncilAnswer, browser_id: str, settled: bool) -> VoterVote:
    """A voter's verdict on a published, accepted answer: one per browser and answer
    (a second vote from the same browser changes the first)."""
    if not browser_id:
        raise ValidationError(_("Your browser did not keep the page's cookie; try again."))
    vote, _created = VoterVote.objects.update_or_create(
        answer=answer,
        voter=voter_digest(browser_id, answer.pk),
        defaults={"settled": settled},
    )
    return vote
