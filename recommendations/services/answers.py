"""The agency's answer (a handler's draft, the lead's answer) and the council's
assessment of it: accepted as the result, or sent back on a new clock."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.clocks import start_clock
from agencies.workdays import WorkCalendar, next_working_day
from casework import timekeeping
from casework.actors import Actor
from casework.errors import ConcurrentChange
from casework.events import said

from .. import notices
from ..models import FORWARDING_MACHINE, Answer, Forwarding, ResultCategory
from .forwarding import ANSWER_CLOCK, answer_clock_fields, council_set_clock, refresh_outcome
from .recording import account, day_text, not_in_future

# --- answering ----------------------------------------------------------------------------


def _check_answer(
    *, text: str, category: str, reason: str, planned_by: date | None, document_number: str
) -> None:
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = _("Write the answer.")
    if category not in ResultCategory.values:
        errors["category"] = _("Choose the result.")
    if category == ResultCategory.NOT_RESOLVED and not reason.strip():
        errors["reason"] = _("Say why it cannot be resolved.")
    if category == ResultCategory.PLANNED and planned_by is None:
        errors["planned_by"] = _("Give the date by which it will be resolved.")
    if not document_number.strip():
        errors["document_number"] = _("Enter the number of the answer document.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def forwarding_save_draft(
    *,
    actor: Actor,
    forwarding: Forwarding,
    text: str,
    category: str = "",
    reason: str = "",
    planned_by: date | None = None,
    document_number: str = "",
    document: UploadedFile | None = None,
) -> Forwarding:
    """A handler's draft answer for the lead (no status change; an internal `draft` event).
    A `document` is kept with the draft (a later draft without one keeps it) and becomes
    the answer's document when the lead sends the answer without attaching another."""
    FORWARDING_MACHINE.check(forwarding, "draft", actor)
    if not text.strip():
        raise ValidationError({"text": _("Write the answer.")})
    draft = {
        "text": text.strip(),
        "category": category if category in ResultCategory.values else "",
        "reason": reason.strip(),
        "planned_by": planned_by.isoformat() if planned_by else "",
        "document_number": document_number.strip(),
    }
    FORWARDING_MACHINE.apply(
        forwarding,
        move="draft",
        actor=actor,
        public=False,
        changes={"draft": draft, "draft_by": account(actor), "draft_saved_at": timekeeping.now()},
        checked=True,
    )
    if document is not None:
        # Stored once the move is recorded (a lost race stores nothing).
        forwarding.draft_document.save(document.name or "document", document, save=False)
        Forwarding.objects.filter(pk=forwarding.pk).update(
            draft_document=forwarding.draft_document.name
        )
    return forwarding


def _check_answer_dates(forwarding: Forwarding, answered_on: date, planned_by: date | None) -> None:
    not_in_future(answered_on, "answered_on")
    if answered_on < forwarding.dispatched_on:
        raise ValidationError(
            {
                "answered_on": _("The answer cannot be dated before the dispatch (%(d)s).")
                % {"d": day_text(forwarding.dispatched_on)}
            }
        )
    if planned_by is not None and planned_by <= answered_on:
        raise ValidationError({"planned_by": _("The planned date must be after the answer.")})


@transaction.atomic
def forwarding_answer(
    *,
    actor: Actor,
    forwarding: Forwarding,
    text: str,
    category: str,
    document_number: str,
    reason: str = "",
    planned_by: date | None = None,
    answered_on: date | None = None,
    document: UploadedFile | None = None,
) -> Answer:
    """forwarded → answered (trả lời): the agency's answer with its result category,
    signed by a lead; writes one `answer` event. Whether it came on time is kept."""
    FORWARDING_MACHINE.check(forwarding, "answer", actor)
    _check_answer(
        text=text,
        category=category,
        reason=reason,
        planned_by=planned_by,
        document_number=document_number,
    )
    today = timekeeping.today()
    answered_on = answered_on or today
    _check_answer_dates(forwarding, answered_on, planned_by)
    on_time = answered_on <= forwarding.answer_due_on
    # The handler's draft document, unless the lead attaches another one now.
    drafted_document = forwarding.draft_document.name or ""
    changes: dict[str, Any] = {
        "draft": {},
        "draft_by": None,
        "draft_saved_at": None,
        "draft_document": "",
        "next_reminder_on": None,  # answered: the clock has nothing more to say
    }
    if forwarding.answered_on is None:
        # "Answered on time" measures the agency's first answer against the first
        # deadline; answers to a send-back are judged on their own Answer row.
        changes.update(answered_on=answered_on, answered_on_time=on_time)
    FORWARDING_MACHINE.apply(
        forwarding,
        move="answer",
        actor=actor,
        public=True,
        said=said(
            gettext_noop("%(category)s — document %(number)s of %(date)s."),
            category=ResultCategory(category).label,
            number=document_number.strip(),
            date=answered_on,
        ),
        changes=changes,
        checked=True,
    )
    answer = Answer(
        forwarding=forwarding,
        round=forwarding.rounds,
        text=text.strip(),
        category=category,
        reason=reason.strip() if category == ResultCategory.NOT_RESOLVED else "",
        planned_by=planned_by if category == ResultCategory.PLANNED else None,
        document_number=document_number.strip(),
        answered_on=answered_on,
        due_on=forwarding.answer_due_on,
        on_time=on_time,
        answered_by=account(actor),
    )
    if document is not None:
        answer.document = document
    elif drafted_document:
        answer.document.name = drafted_document
    answer.save()
    Forwarding.objects.filter(pk=forwarding.pk).update(current_answer=answer)
    forwarding.current_answer = answer
    refresh_outcome(forwarding.recommendation)
    if answered_on == today:
        # An answer dated earlier, or recorded as of a past day, is history, not news.
        timekeeping.tell(lambda: notices.forwarding_answered(forwarding, answer))
    return answer


