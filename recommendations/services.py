"""Every write to voter recommendations. One function per state change; only
`_transition()` writes a status — after checking the table and the actor, with a
guarded UPDATE and exactly one event row — and side effects wait for the commit.

Who may do what (agencies.scope): council staff (`Action.COUNCIL` on the session's
People's Council) record meetings, collect, consolidate, forward, assess, carry over
and publish; in the answering agency a lead (`Action.LEAD`) submits the answer, and a
handler (`Action.HANDLE`) may save a draft for the lead — an answer commits the agency,
so it goes out under a lead's name, as the agency's official letter does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from unidecode import unidecode

from agencies.clocks import Clock, start_clock
from agencies.models import AdministrativeUnit, Agency
from agencies.scope import Action, can
from agencies.workdays import DueDate, long_overdue_after, subtract_working_days
from casework.errors import ConcurrentChange, NotPermitted, TransitionNotAllowed

from . import notices, public_cache
from .models import (
    CATEGORY_RANK,
    CLOSED_CATEGORIES,
    Answer,
    CarryOver,
    CouncilSession,
    Field,
    Forwarding,
    Recommendation,
    RecommendationEvent,
    RecommendationSource,
    ResultCategory,
    Term,
    VoterMeeting,
)

Actor = Any  # a User
Event = RecommendationEvent.Action
ANSWER_CLOCK = "voter.answer"
# Agencies that forward rather than answer.
COUNCIL_KINDS = frozenset({Agency.Kind.PEOPLES_COUNCIL, Agency.Kind.COUNCIL_STANDING})


def search_key(text: str) -> str:
    """Lower-cased ASCII words, so that "Gia Viễn", "gia vien" and "GIA VIEN" all match."""
    return unidecode(text or "").lower()


def _today() -> date:
    return timezone.localdate()


def _d(day: date) -> str:
    return date_format(day, "d/m/Y")


def _require(actor: Actor, agency_id: int | None, action: Action) -> None:
    if not can(actor, agency_id, action):
        raise NotPermitted()


def _not_in_future(day: date, field: str) -> None:
    if day > _today():
        raise ValidationError({field: _("This date cannot be in the future.")})


# --- the one door ---------------------------------------------------------------------

Stateful = CouncilSession | Recommendation | Forwarding


def _where(obj: Stateful) -> tuple[CouncilSession, int | None, int | None]:
    """The session, recommendation and forwarding an event about `obj` belongs to."""
    if isinstance(obj, CouncilSession):
        return obj, None, None
    if isinstance(obj, Recommendation):
        return obj.session, obj.pk, None
    return obj.recommendation.session, obj.recommendation_id, obj.pk


def _status_label(obj: Stateful, status: str) -> str:
    return str(dict(type(obj).Status.choices).get(status, status))


def _event(
    *,
    session: CouncilSession,
    action: str,
    actor: Actor,
    agency_id: int | None,
    recommendation_id: int | None = None,
    forwarding_id: int | None = None,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    public: bool = False,
) -> RecommendationEvent:
    event = RecommendationEvent.objects.create(
        session=session,
        recommendation_id=recommendation_id,
        forwarding_id=forwarding_id,
        action=action,
        actor=actor,
        agency_id=agency_id,
        from_status=from_status,
        to_status=to_status,
        note=note,
        is_public=public,
    )
    # The public figures change with any event; drop them once the change is visible.
    transaction.on_commit(partial(public_cache.bump, session.council_id))
    return event


def _allowed(obj: Stateful, to: str, action: str) -> None:
    """Raise unless the transition table allows `obj` to move to `to`."""
    if not obj.can_transition_to(to):
        raise TransitionNotAllowed(
            _("“%(action)s” is not possible while it is “%(status)s”.")
            % {"action": Event(action).label, "status": _status_label(obj, obj.status)}
        )


def _transition(
    obj: Stateful,
    *,
    to: str,
    action: str,
    actor: Actor,
    agency_id: int,
    permission: Action,
    note: str = "",
    public: bool = False,
    changes: dict[str, Any] | None = None,
) -> RecommendationEvent:
    """Move `obj` to `to`: check the actor and the table, update only if the status is
    still the one read, write one event, and queue the side effects for the commit."""
    _require(actor, agency_id, permission)
    _allowed(obj, to, action)
    values = {**(changes or {}), "status": to, "updated_at": timezone.now()}
    updated = type(obj).objects.filter(pk=obj.pk, status=obj.status).update(**values)
    if updated != 1:
        raise ConcurrentChange()
    from_status = obj.status
    for name, value in values.items():
        setattr(obj, name, value)
    session, recommendation_id, forwarding_id = _where(obj)
    return _event(
        session=session,
        action=action,
        actor=actor,
        agency_id=agency_id,
        recommendation_id=recommendation_id,
        forwarding_id=forwarding_id,
        from_status=from_status,
        to_status=to,
        note=note,
        public=public,
    )


# --- terms, sessions, meetings ----------------------------------------------------------


@transaction.atomic
def term_create(
    *, actor: Actor, council: Agency, start_year: int, end_year: int, elected_on: date
) -> Term:
    """Record a council's term of office (no status, no event: reference data)."""
    _require(actor, council.pk, Action.COUNCIL)
    if council.kind != Agency.Kind.PEOPLES_COUNCIL:
        raise ValidationError({"council": _("Choose a People's Council.")})
    if end_year < start_year:
        raise ValidationError({"end_year": _("The last year cannot be before the first.")})
    if elected_on.year != start_year:
        raise ValidationError({"elected_on": _("The election is held in the term's first year.")})
    if Term.objects.filter(council=council, start_year=start_year).exists():
        raise ValidationError({"start_year": _("This council already has a term starting then.")})
    return Term.objects.create(
        council=council, start_year=start_year, end_year=end_year, elected_on=elected_on
    )


