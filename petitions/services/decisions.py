"""The decisions on a case, from acceptance to its end: one service per move, each
checked by the machine first (status, guards, role — the same refusal whichever door
was used), then its own input, then made through `door.apply_move`."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.clocks import Clock as LegalClock
from agencies.clocks import clock_from_fields, push_clock, start_clock
from agencies.workdays import EXTENSION, SUSPENSION, DueDate, add_days, working_days_between
from casework import timekeeping
from casework.actors import SYSTEM, Actor
from casework.errors import ConcurrentChange, TransitionNotAllowed
from casework.events import said

from .. import notices
from ..models import (
    MACHINE,
    OUTCOMES_BY_KIND,
    Clock,
    Extension,
    Kind,
    NotAcceptedReason,
    Outcome,
    Petition,
    PetitionEvent,
    Status,
    Suspension,
    extension_flags,
    extension_refusal,
    extensions_allowed,
)
from .door import account_of, apply_move, clock_fields
from .intake import resolution_policy_key


def _required(**values: str) -> None:
    """A ValidationError naming each of these fields that is blank."""
    missing = {name: _("This field is required.") for name, value in values.items() if not value}
    if missing:
        raise ValidationError(missing)


# --- received: the handling decision --------------------------------------------------------


@transaction.atomic
def petition_accept(
    *, petition: Petition, actor: Actor, is_complex: bool = False, note: str = ""
) -> PetitionEvent:
    """received → accepted (thụ lý): starts the resolution clock; tells the citizen."""
    spec = MACHINE.check(petition, "accept", actor)
    today = timekeeping.today()
    # Complexity lengthens the legal period; once declared it stays declared.
    complex_case = is_complex or petition.is_complex
    resolution = start_clock(
        resolution_policy_key(petition.kind, petition.round),
        today,
        complex_case=complex_case,
        remote=petition.is_remote_area,
    )
    due = resolution.due_on
    return apply_move(
        petition,
        spec,
        actor=actor,
        said=said(
            gettext_noop("Accepted for resolution; the resolution is due by %(due)s."), due=due
        ),
        note=note.strip(),
        # Acceptance is also the handling decision: the handling clock stops today.
        changes={
            "handled_on": today,
            "accepted_on": today,
            "is_complex": complex_case,
            "resolution_due_on": due,
            "resolution_rule": resolution.as_fields("resolution")["resolution_rule"],
            **clock_fields(resolution, Clock.RESOLUTION),
        },
        notice=lambda: notices.petition_changed(petition.pk, "accepted"),
    )


@transaction.atomic
def petition_guide(*, petition: Petition, actor: Actor, guided_to: str) -> PetitionEvent:
    """received → guided (hướng dẫn): the citizen is told where to submit; terminal."""
    spec = MACHINE.check(petition, "guide", actor)
    if not guided_to.strip():
        raise ValidationError({"guided_to": _("Say where the citizen should submit.")})
    return apply_move(
        petition,
        spec,
        actor=actor,
        said=said(gettext_noop("Guidance: %(text)s"), text=guided_to.strip()),
        changes={
            "handled_on": timekeeping.today(),
            "guided_to": guided_to.strip(),
            **clock_fields(None, ""),
        },
        notice=lambda: notices.petition_changed(petition.pk, "guided"),
    )


@transaction.atomic
def petition_not_accept(
    *, petition: Petition, actor: Actor, reason: str, note: str = ""
) -> PetitionEvent:
    """received → not accepted (không thụ lý), with a legal reason; terminal."""
    spec = MACHINE.check(petition, "not_accept", actor)
    if reason not in NotAcceptedReason.values:
        raise ValidationError({"reason": _("Choose a legal reason from the list.")})
    return apply_move(
        petition,
        spec,
        actor=actor,
        said=said(
            gettext_noop("Not accepted: %(reason)s."), reason=NotAcceptedReason(reason).label
        ),
        note=note.strip(),
        changes={
            "handled_on": timekeeping.today(),
            "not_accepted_reason": reason,
            **clock_fields(None, ""),
        },
        notice=lambda: notices.petition_changed(petition.pk, "not_accepted"),
    )


@transaction.atomic
def petition_file(*, petition: Petition, actor: Actor, note: str) -> PetitionEvent:
    """received → filed (lưu đơn): duplicate, already handled, anonymous; terminal."""
    spec = MACHINE.check(petition, "file", actor)
    if not note.strip():
        raise ValidationError({"note": _("Say why the petition is filed without action.")})
    return apply_move(
        petition,
        spec,
        actor=actor,
        note=note.strip(),
        changes={"handled_on": timekeeping.today(), **clock_fields(None, "")},
        notice=lambda: notices.petition_changed(petition.pk, "filed"),
    )


# --- accepted: the resolution clock ---------------------------------------------------------


def _current_clock(petition: Petition) -> LegalClock:
    clock = clock_from_fields(petition, "clock")
    if clock is None:
        raise TransitionNotAllowed(_("This petition has no running clock."))
    return clock


@transaction.atomic
def petition_suspend(
    *, petition: Petition, actor: Actor, reason: str, decision_number: str
) -> PetitionEvent:
    """accepted → suspended (tạm đình chỉ): the resolution clock pauses."""
    spec = MACHINE.check(petition, "suspend", actor)
    _required(reason=reason.strip(), decision_number=decision_number.strip())
    today = timekeeping.today()
    event = apply_move(
        petition,
        spec,
        actor=actor,
        said=said(
            gettext_noop("Suspended by decision %(number)s: %(reason)s"),
            number=decision_number,
            reason=reason,
        ),
        # The dates go (no phase, no reminder while paused); the rule stays for resuming.
        changes={
            "suspended_on": today,
            "clock": "",
            "clock_due_on": None,
            "clock_due_soon_on": None,
            "clock_long_overdue_on": None,
            "next_reminder_on": None,
        },
        notice=lambda: notices.petition_changed(
            petition.pk,
            "suspended",
            {"decision_number": decision_number.strip(), "reason": reason.strip()},
        ),
    )
    Suspension.objects.create(
        petition=petition,
        started_on=today,
        reason=reason.strip(),
        decision_number=decision_number.strip(),
        actor=account_of(actor),
    )
    return event


def _paused_days(due: DueDate, started: date, today: date) -> int:
    """The days a suspension lasted, in the clock's own unit."""
    if due.working:
        return working_days_between(started - timedelta(days=1), today - timedelta(days=1))
    return (today - started).days


