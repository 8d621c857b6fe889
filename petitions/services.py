"""Every write to a petition. One function per state change; only `_transition()`
writes a status, guarded against concurrent moves, with exactly one event each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from unidecode import unidecode

from agencies.clocks import Clock as LegalClock
from agencies.clocks import (
    NoPolicy,
    clock_from_fields,
    policy_in_force,
    push_clock,
    start_clock,
)
from agencies.models import AdministrativeUnit, Agency
from agencies.scope import Action, can
from agencies.workdays import DueDate, add_days, working_days_between
from casework.errors import ConcurrentChange, NotPermitted, TransitionNotAllowed
from casework.uploads import CheckedFile

from . import notices
from .identity import (
    Identity,
    decrypt_identity,
    encrypt_identity,
    new_tracking_code,
    tracking_hash,
)
from .models import (
    CITIZEN,
    MOVES,
    OPEN_STATUSES,
    OUTCOMES_BY_KIND,
    REFERENCE_PREFIX,
    SYSTEM,
    Attachment,
    Channel,
    Clock,
    Extension,
    IdentityReveal,
    Kind,
    NotAcceptedReason,
    Petition,
    PetitionEvent,
    PetitionSequence,
    Status,
    Suspension,
)

Actor = Any  # a User, or the CITIZEN / SYSTEM marker


def handling_policy_key(kind: str, round_: int) -> str:
    if kind == Kind.COMPLAINT:
        return "complaint2.acceptance" if round_ == 2 else "complaint1.acceptance"
    if kind == Kind.DENUNCIATION:
        return "denunciation.initial"
    return "petition.handling"


def resolution_policy_key(kind: str, round_: int) -> str:
    if kind == Kind.COMPLAINT:
        return "complaint2.resolution" if round_ == 2 else "complaint1.resolution"
    if kind == Kind.DENUNCIATION:
        return "denunciation.resolution"
    return "recommendation.answer"


# Set by `as_of()` to record history on the dates it happened (paper registers, demo).
_as_of: ContextVar[date | None] = ContextVar("petitions_as_of", default=None)


@contextmanager
def as_of(day: date) -> Iterator[None]:
    """Record the changes made inside the block as if they happened on `day`."""
    token = _as_of.set(day)
    try:
        yield
    finally:
        _as_of.reset(token)


def _tell(callback: Callable[[], None]) -> None:
    """Write the change's notices in the same transaction as the change.

    The outbox rows commit (or roll back) with the change; delivery is queued only
    after commit. History recorded on past dates (as_of) tells nobody: it is not news.
    """
    if _as_of.get() is None:
        callback()


def _today() -> date:
    return _as_of.get() or timezone.localdate()


def _now() -> datetime:
    day = _as_of.get()
    if day is None:
        return timezone.now()
    # Keep the order of same-day events: office hours plus the wall clock's seconds.
    tz = timezone.get_current_timezone()
    moment = timezone.now().astimezone(tz)
    return datetime.combine(
        day, time(8 + moment.hour % 9, moment.minute, moment.second, moment.microsecond), tzinfo=tz
    )


def _search_text(petition: Petition, identity: Identity, commune: AdministrativeUnit | None) -> str:
    words = [petition.reference, petition.subject, petition.content[:2000]]
    if petition.kind != Kind.DENUNCIATION:
        words.append(identity.name)
    if commune is not None:
        words.append(commune.name)
    return unidecode(" ".join(words)).lower()


def _clock_fields(clock: LegalClock | None, kind: str) -> dict[str, Any]:
    if clock is None:
        return {
            "clock": "",
            "clock_due_on": None,
            "clock_due_soon_on": None,
            "clock_long_overdue_on": None,
            "clock_rule": None,
            "next_reminder_on": None,
        }
    # A new or moved due date starts its reminders afresh (reminders.remind_one).
    return {"clock": kind, **clock.as_fields("clock"), "next_reminder_on": clock.due_soon_on}


def _next_reference(kind: str, year: int) -> str:
    prefix = REFERENCE_PREFIX[Kind(kind)]
    PetitionSequence.objects.get_or_create(prefix=prefix, year=year)
    # The row lock serialises concurrent submissions; the number is never reused.
    seq = PetitionSequence.objects.select_for_update().get(prefix=prefix, year=year)
    seq.last = F("last") + 1
    seq.save(update_fields=["last"])
    seq.refresh_from_db(fields=["last"])
    return f"{prefix}-{year}-{seq.last:06d}"


def _check_actor(petition: Petition, move_name: str, actor: Actor) -> None:
    move = MOVES[move_name]
    if actor == CITIZEN:
        allowed = move.by_citizen
    elif actor == SYSTEM:
        allowed = move.by_system
    else:
        allowed = move.action is not None and can(actor, petition.handling_agency_id, move.action)
    if not allowed:
        raise NotPermitted()


def _user(actor: Actor) -> Any:
    return None if actor in (CITIZEN, SYSTEM) else actor


def _event(
    petition: Petition,
    *,
    action: str,
    actor: Actor,
    from_status: str,
    to_status: str,
    note: str = "",
    public: bool = True,
) -> PetitionEvent:
    return PetitionEvent.objects.create(
        petition=petition,
        action=action,
        actor=_user(actor),
        by_citizen=actor == CITIZEN,
        agency_id=petition.handling_agency_id,
        from_status=from_status,
        to_status=to_status,
        note=note,
        is_public=public,
        created_at=_now(),
    )


def _transition(
    petition: Petition,
    *,
    move: str,
    actor: Actor,
    note: str = "",
    public: bool = True,
    changes: dict[str, Any] | None = None,
    notice: Callable[[], None] | None = None,
) -> PetitionEvent:
    """The one door: check the table and the actor, update if unchanged, one event."""
    spec = MOVES[move]
    if petition.status not in spec.sources:
        raise TransitionNotAllowed(
            _("“%(move)s” is not possible while the petition is “%(status)s”.")
            % {"move": move_label(move), "status": Status(petition.status).label}
        )
    _check_actor(petition, move, actor)
    values = {**(changes or {}), "status": spec.target, "updated_at": _now()}
    if petition.status in OPEN_STATUSES and spec.target not in OPEN_STATUSES:
        values["ended_on"] = _today()
    # The status and the last change must both be as read: an extension read before a
    # suspension (accepted → accepted) must not overwrite what happened since.
    updated = Petition.objects.filter(
        pk=petition.pk, status=petition.status, updated_at=petition.updated_at
    ).update(**values)
    if updated != 1:
        raise ConcurrentChange()
    from_status = petition.status
    for name, value in values.items():
        setattr(petition, name, value)
    event = _event(
        petition,
        action=move,
        actor=actor,
        from_status=from_status,
        to_status=spec.target,
        note=note,
        public=public,
    )
    if notice is not None:
        _tell(notice)
    return event


def move_label(move: str) -> str:
    from .presentation import MOVE_LABELS

    return str(MOVE_LABELS.get(move, move))


def _store_attachments(
    petition: Petition, files: list[CheckedFile], event: PetitionEvent, identifying: bool
) -> None:
    for checked in files:
        Attachment.objects.create(
            petition=petition,
            event=event,
            file=checked.upload,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.upload.size,
            is_identifying=identifying,
        )


@dataclass(frozen=True)
class Submitted:
    petition: Petition
    tracking_code: str


@transaction.atomic
def petition_submit(
    *,
    actor: Actor,
    kind: str,
    subject: str,
    content: str,
    field: str,
    handling_agency: Agency,
    identity: Identity,
    channel: str = Channel.ONLINE,
    commune: AdministrativeUnit | None = None,
    round_: int = 1,
    co_signers_count: int = 0,
    is_remote_area: bool = False,
    received_on: date | None = None,
    files: list[CheckedFile] | None = None,
    previous: Petition | None = None,
    transferred_from: Petition | None = None,
    language: str = "vi",
) -> Submitted:
    """— → received: a citizen submits online or a handler records one; starts the handling clock."""
    if actor not in (CITIZEN, SYSTEM) and not can(actor, handling_agency.pk, Action.HANDLE):
        raise NotPermitted()
    if not handling_agency.is_active:
        raise ValidationError(
            {"handling_agency": _("This agency no longer receives petitions; choose another.")}
        )
    if kind != Kind.COMPLAINT and round_ != 1:
        raise ValidationError({"round": _("Only complaints have a second round.")})
    today = received_on or _today()
    if today > _today():
        raise ValidationError({"received_on": _("The date received cannot be in the future.")})
    code = new_tracking_code()
    try:
        handling = start_clock(handling_policy_key(kind, round_), today)
    except NoPolicy as exc:
        raise ValidationError(
            {"received_on": _("No deadline rule applies on this date; check the date received.")}
        ) from exc
    petition = Petition(
        reference=_next_reference(kind, today.year),
        tracking_hash=tracking_hash(code),
        kind=kind,
        round=round_,
        channel=channel,
        field=field,
        subject=subject.strip(),
        content=content.strip(),
        commune=commune,
        handling_agency=handling_agency,
        identity=encrypt_identity(identity),
        display_name="" if kind == Kind.DENUNCIATION else identity.name[:200],
        has_email=bool(identity.email),
        co_signers_count=co_signers_count,
        is_remote_area=is_remote_area,
        status=Status.RECEIVED,
        received_on=today,
        handling_due_on=handling.due_on,
        handling_rule=handling.as_fields("handling")["handling_rule"],
        previous=previous,
        transferred_from=transferred_from,
        **_clock_fields(handling, Clock.HANDLING),
    )
    if transferred_from is not None:
        petition.tracking_hash = transferred_from.tracking_hash
    petition.search_text = _search_text(petition, identity, commune)
    petition.save()
    note = ""
    if transferred_from is not None:
        note = _("Transferred from %(agency)s (%(ref)s).") % {
            "agency": transferred_from.handling_agency.name,
            "ref": transferred_from.reference,
        }
    elif previous is not None:
        note = _("Second-round complaint about the decision on %(ref)s.") % {
            "ref": previous.reference
        }
    event = _event(
        petition, action="submit", actor=actor, from_status="", to_status=Status.RECEIVED, note=note
    )
    _store_attachments(petition, files or [], event, identifying=kind == Kind.DENUNCIATION)
    _tell(lambda: notices.petition_received(petition.pk, language=language))
    return Submitted(petition=petition, tracking_code=code)


def _stop_handling(petition: Petition, today: date) -> dict[str, Any]:
    return {"handled_on": today}


@transaction.atomic
def petition_accept(
    *, petition: Petition, actor: Actor, is_complex: bool = False, note: str = ""
) -> PetitionEvent:
    """received → accepted (thụ lý): starts the resolution clock; tells the citizen."""
    today = _today()
    complex_case = is_complex or petition.is_complex
    resolution = start_clock(
        resolution_policy_key(petition.kind, petition.round),
        today,
        complex_case=complex_case,
        remote=petition.is_remote_area,
    )
    due = resolution.due_on
    public_note = note or _("Accepted for resolution; the resolution is due by %(due)s.") % {
        "due": due.strftime("%d/%m/%Y")
    }
    return _transition(
        petition,
        move="accept",
        actor=actor,
        note=public_note,
        changes={
            **_stop_handling(petition, today),
            "accepted_on": today,
            "is_complex": complex_case,
            "resolution_due_on": due,
            "resolution_rule": resolution.as_fields("resolution")["resolution_rule"],
            **_clock_fields(resolution, Clock.RESOLUTION),
        },
        notice=lambda: notices.petition_changed(petition.pk, "accepted"),
    )


@transaction.atomic
def petition_transfer(
    *, petition: Petition, actor: Actor, to_agency: Agency, note: str = ""
) -> Petition:
    """received → transferred: the receiving agency gets a new case with a new handling clock.

    The sender keeps its own row (read-only history); the citizen's tracking code
    follows the case. A denunciation is transferred only once.
    """
    if to_agency.pk == petition.handling_agency_id:
        raise ValidationError({"to_agency": _("Choose another agency than the current one.")})
    if petition.kind == Kind.DENUNCIATION and petition.transferred_from_id is not None:
        raise TransitionNotAllowed(_("A denunciation may be transferred only once."))
    text = _("Transferred to %(agency)s, which is competent to handle it.") % {
        "agency": to_agency.name
    }
    if note:
        text = f"{text} {note}"
    _transition(
        petition,
        move="transfer",
        actor=actor,
        note=text,
        changes={**_stop_handling(petition, _today()), **_clock_fields(None, "")},
    )
    received = petition_submit(
        actor=SYSTEM,
        kind=petition.kind,
        subject=petition.subject,
        content=petition.content,
        field=petition.field,
        handling_agency=to_agency,
        identity=decrypt_identity(petition.identity),
        channel=Channel.FORWARDED,
        commune=petition.commune,
        round_=petition.round,
        co_signers_count=petition.co_signers_count,
        is_remote_area=petition.is_remote_area,
        previous=petition.previous,
        transferred_from=petition,
    )
    new = received.petition
    for attachment in petition.attachments.all():
        Attachment.objects.create(
            petition=new,
            file=attachment.file.name,
            original_name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
            is_identifying=attachment.is_identifying,
        )
    _tell(lambda: notices.petition_changed(petition.pk, "transferred"))
    return new


@transaction.atomic
def petition_guide(*, petition: Petition, actor: Actor, guided_to: str) -> PetitionEvent:
    """received → guided (hướng dẫn): the citizen is told where to submit; terminal."""
    if not guided_to.strip():
        raise ValidationError({"guided_to": _("Say where the citizen should submit.")})
    return _transition(
        petition,
        move="guide",
        actor=actor,
        note=_("Guidance: %(text)s") % {"text": guided_to.strip()},
        changes={
            **_stop_handling(petition, _today()),
            "guided_to": guided_to.strip(),
            **_clock_fields(None, ""),
        },
        notice=lambda: notices.petition_changed(petition.pk, "guided"),
    )


@transaction.atomic
def petition_not_accept(
    *, petition: Petition, actor: Actor, reason: str, note: str = ""
) -> PetitionEvent:
    """received → not accepted (không thụ lý), with a legal reason; terminal."""
    if reason not in NotAcceptedReason.values:
        raise ValidationError({"reason": _("Choose a legal reason from the list.")})
    text = _("Not accepted: %(reason)s.") % {"reason": NotAcceptedReason(reason).label}
    return _transition(
        petition,
        move="not_accept",
        actor=actor,
        note=f"{text} {note}".strip(),
        changes={
            **_stop_handling(petition, _today()),
            "not_accepted_reason": reason,
            **_clock_fields(None, ""),
        },
        notice=lambda: notices.petition_changed(petition.pk, "not_accepted"),
    )


@transaction.atomic
def petition_file(*, petition: Petition, actor: Actor, note: str) -> PetitionEvent:
    """received → filed (lưu đơn): duplicate, already handled, anonymous; terminal."""
    if not note.strip():
        raise ValidationError({"note": _("Say why the petition is filed without action.")})
    return _transition(
        petition,
        move="file",
        actor=actor,
        note=note.strip(),
        changes={**_stop_handling(petition, _today()), **_clock_fields(None, "")},
    )


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
    if not reason.strip() or not decision_number.strip():
        raise ValidationError(
            {
                k: _("This field is required.")
                for k, v in (("reason", reason), ("decision_number", decision_number))
                if not v.strip()
            }
        )
    today = _today()
    event = _transition(
        petition,
        move="suspend",
        actor=actor,
        note=_("Suspended by decision %(number)s: %(reason)s")
        % {"number": decision_number, "reason": reason},
        # The dates go (no phase, no reminder while paused); the rule stays for resuming.
        changes={
            "suspended_on": today,
            "clock": "",
            "clock_due_on": None,
            "clock_due_soon_on": None,
            "clock_long_overdue_on": None,
            "next_reminder_on": None,
        },
    )
    Suspension.objects.create(
        petition=petition,
        started_on=today,
        reason=reason.strip(),
        decision_number=decision_number.strip(),
        actor=actor,
    )
    return event


@transaction.atomic
def petition_resume(*, petition: Petition, actor: Actor, note: str = "") -> PetitionEvent:
    """suspended → accepted: the clock resumes, pushed by the days it was paused."""
    today = _today()
    started = petition.suspended_on or today
    if not petition.clock_rule:
        raise TransitionNotAllowed(_("This petition has no paused clock."))
    due = DueDate.from_dict(petition.clock_rule)
    clock = LegalClock(petition.clock_rule["policy"], due, due.due, due.due)
    if clock.due.working:
        paused = working_days_between(started - timedelta(days=1), today - timedelta(days=1))
    else:
        paused = (today - started).days
    pushed = push_clock(clock, paused) if paused else clock
    event = _transition(
        petition,
        move="resume",
        actor=actor,
        note=note
        or _("Resumed after %(days)d day(s) of suspension; the resolution is now due by %(due)s.")
        % {"days": paused, "due": pushed.due_on.strftime("%d/%m/%Y")},
        changes={
            "suspended_on": None,
            "resolution_due_on": pushed.due_on,
            "resolution_rule": pushed.as_fields("resolution")["resolution_rule"],
            **_clock_fields(pushed, Clock.RESOLUTION),
        },
    )
    Suspension.objects.filter(petition=petition, ended_on__isnull=True).update(ended_on=today)
    return event


def extensions_allowed(petition: Petition) -> tuple[int, int]:
    """(days per extension, how many) the policy in force allows this petition."""
    clock = clock_from_fields(petition, "clock")
    if clock is None:
        return 0, 0
    policy = policy_in_force(clock.policy_key, clock.due.start)
    if not policy.extension_days:
        return 0, 0
    if petition.kind == Kind.DENUNCIATION:
        # Law on Denunciations art. 30: complex once, especially complex twice.
        if petition.is_especially_complex:
            return policy.extension_days, policy.max_extensions
        if petition.is_complex:
            return policy.extension_days, min(1, policy.max_extensions)
        return policy.extension_days, 0
    return policy.extension_days, policy.max_extensions


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
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Give the reason for the extension.")
    if not decision_number.strip():
        errors["decision_number"] = _("Give the number of the extension decision.")
    if errors:
        raise ValidationError(errors)
    if especially_complex and petition.kind == Kind.DENUNCIATION:
        petition.is_complex = petition.is_especially_complex = True
    elif petition.kind == Kind.DENUNCIATION:
        petition.is_complex = True
    days, cap = extensions_allowed(petition)
    if petition.extensions_count >= cap:
        raise TransitionNotAllowed(
            _("No further extension is allowed: %(used)d of %(cap)d used.")
            % {"used": petition.extensions_count, "cap": cap}
        )
    clock = _current_clock(petition)
    extended = push_clock(clock, days)
    event = _transition(
        petition,
        move="extend",
        actor=actor,
        note=_("Extended by %(days)d days by decision %(number)s; now due by %(due)s.")
        % {"days": days, "number": decision_number, "due": extended.due_on.strftime("%d/%m/%Y")},
        changes={
            "extensions_count": petition.extensions_count + 1,
            "is_complex": petition.is_complex,
            "is_especially_complex": petition.is_especially_complex,
            "resolution_due_on": extended.due_on,
            "resolution_rule": extended.as_fields("resolution")["resolution_rule"],
            **_clock_fields(extended, Clock.RESOLUTION),
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
        actor=actor,
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
    errors = {}
    if outcome not in OUTCOMES_BY_KIND[Kind(petition.kind)]:
        errors["outcome"] = _("Choose an outcome that fits this kind of petition.")
    if not decision_number.strip():
        errors["decision_number"] = _("Give the number of the decision or conclusion.")
    if not result_summary.strip():
        errors["result_summary"] = _("Summarise the result for the citizen.")
    today = _today()
    if decision_date and decision_date > today:
        errors["decision_date"] = _("The decision date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    from .models import Outcome

    return _transition(
        petition,
        move="resolve",
        actor=actor,
        note=_("Resolved: %(outcome)s. Decision %(number)s. %(summary)s")
        % {
            "outcome": Outcome(outcome).label,
            "number": decision_number.strip(),
            "summary": result_summary.strip(),
        },
        changes={
            "outcome": outcome,
            "decision_number": decision_number.strip(),
            "decision_date": decision_date or today,
            "result_summary": result_summary.strip(),
            "resolved_on": today,
            "closes_on": add_days(today, _closing_days(petition), working=False).due,
            **_clock_fields(None, ""),
        },
        notice=lambda: notices.petition_changed(petition.pk, "resolved"),
    )


@transaction.atomic
def petition_close(*, petition: Petition, actor: Actor, note: str = "") -> PetitionEvent:
    """resolved → closed: the decision took effect (beat) or the lead closes it."""
    return _transition(
        petition,
        move="close",
        actor=actor,
        note=note or _("The decision has taken effect; the case is closed."),
    )


def close_due_petitions(*, today: date | None = None, limit: int = 500) -> int:
    """Close resolved petitions whose decision has taken effect (beat, daily)."""
    today = today or _today()
    closed = 0
    ids = list(
        Petition.objects.filter(status=Status.RESOLVED, closes_on__lt=today).values_list(
            "pk", flat=True
        )[:limit]
    )
    for pk in ids:
        petition = Petition.objects.get(pk=pk)
        try:
            petition_close(petition=petition, actor=SYSTEM)
        except (ConcurrentChange, TransitionNotAllowed):
            continue  # another process closed or appealed it first
        closed += 1
    return closed


@transaction.atomic
def petition_appeal(
    *,
    petition: Petition,
    actor: Actor,
    content: str,
    to_agency: Agency | None = None,
    files: list[CheckedFile] | None = None,
) -> Petition:
    """resolved → appealed: opens a second-round complaint, linked, at the higher level."""
    if petition.kind != Kind.COMPLAINT or petition.round != 1:
        raise TransitionNotAllowed(_("Only a first-round complaint can be appealed."))
    if not content.strip():
        raise ValidationError({"content": _("Say why you disagree with the decision.")})
    target = to_agency or petition.handling_agency.parent
    if target is None:
        raise ValidationError({"to_agency": _("Choose the agency that resolves the second round.")})
    _transition(
        petition,
        move="appeal",
        actor=actor,
        note=_("Appealed: a second-round complaint was sent to %(agency)s.")
        % {"agency": target.name},
        changes={"closes_on": None},
    )
    submitted = petition_submit(
        actor=SYSTEM,
        kind=Kind.COMPLAINT,
        round_=2,
        subject=petition.subject,
        content=content,
        field=petition.field,
        handling_agency=target,
        identity=decrypt_identity(petition.identity),
        channel=Channel.ONLINE if actor == CITIZEN else Channel.IN_PERSON,
        commune=petition.commune,
        co_signers_count=petition.co_signers_count,
        is_remote_area=petition.is_remote_area,
        previous=petition,
        files=files,
    )
    # The citizen keeps following the case with the same tracking code.
    Petition.objects.filter(pk=submitted.petition.pk).update(tracking_hash=petition.tracking_hash)
    return submitted.petition


@transaction.atomic
def petition_withdraw(*, petition: Petition, actor: Actor, reason: str = "") -> PetitionEvent:
    """any open → withdrawn (rút đơn): by the citizen from the tracking page, or a lead."""
    return _transition(
        petition,
        move="withdraw",
        actor=actor,
        note=_("Withdrawn by the petitioner.") + (f" {reason.strip()}" if reason.strip() else ""),
        changes={**_clock_fields(None, ""), "suspended_on": None},
        notice=lambda: notices.petition_changed(petition.pk, "withdrawn"),
    )


@transaction.atomic
def petition_terminate(*, petition: Petition, actor: Actor, reason: str) -> PetitionEvent:
    """any open → terminated (đình chỉ) by a lead, with the reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for terminating.")})
    return _transition(
        petition,
        move="terminate",
        actor=actor,
        note=_("Terminated: %(reason)s") % {"reason": reason.strip()},
        changes={**_clock_fields(None, ""), "suspended_on": None},
        notice=lambda: notices.petition_changed(petition.pk, "terminated"),
    )