@transaction.atomic
def session_create(
    *,
    actor: Actor,
    term: Term,
    number: int,
    kind: str,
    opens_on: date,
    closes_on: date,
) -> CouncilSession:
    """— → preparing: a new session of the term's council; writes a `session_create` event."""
    _require(actor, term.council_id, Action.COUNCIL)
    errors: dict[str, str] = {}
    if number < 1:
        errors["number"] = _("The number starts at 1.")
    elif CouncilSession.objects.filter(term=term, number=number).exists():
        errors["number"] = _("This term already has a session with this number.")
    if kind not in CouncilSession.Kind.values:
        errors["kind"] = _("Choose regular or thematic.")
    if closes_on < opens_on:
        errors["closes_on"] = _("The session cannot close before it opens.")
    if not term.start_year <= opens_on.year <= term.end_year:
        errors["opens_on"] = _("The session must open within the term (%(start)s–%(end)s).") % {
            "start": term.start_year,
            "end": term.end_year,
        }
    if errors:
        raise ValidationError(errors)
    session = CouncilSession.objects.create(
        term=term,
        council_id=term.council_id,
        number=number,
        kind=kind,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    _event(
        session=session,
        action=Event.SESSION_CREATE,
        actor=actor,
        agency_id=term.council_id,
        to_status=session.status,
    )
    return session


def _check_commune(commune: AdministrativeUnit | None, council: Agency, field: str) -> None:
    if commune is None:
        return
    if (
        commune.level != AdministrativeUnit.Level.COMMUNE
        or commune.parent_id != council.province_id
    ):
        raise ValidationError({field: _("Choose a commune of the council's province.")})


@transaction.atomic
def meeting_record(
    *,
    actor: Actor,
    session: CouncilSession,
    timing: str,
    held_on: date,
    place: str,
    commune: AdministrativeUnit,
    deputies: str,
    voters_count: int,
    notes: str = "",
) -> VoterMeeting:
    """Record a voter meeting of the session; writes a `meeting` event."""
    _require(actor, session.council_id, Action.COUNCIL)
    if timing not in VoterMeeting.Timing.values:
        raise ValidationError({"timing": _("Choose before or after the session.")})
    _not_in_future(held_on, "held_on")
    if timing == VoterMeeting.Timing.BEFORE and held_on > session.opens_on:
        raise ValidationError(
            {
                "held_on": _("A meeting before the session is held by its opening day, %(d)s.")
                % {"d": _d(session.opens_on)}
            }
        )
    if timing == VoterMeeting.Timing.AFTER and held_on < session.closes_on:
        raise ValidationError(
            {
                "held_on": _("A meeting after the session is held from its closing day, %(d)s.")
                % {"d": _d(session.closes_on)}
            }
        )
    _check_commune(commune, session.council, "commune")
    if not place.strip():
        raise ValidationError({"place": _("Say where the meeting was held.")})
    if not deputies.strip():
        raise ValidationError({"deputies": _("Name the deputies present.")})
    if voters_count < 1:
        raise ValidationError({"voters_count": _("At least one voter attends a meeting.")})
    meeting = VoterMeeting.objects.create(
        session=session,
        timing=timing,
        held_on=held_on,
        place=place.strip(),
        commune=commune,
        deputies=deputies.strip(),
        voters_count=voters_count,
        notes=notes.strip(),
        created_by=actor,
    )
    _event(
        session=session,
        action=Event.MEETING,
        actor=actor,
        agency_id=session.council_id,
        note=f"{_d(held_on)} — {meeting.place}",
    )
    return meeting


# --- collecting and consolidating -------------------------------------------------------


def _search_text(content: str, locality: str, commune: AdministrativeUnit | None) -> str:
    words = [content[:4000], locality]
    if commune is not None:
        words.append(commune.name)
    return search_key(" ".join(words))


@transaction.atomic
def recommendation_collect(
    *,
    actor: Actor,
    meeting: VoterMeeting,
    content: str,
    field: str,
    voters_count: int,
    commune: AdministrativeUnit | None = None,
    locality: str = "",
) -> Recommendation:
    """— → collected: what voters raised at a meeting; writes a `collect` event."""
    session = meeting.session
    _require(actor, session.council_id, Action.COUNCIL)
    content = content.strip()
    if not content:
        raise ValidationError({"content": _("Write what the voters raised.")})
    if field not in Field.values:
        raise ValidationError({"field": _("Choose a field.")})
    if voters_count < 1:
        raise ValidationError({"voters_count": _("At least one voter raised it.")})
    if voters_count > meeting.voters_count:
        raise ValidationError(
            {"voters_count": _("The meeting had only %(n)s voters.") % {"n": meeting.voters_count}}
        )
    _check_commune(commune, session.council, "commune")
    recommendation = Recommendation.objects.create(
        session=session,
        content=content,
        field=field,
        commune=commune,
        locality=locality.strip(),
        voters_count=voters_count,
        status=Recommendation.Status.COLLECTED,
        first_raised_on=meeting.held_on,
        search_text=_search_text(content, locality, commune),
        created_by=actor,
    )
    RecommendationSource.objects.create(
        recommendation=recommendation,
        collected_as=recommendation,
        meeting=meeting,
        content=content,
        voters_count=voters_count,
    )
    _event(
        session=session,
        action=Event.COLLECT,
        actor=actor,
        agency_id=session.council_id,
        recommendation_id=recommendation.pk,
        to_status=recommendation.status,
        note=f"{_d(meeting.held_on)} — {meeting.place}",
    )
    return recommendation


@transaction.atomic
def recommendation_consolidate(
    *,
    actor: Actor,
    keeper: Recommendation,
    duplicates: Sequence[Recommendation] = (),
    content: str = "",
) -> Recommendation:
    """collected → consolidated (tổng hợp), merging duplicates into `keeper`.

    Each duplicate moves to `merged` (one `merge` event each) and hands its sources to
    the keeper, which sums the voters, counts the sessions at which the matter was
    raised, and is carried onto a later session's agenda when raised there again
    (one `consolidate` event). A forwarded keeper stays forwarded.
    """
    council_id = keeper.session.council_id
    _require(actor, council_id, Action.COUNCIL)
    duplicates = list(duplicates)
    if any(d.pk == keeper.pk for d in duplicates):
        raise ValidationError(_("The item kept cannot also be merged into itself."))
    if not duplicates and keeper.status != Recommendation.Status.COLLECTED:
        raise ValidationError(_("Choose at least one duplicate to merge."))
    for duplicate in duplicates:
        if duplicate.session.council_id != council_id:
            raise ValidationError(_("Only recommendations to the same council can be merged."))
        if duplicate.session.opens_on < keeper.session.opens_on:
            raise ValidationError(
                _("Keep the item raised first (#%(pk)s is from an earlier session).")
                % {"pk": duplicate.pk}
            )
    target = (
        Recommendation.Status.FORWARDED
        if keeper.status == Recommendation.Status.FORWARDED
        else Recommendation.Status.CONSOLIDATED
    )
    _allowed(keeper, target, Event.CONSOLIDATE)
    # Serialise merges into the same item, so each sees the sources the other moved.
    list(Recommendation.objects.select_for_update().filter(pk=keeper.pk).values_list("pk"))

    for duplicate in duplicates:
        _transition(
            duplicate,
            to=Recommendation.Status.MERGED,
            action=Event.MERGE,
            actor=actor,
            agency_id=council_id,
            permission=Action.COUNCIL,
            note=_("Merged into #%(pk)s.") % {"pk": keeper.pk},
            changes={"merged_into": keeper},
        )
        RecommendationSource.objects.filter(recommendation=duplicate).update(recommendation=keeper)
    later_sessions = {d.session_id for d in duplicates if d.session_id != keeper.session_id} - set(
        CarryOver.objects.filter(recommendation=keeper).values_list("session_id", flat=True)
    )
    for session_id in sorted(later_sessions):
        CarryOver.objects.create(
            recommendation=keeper, session_id=session_id, carried_on=_today(), created_by=actor
        )

    totals = RecommendationSource.objects.filter(recommendation=keeper).aggregate(
        voters=Sum("voters_count"),
        sessions=Count("meeting__session", distinct=True),
        first=Min("meeting__held_on"),
    )
    text = content.strip() or keeper.content
    changes = {
        "content": text,
        "voters_count": totals["voters"] or keeper.voters_count,
        "times_raised": totals["sessions"] or 1,
        "first_raised_on": totals["first"] or keeper.first_raised_on,
        "search_text": _search_text(text, keeper.locality, keeper.commune),
    }
    if duplicates:
        note = _("Merged %(items)s: %(voters)s voters in all.") % {
            "items": ", ".join(f"#{d.pk}" for d in duplicates),
            "voters": changes["voters_count"],
        }
    else:
        note = ""
    _transition(
        keeper,
        to=target,
        action=Event.CONSOLIDATE,
        actor=actor,
        agency_id=council_id,
        permission=Action.COUNCIL,
        note=note,
        changes=changes,
    )
    return keeper


# --- forwarding ---------------------------------------------------------------------------


def _council_set_clock(start: date, due_on: date) -> Clock:
    """A clock whose due date the council chose (when sending an answer back)."""
    due = DueDate(start=start, days=(due_on - start).days, working=False, due=due_on)
    return Clock(
        ANSWER_CLOCK,
        due,
        subtract_working_days(due_on, 3),
        long_overdue_after(due),
    )


def _clock_fields(clock: Clock, *, set_by_council: bool = False) -> dict[str, Any]:
    # A new answer clock starts its reminders afresh (recommendations.reminders).
    fields = {**clock.as_fields("answer"), "next_reminder_on": clock.due_soon_on}
    if set_by_council:
        fields["answer_rule"]["set_by_council"] = True
    return fields


@transaction.atomic
def recommendation_forward(
    *,
    actor: Actor,
    recommendation: Recommendation,
    agencies: Iterable[Agency],
    dispatch_number: str,
    dispatched_on: date | None = None,
) -> list[Forwarding]:
    """consolidated → forwarded (chuyển): to one or more agencies, each on its own answer
    clock (`voter.answer`) from the dispatch date; writes one `forward` event.

    A forwarded item may be forwarded to further agencies the same way.
    """
    session = recommendation.session
    _require(actor, session.council_id, Action.COUNCIL)
    _allowed(recommendation, Recommendation.Status.FORWARDED, Event.FORWARD)
    agencies = list(dict.fromkeys(agencies))
    dispatched_on = dispatched_on or _today()
    dispatch_number = dispatch_number.strip()
    if not agencies:
        raise ValidationError({"agencies": _("Choose at least one agency.")})
    if not dispatch_number:
        raise ValidationError({"dispatch_number": _("Enter the dispatch number.")})
    _not_in_future(dispatched_on, "dispatched_on")
    if dispatched_on < recommendation.first_raised_on:
        raise ValidationError(
            {"dispatched_on": _("The dispatch cannot be dated before the voter meeting.")}
        )
    for agency in agencies:
        if agency.kind in COUNCIL_KINDS or not agency.is_active:
            raise ValidationError(
                {
                    "agencies": _("%(agency)s does not answer recommendations.")
                    % {"agency": agency.name}
                }
            )
        if agency.province_id != session.council.province_id:
            raise ValidationError(
                {
                    "agencies": _("%(agency)s is not in the council's province.")
                    % {"agency": agency.name}
                }
            )
    already = set(
        Forwarding.objects.filter(recommendation=recommendation, agency__in=agencies).values_list(
            "agency__name", flat=True
        )
    )
    if already:
        raise ValidationError(
            {
                "agencies": _("Already forwarded to %(agencies)s.")
                % {"agencies": ", ".join(sorted(already))}
            }
        )
    clock = start_clock(ANSWER_CLOCK, dispatched_on)
    _transition(
        recommendation,
        to=Recommendation.Status.FORWARDED,
        action=Event.FORWARD,
        actor=actor,
        agency_id=session.council_id,
        permission=Action.COUNCIL,
        public=True,
        note=_("Forwarded to %(agencies)s (dispatch %(number)s of %(date)s); answer due %(due)s.")
        % {
            "agencies": ", ".join(a.name for a in agencies),
            "number": dispatch_number,
            "date": _d(dispatched_on),
            "due": _d(clock.due_on),
        },
    )
    forwardings = [
        Forwarding.objects.create(
            recommendation=recommendation,
            agency=agency,
            dispatch_number=dispatch_number,
            dispatched_on=dispatched_on,
            created_by=actor,
            **_clock_fields(clock),
        )
        for agency in agencies
    ]
    _refresh_outcome(recommendation)
    return forwardings


@transaction.atomic
def recommendations_forward(
    *,
    actor: Actor,
    recommendations: Sequence[Recommendation],
    agencies: Iterable[Agency],
    dispatch_number: str,
    dispatched_on: date | None = None,
) -> int:
    """Forward many items under one dispatch: each its own move and event; all or none."""
    if not recommendations:
        raise ValidationError({"recommendations": _("Choose at least one recommendation.")})
    agencies = list(agencies)
    for recommendation in recommendations:
        recommendation_forward(
            actor=actor,
            recommendation=recommendation,
            agencies=agencies,
            dispatch_number=dispatch_number,
            dispatched_on=dispatched_on,
        )
    return len(recommendations)


def _refresh_outcome(recommendation: Recommendation) -> None:
    """Combine the forwardings' answers and results onto the recommendation.

    It is answered when every agency has answered (on time if all did), and its result
    is the least advanced of the accepted results once every agency has one.
    """
    # Lock first, so that two agencies answering at once both end up counted.
    list(Recommendation.objects.select_for_update().filter(pk=recommendation.pk).values_list("pk"))
    rows = list(
        Forwarding.objects.filter(recommendation_id=recommendation.pk).values_list(
            "dispatched_on", "answered_on", "answered_on_time", "result", "result_on"
        )
    )
    answered = bool(rows) and all(r[1] for r in rows)
    resulted = bool(rows) and all(r[3] for r in rows)
    values: dict[str, Any] = {
        "forwarded_on": min((r[0] for r in rows), default=None),
        "answered_on": max(r[1] for r in rows) if answered else None,
        "answered_on_time": all(r[2] for r in rows) if answered else None,
        "result": min((r[3] for r in rows), key=CATEGORY_RANK.__getitem__) if resulted else "",
        "result_on": max(r[4] for r in rows) if resulted else None,
    }
    Recommendation.objects.filter(pk=recommendation.pk).update(**values)
    for name, value in values.items():
        setattr(recommendation, name, value)


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
) -> Forwarding:
    """A handler's draft answer for the lead (no status change; an internal `draft` event)."""
    _require(actor, forwarding.agency_id, Action.HANDLE)
    if forwarding.status != Forwarding.Status.FORWARDED:
        raise TransitionNotAllowed(_("There is no answer to draft: it is not awaited."))
    if not text.strip():
        raise ValidationError({"text": _("Write the answer.")})
    draft = {
        "text": text.strip(),
        "category": category if category in ResultCategory.values else "",
        "reason": reason.strip(),
        "planned_by": planned_by.isoformat() if planned_by else "",
        "document_number": document_number.strip(),
    }
    now = timezone.now()
    updated = Forwarding.objects.filter(
        pk=forwarding.pk, status=Forwarding.Status.FORWARDED
    ).update(draft=draft, draft_by=actor, draft_saved_at=now, updated_at=now)
    if updated != 1:
        raise ConcurrentChange()
    forwarding.draft, forwarding.draft_by, forwarding.draft_saved_at = draft, actor, now
    _event(
        session=forwarding.recommendation.session,
        action=Event.DRAFT,
        actor=actor,
        agency_id=forwarding.agency_id,
        recommendation_id=forwarding.recommendation_id,
        forwarding_id=forwarding.pk,
    )
    return forwarding


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
    _require(actor, forwarding.agency_id, Action.LEAD)
    _allowed(forwarding, Forwarding.Status.ANSWERED, Event.ANSWER)
    _check_answer(
        text=text,
        category=category,
        reason=reason,
        planned_by=planned_by,
        document_number=document_number,
    )
    answered_on = answered_on or _today()
    _not_in_future(answered_on, "answered_on")
    if answered_on < forwarding.dispatched_on:
        raise ValidationError(
            {
                "answered_on": _("The answer cannot be dated before the dispatch (%(d)s).")
                % {"d": _d(forwarding.dispatched_on)}
            }
        )
    if planned_by is not None and planned_by <= answered_on:
        raise ValidationError({"planned_by": _("The planned date must be after the answer.")})
    on_time = answered_on <= forwarding.answer_due_on
    changes: dict[str, Any] = {
        "draft": {},
        "draft_by": None,
        "draft_saved_at": None,
        "next_reminder_on": None,  # answered: the clock has nothing more to say
    }
    if forwarding.answered_on is None:
        # "Answered on time" measures the agency's first answer against the first
        # deadline; answers to a send-back are judged on their own Answer row.
        changes.update(answered_on=answered_on, answered_on_time=on_time)
    category_label = ResultCategory(category).label
    _transition(
        forwarding,
        to=Forwarding.Status.ANSWERED,
        action=Event.ANSWER,
        actor=actor,
        agency_id=forwarding.agency_id,
        permission=Action.LEAD,
        public=True,
        note=_("%(category)s — document %(number)s of %(date)s.")
        % {"category": category_label, "number": document_number.strip(), "date": _d(answered_on)},
        changes=changes,
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
        answered_by=actor,
    )
    if document is not None:
        answer.document = document
    answer.save()
    Forwarding.objects.filter(pk=forwarding.pk).update(current_answer=answer)
    forwarding.current_answer = answer
    _refresh_outcome(forwarding.recommendation)
    if answered_on == _today():
        # An answer recorded on an earlier date is history, not news: nobody is told.
        notices.forwarding_answered(forwarding, answer)
    return answer