@transaction.atomic
def petition_resume(*, petition: Petition, actor: Actor, note: str = "") -> PetitionEvent:
    """suspended → accepted: the clock resumes, pushed by the days it was paused."""
    spec = MACHINE.check(petition, "resume", actor)
    if not petition.clock_rule:
        raise TransitionNotAllowed(_("This petition has no paused clock."))
    today = timekeeping.today()
    due = DueDate.from_dict(petition.clock_rule)
    paused = _paused_days(due, petition.suspended_on or today, today)
    # push_clock recomputes "due soon" and "long overdue" from the policy, also after a
    # pause of no day; the due date and its explanation stay when nothing was paused.
    pushed = push_clock(
        LegalClock(petition.clock_rule["policy"], due, due.due, due.due),
        paused,
        reason=SUSPENSION,
        on=petition.suspended_on or today,
        until=today,
    )
    if not paused:
        pushed = replace(pushed, due=due)
    event = apply_move(
        petition,
        spec,
        actor=actor,
        said=said(
            gettext_noop(
                "Resumed after %(days)d day(s) of suspension; the resolution is now due by %(due)s."
            ),
            days=paused,
            due=pushed.due_on,
        ),
        note=note.strip(),
        changes={
            "suspended_on": None,
            "resolution_due_on": pushed.due_on,
            "resolution_rule": pushed.as_fields("resolution")["resolution_rule"],
            **clock_fields(pushed, Clock.RESOLUTION),
        },
        notice=lambda: notices.petition_changed(petition.pk, "resumed", {"paused_days": paused}),
    )
    Suspension.objects.filter(petition=petition, ended_on__isnull=True).update(ended_on=today)
    return event