# --- changes that are not status moves: still one guarded write and one event each -----


def _locked(petition: Petition) -> Petition:
    return Petition.objects.select_for_update().get(pk=petition.pk)


@transaction.atomic
def petition_assign(*, petition: Petition, actor: Actor, handler: Any) -> PetitionEvent:
    """Assign a handler of the agency (lead only); an internal event."""
    if not can(actor, petition.handling_agency_id, Action.LEAD):
        raise NotPermitted()
    if not petition.is_open:
        raise TransitionNotAllowed(_("Only an open petition can be assigned."))
    if handler is None or not can(handler, petition.handling_agency_id, Action.HANDLE):
        raise ValidationError({"handler": _("Choose a handler of this agency.")})
    current = _locked(petition)
    if current.assigned_to_id == handler.pk:
        raise TransitionNotAllowed(_("This handler is already assigned."))
    now = _now()
    Petition.objects.filter(pk=petition.pk).update(assigned_to=handler, updated_at=now)
    petition.assigned_to = handler
    petition.updated_at = now
    return _event(
        petition,
        action="assign",
        actor=actor,
        from_status=current.status,
        to_status=current.status,
        note=_("Assigned to %(name)s.") % {"name": handler.get_full_name() or handler.username},
        public=False,
    )


@transaction.atomic
def petition_add_note(*, petition: Petition, actor: Actor, note: str) -> PetitionEvent:
    """An internal note by an official of the agency; never shown to the citizen."""
    if not can(actor, petition.handling_agency_id, Action.HANDLE):
        raise NotPermitted()
    if not note.strip():
        raise ValidationError({"note": _("Write the note.")})
    current = _locked(petition)
    return _event(
        petition,
        action="note",
        actor=actor,
        from_status=current.status,
        to_status=current.status,
        note=note.strip(),
        public=False,
    )