# --- the council's assessment -------------------------------------------------------------


@transaction.atomic
def forwarding_accept(
    *, actor: Actor, forwarding: Forwarding, note: str = "", assessed_on: date | None = None
) -> Forwarding:
    """answered → accepted (đánh giá: đạt): the answer's category becomes the result, as
    of `assessed_on` (default today: a meeting's assessment may be recorded later);
    writes one `accept` event."""
    answer = forwarding.current_answer
    council_id = forwarding.recommendation.session.council_id
    _require(actor, council_id, Action.COUNCIL)
    _allowed(forwarding, Forwarding.Status.ACCEPTED, Event.ACCEPT)
    if answer is None:
        raise ConcurrentChange()  # read between the status and the answer being stored
    today = assessed_on or _today()
    _not_in_future(today, "assessed_on")
    if today < answer.answered_on:
        raise ValidationError({"assessed_on": _("The assessment cannot precede the answer.")})
    _transition(
        forwarding,
        to=Forwarding.Status.ACCEPTED,
        action=Event.ACCEPT,
        actor=actor,
        agency_id=council_id,
        permission=Action.COUNCIL,
        public=True,
        note=note.strip(),
        changes={"accepted_answer": answer, "result": answer.category, "result_on": today},
    )
    Answer.objects.filter(pk=answer.pk).update(
        assessment=Answer.Assessment.ACCEPTED,
        assessment_note=note.strip(),
        assessed_by=actor,
        assessed_at=timezone.now(),
    )
    _refresh_outcome(forwarding.recommendation)
    return forwarding