@transaction.atomic
def petition_extend(
    *,
    petition: Petition,
    actor: Actor,
    reason: str,
    decision_number: str,
    especially_complex: bool = False,
) -> PetitionEvent:
    """accepted → accepted (gia hạn): the resolution clock gains the policy's days, capped."""
    spec = MACHINE.check(petition, "extend", actor)
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Give the reason for the extension.")
    if not decision_number.strip():
        errors["decision_number"] = _("Give the number of the extension decision.")
    if errors:
        raise ValidationError(errors)
    # The move's guard allowed the most this case can reach; this decision's own
    # complexity sets the cap it meets.
    refusal = extension_refusal(petition, especially_complex=especially_complex)
    if refusal:
        raise TransitionNotAllowed(refusal)
    days, _cap = extensions_allowed(petition, especially_complex=especially_complex)
    is_complex, especially = extension_flags(petition, especially_complex=especially_complex)
    clock = _current_clock(petition)
    extended = push_clock(clock, days, reason=EXTENSION, on=timekeeping.today())
    event = apply_move(
        petition,
        spec,
        actor=actor,
        said=said(
            gettext_noop("Extended by %(days)d days by decision %(number)s; now due by %(due)s."),
            days=days,
            number=decision_number,
            due=extended.due_on,
        ),
        changes={
            "extensions_count": petition.extensions_count + 1,
            "is_complex": is_complex,
            "is_especially_complex": especially,
            "resolution_due_on": extended.due_on,
            "resolution_rule": extended.as_fields("resolution")["resolution_rule"],
            **clock_fields(extended, Clock.RESOLUTION),
        },
        notice=lambda: notices.petition_changed(petition.pk, "extended"),
    )
    Extension.objects.create(
        petition=petition,
        clock=Clock.RESOLUTION,
        days=days,
        reason=reason.strip(),
        decision_number=decision_number.strip(),
        previous_due_on=clock.due_on,
        new_due_on=extended.due_on,
        actor=account_of(actor),
    )
    return event


def _closing_days(petition: Petition) -> int:
    # A complaint decision takes effect after 30 days, 45 in a remote area, unless appealed.
    return 45 if petition.is_remote_area else 30