@transaction.atomic
def petition_add_information(
    *, petition: Petition, text: str, files: list[CheckedFile] | None = None
) -> PetitionEvent:
    """The citizen adds information or documents from the tracking page."""
    current = _locked(petition)
    if current.status not in OPEN_STATUSES:
        raise TransitionNotAllowed(_("Information can only be added while the case is open."))
    if not text.strip() and not files:
        raise ValidationError({"text": _("Write the information or attach a document.")})
    event = _event(
        petition,
        action="add_info",
        actor=CITIZEN,
        from_status=current.status,
        to_status=current.status,
        note=text.strip() or _("Documents added."),
    )
    _store_attachments(petition, files or [], event, identifying=petition.is_denunciation)
    return event


def may_reveal(user: Any, petition: Petition) -> bool:
    """Only the assigned handler and the leads of the resolving agency (DOMAIN)."""
    if not petition.is_denunciation:
        return can(user, petition.handling_agency_id, Action.VIEW)
    if petition.status == Status.TRANSFERRED:
        return False  # the resolving agency is now the receiver
    if can(user, petition.handling_agency_id, Action.REVEAL):
        return True
    return petition.assigned_to_id == getattr(user, "pk", None) and can(
        user, petition.handling_agency_id, Action.HANDLE
    )


def petition_reveal_identity(*, petition: Petition, actor: Any, reason: str) -> Identity:
    """Decrypt a denouncer's identity for an authorised official; writes an audit row."""
    if not may_reveal(actor, petition):
        raise NotPermitted(_("You may not see this denouncer's identity."))
    if petition.is_denunciation:
        if not reason.strip():
            raise ValidationError({"reason": _("Say why you need to see the identity.")})
        IdentityReveal.objects.create(petition=petition, user=actor, reason=reason.strip()[:300])
    return decrypt_identity(petition.identity)