@transaction.atomic
def forwarding_send_back(
    *, actor: Actor, forwarding: Forwarding, reason: str, due_on: date | None = None
) -> Forwarding:
    """answered → forwarded (trả lại): the answer is not accepted, or an accepted
    "in progress" / "planned" / "not resolved" item needs an update; a new answer clock
    starts today, or runs to the date the council sets. Writes one `send_back` event."""
    council_id = forwarding.recommendation.session.council_id
    _require(actor, council_id, Action.COUNCIL)
    _allowed(forwarding, Forwarding.Status.FORWARDED, Event.SEND_BACK)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the answer is sent back.")})
    if forwarding.status == Forwarding.Status.ACCEPTED and forwarding.result in CLOSED_CATEGORIES:
        raise TransitionNotAllowed(
            _("The accepted answer closed the matter; there is nothing to update.")
        )
    today = _today()
    if due_on is not None:
        if due_on <= today:
            raise ValidationError({"due_on": _("The new deadline must be after today.")})
        clock = _council_set_clock(today, due_on)
        fields = _clock_fields(clock, set_by_council=True)
    else:
        clock = start_clock(ANSWER_CLOCK, today)
        fields = _clock_fields(clock)
    answer = forwarding.current_answer if forwarding.status == Forwarding.Status.ANSWERED else None
    _transition(
        forwarding,
        to=Forwarding.Status.FORWARDED,
        action=Event.SEND_BACK,
        actor=actor,
        agency_id=council_id,
        permission=Action.COUNCIL,
        public=True,
        note=_("%(reason)s New deadline: %(due)s.")
        % {"reason": reason.strip(), "due": _d(clock.due_on)},
        changes={**fields, "rounds": forwarding.rounds + 1, "current_answer": None},
    )
    if answer is not None:
        Answer.objects.filter(pk=answer.pk).update(
            assessment=Answer.Assessment.SENT_BACK,
            assessment_note=reason.strip(),
            assessed_by=actor,
            assessed_at=timezone.now(),
        )
    _refresh_outcome(forwarding.recommendation)
    return forwarding