@transaction.atomic
def petition_resolve(
    *,
    petition: Petition,
    actor: Actor,
    outcome: str,
    decision_number: str,
    result_summary: str,
    decision_date: date | None = None,
) -> PetitionEvent:
    """accepted → resolved (đã giải quyết): outcome, decision and a public summary."""
    spec = MACHINE.check(petition, "resolve", actor)
    errors = {}
    if outcome not in OUTCOMES_BY_KIND[Kind(petition.kind)]:
        errors["outcome"] = _("Choose an outcome that fits this kind of petition.")
    if not decision_number.strip():
        errors["decision_number"] = _("Give the number of the decision or conclusion.")
    if not result_summary.strip():
        errors["result_summary"] = _("Summarise the result for the citizen.")
    today = timekeeping.today()
    if decision_date and decision_date > today:
        errors["decision_date"] = _("The decision date cannot be in the future.")
    try:
        timekeeping.check_plausible(decision_date=decision_date)
    except ValidationError as exc:
        errors.update({field: msgs[0] for field, msgs in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return apply_move(
        petition,
        spec,
        actor=actor,
        said=said(
            gettext_noop("Resolved: %(outcome)s. Decision %(number)s. %(summary)s"),
            outcome=Outcome(outcome).label,
            number=decision_number.strip(),
            summary=result_summary.strip(),
        ),
        changes={
            "outcome": outcome,
            "decision_number": decision_number.strip(),
            "decision_date": decision_date or today,
            "result_summary": result_summary.strip(),
            "resolved_on": today,
            "closes_on": add_days(today, _closing_days(petition), working=False).due,
            **clock_fields(None, ""),
        },
        notice=lambda: notices.petition_changed(petition.pk, "resolved"),
    )


# --- the end of a case ----------------------------------------------------------------------


@transaction.atomic
def petition_close(*, petition: Petition, actor: Actor, note: str = "") -> PetitionEvent:
    """resolved → closed: the decision took effect (beat) or the lead closes it."""
    spec = MACHINE.check(petition, "close", actor)
    return apply_move(
        petition,
        spec,
        actor=actor,
        said=said(gettext_noop("The decision has taken effect; the case is closed.")),
        note=note.strip(),
        notice=lambda: notices.petition_changed(petition.pk, "closed"),
    )


def close_due_petitions(*, today: date | None = None, limit: int = 500) -> int:
    """Close resolved petitions whose decision has taken effect (beat, daily)."""
    today = today or timekeeping.today()
    closed = 0
    ids = list(
        Petition.objects.filter(status=Status.RESOLVED, closes_on__lt=today).values_list(
            "pk", flat=True
        )[:limit]
    )
    # One transaction per case: a case appealed meanwhile never blocks the others.
    for pk in ids:
        try:
            petition_close(petition=Petition.objects.get(pk=pk), actor=SYSTEM)
        except (ConcurrentChange, TransitionNotAllowed):
            continue  # another process closed or appealed it first
        closed += 1
    return closed


@transaction.atomic
def petition_withdraw(*, petition: Petition, actor: Actor, reason: str = "") -> PetitionEvent:
    """any open → withdrawn (rút đơn): by the citizen from the tracking page, or a lead."""
    spec = MACHINE.check(petition, "withdraw", actor)
    return apply_move(
        petition,
        spec,
        actor=actor,
        said=said(gettext_noop("Withdrawn by the petitioner.")),
        note=reason.strip(),
        changes={**clock_fields(None, ""), "suspended_on": None},
        notice=lambda: notices.petition_changed(petition.pk, "withdrawn"),
    )


@transaction.atomic
def petition_terminate(*, petition: Petition, actor: Actor, reason: str) -> PetitionEvent:
    """any open → terminated (đình chỉ) by a lead, with the reason."""
    spec = MACHINE.check(petition, "terminate", actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for terminating.")})
    return apply_move(
        petition,
        spec,
        actor=actor,
        said=said(gettext_noop("Terminated: %(reason)s"), reason=reason.strip()),
        changes={**clock_fields(None, ""), "suspended_on": None},
        notice=lambda: notices.petition_changed(petition.pk, "terminated"),
    )


@transaction.atomic
def petition_reopen(*, petition: Petition, actor: Actor, reason: str) -> PetitionEvent:
    """resolved → accepted: the citizen says the matter is not settled; the case returns
    to the agency with a new resolution clock (once, within the reopening period)."""
    spec = MACHINE.check(petition, "reopen", actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the matter is not settled for you.")})
    today = timekeeping.today()
    resolution = start_clock(
        resolution_policy_key(petition.kind, petition.round),
        today,
        complex_case=petition.is_complex,
        remote=petition.is_remote_area,
    )
    # The case is open again: it counts as resolved only once resolved again (its
    # earlier resolution is on the timeline and kept by the verdict app).
    return apply_move(
        petition,
        spec,
        actor=actor,
        said=said(
            gettext_noop(
                "Reopened at the citizen's request: not settled; "
                "the new resolution is due by %(due)s."
            ),
            due=resolution.due_on,
        ),
        note=reason.strip(),
        changes={
            "outcome": "",
            "resolved_on": None,
            "closes_on": None,
            "ended_on": None,
            "resolution_due_on": resolution.due_on,
            "resolution_rule": resolution.as_fields("resolution")["resolution_rule"],
            **clock_fields(resolution, Clock.RESOLUTION),
        },
    )