def available_actions(user: Any, petition: Petition) -> list[str]:
    """The moves this user may make on this petition now, in page order."""
    names = [
        name
        for name, move in MOVES.items()
        if petition.status in move.sources
        and move.action is not None
        and can(user, petition.handling_agency_id, move.action)
    ]
    if "extend" in names:
        _days, cap = extensions_allowed(petition)
        if petition.kind != Kind.DENUNCIATION and petition.extensions_count >= cap:
            names.remove("extend")
    if "appeal" in names and (petition.kind != Kind.COMPLAINT or petition.round != 1):
        names.remove("appeal")
    if "transfer" in names and petition.is_denunciation and petition.transferred_from_id:
        names.remove("transfer")
    if petition.is_open and can(user, petition.handling_agency_id, Action.LEAD):
        names.append("assign")
    if can(user, petition.handling_agency_id, Action.HANDLE):
        names.append("note")
    if petition.is_denunciation and may_reveal(user, petition):
        names.append("reveal")
    return names


def attachment_open(*, petition: Petition, attachment: Attachment, actor: Any) -> Attachment:
    """Hand out an attachment; one that may identify a denouncer is a reveal and logged."""
    if attachment.petition_id != petition.pk:
        raise NotPermitted()
    if attachment.is_identifying:
        if not may_reveal(actor, petition):
            raise NotPermitted(_("You may not see this denouncer's identity."))
        IdentityReveal.objects.create(
            petition=petition,
            user=actor,
            reason=(_("Opened the attachment “%(name)s”") % {"name": attachment.original_name})[
                :300
            ],
        )
    return attachment