# --- carry-over and publication -----------------------------------------------------------


def _carry(
    *, actor: Actor, recommendation: Recommendation, to_session: CouncilSession
) -> CarryOver:
    if recommendation.status != Recommendation.Status.FORWARDED or recommendation.is_closed:
        raise TransitionNotAllowed(
            _("Only forwarded recommendations that are not resolved carry over.")
        )
    if to_session.council_id != recommendation.session.council_id:
        raise ValidationError(_("A recommendation carries over within its own council."))
    if to_session.opens_on <= recommendation.session.opens_on:
        raise ValidationError(_("A recommendation carries over to a later session."))
    try:
        with transaction.atomic():
            carry = CarryOver.objects.create(
                recommendation=recommendation,
                session=to_session,
                carried_on=_today(),
                created_by=actor,
            )
    except IntegrityError as exc:
        raise TransitionNotAllowed(_("It is already on this session's agenda.")) from exc
    _event(
        session=to_session,
        action=Event.CARRY_OVER,
        actor=actor,
        agency_id=to_session.council_id,
        recommendation_id=recommendation.pk,
        from_status=recommendation.status,
        to_status=recommendation.status,
        public=True,
        note=_("Carried over from %(session)s to %(to)s.")
        % {"session": recommendation.session.title, "to": to_session.title},
    )
    return carry