# --- the council's assessment -------------------------------------------------------------


def _assess(answer: Answer, *, assessment: str, note: str, actor: Actor) -> None:
    Answer.objects.filter(pk=answer.pk).update(
        assessment=assessment,
        assessment_note=note,
        assessed_by=actor,
        assessed_at=timekeeping.now(),
    )


@transaction.atomic
def forwarding_accept(
    *, actor: Actor, forwarding: Forwarding, note: str = "", assessed_on: date | None = None
) -> Forwarding:
    """answered → accepted (đánh giá: đạt): the answer's category becomes the result, as
    of `assessed_on` (default today: a meeting's assessment may be recorded later);
    writes one `accept` event."""
    FORWARDING_MACHINE.check(forwarding, "accept", actor)
    answer = forwarding.current_answer
    if answer is None:
        raise ConcurrentChange()  # read between the status and the answer being stored
    assessed_on = assessed_on or timekeeping.today()
    not_in_future(assessed_on, "assessed_on")
    if assessed_on < answer.answered_on:
        raise ValidationError({"assessed_on": _("The assessment cannot precede the answer.")})
    FORWARDING_MACHINE.apply(
        forwarding,
        move="accept",
        actor=actor,
        public=True,
        note=note.strip(),
        changes={"accepted_answer": answer, "result": answer.category, "result_on": assessed_on},
        checked=True,
    )
    _assess(answer, assessment=Answer.Assessment.ACCEPTED, note=note.strip(), actor=actor)
    refresh_outcome(forwarding.recommendation)
    return forwarding


def refuse_day_off(due_on: date) -> None:
    """A deadline the council types on a Sunday or a holiday is not taken silently: the
    agency could not file on that day. Say why, and which working day follows."""
    day_off = WorkCalendar.load(due_on, due_on).non_working_reason(due_on)
    if day_off is None:
        return
    raise ValidationError(
        {
            "due_on": _(
                "%(day)s is a day off (%(why)s). Choose a working day — the next one is "
                "%(next)s — or confirm that you keep this date."
            )
            % {
                "day": day_text(due_on),
                "why": day_off.label(),
                "next": day_text(next_working_day(due_on)),
            }
        }
    )


@transaction.atomic
def forwarding_send_back(
    *,
    actor: Actor,
    forwarding: Forwarding,
    reason: str,
    due_on: date | None = None,
    allow_day_off: bool = False,
) -> Forwarding:
    """answered → forwarded (trả lại): the answer is not accepted, or an accepted
    "in progress" / "planned" / "not resolved" item needs an update; a new answer clock
    starts today, or runs to the date the council sets. Writes one `send_back` event.
    A matter an accepted answer closed cannot be sent back (the move's guard); a
    deadline on a day off is refused unless the council confirms it (`allow_day_off`)."""
    FORWARDING_MACHINE.check(forwarding, "send_back", actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the answer is sent back.")})
    today = timekeeping.today()
    if due_on is not None:
        timekeeping.check_plausible(due_on=due_on)
        if due_on <= today:
            raise ValidationError({"due_on": _("The new deadline must be after today.")})
        if not allow_day_off:
            refuse_day_off(due_on)
        clock = council_set_clock(today, due_on)
        fields = answer_clock_fields(clock, set_by_council=True)
    else:
        clock = start_clock(ANSWER_CLOCK, today)
        fields = answer_clock_fields(clock)
    answer = forwarding.current_answer if forwarding.status == Forwarding.Status.ANSWERED else None
    FORWARDING_MACHINE.apply(
        forwarding,
        move="send_back",
        actor=actor,
        public=True,
        said=said(gettext_noop("New deadline: %(due)s."), due=clock.due_on),
        note=reason.strip(),
        changes={**fields, "rounds": forwarding.rounds + 1, "current_answer": None},
        checked=True,
    )
    if answer is not None:
        _assess(answer, assessment=Answer.Assessment.SENT_BACK, note=reason.strip(), actor=actor)
    refresh_outcome(forwarding.recommendation)
    return forwarding