@transaction.atomic
def recommendation_carry_over(
    *, actor: Actor, recommendation: Recommendation, to_session: CouncilSession
) -> CarryOver:
    """Put an unresolved recommendation on a later session's agenda (its status does not
    change; a `carry_over` event)."""
    _require(actor, to_session.council_id, Action.COUNCIL)
    return _carry(actor=actor, recommendation=recommendation, to_session=to_session)


@transaction.atomic
def session_carry_over(*, actor: Actor, session: CouncilSession) -> int:
    """Carry every unresolved item of the council's earlier sessions onto `session`."""
    _require(actor, session.council_id, Action.COUNCIL)
    pending = (
        Recommendation.objects.filter(
            session__council_id=session.council_id,
            session__opens_on__lt=session.opens_on,
            status=Recommendation.Status.FORWARDED,
        )
        .exclude(result__in=CLOSED_CATEGORIES)
        .exclude(carry_overs__session=session)
        .select_related("session")
        .order_by("id")
    )
    count = 0
    for recommendation in pending:
        _carry(actor=actor, recommendation=recommendation, to_session=session)
        count += 1
    return count


@transaction.atomic
def session_publish(*, actor: Actor, session: CouncilSession, note: str = "") -> CouncilSession:
    """preparing → published: the session's results go on the public pages for voters;
    writes one `publish` event."""
    _require(actor, session.council_id, Action.COUNCIL)
    forwarded = (
        Recommendation.objects.filter(
            session=session, status=Recommendation.Status.FORWARDED
        ).exists()
        or CarryOver.objects.filter(session=session).exists()
    )
    if not forwarded and session.status == CouncilSession.Status.PREPARING:
        raise ValidationError(
            _("There is nothing to publish yet: forward the session's recommendations first.")
        )
    _transition(
        session,
        to=CouncilSession.Status.PUBLISHED,
        action=Event.PUBLISH,
        actor=actor,
        agency_id=session.council_id,
        permission=Action.COUNCIL,
        public=True,
        note=note.strip(),
        changes={"published_at": timezone.now()},
    )
    return session
