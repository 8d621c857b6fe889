"""Terms, sessions and voter meetings; carrying unresolved items over onto a later
session's agenda, and publishing a session's results to voters."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.models import AdministrativeUnit, Agency
from casework import timekeeping
from casework.actors import Actor
from casework.errors import TransitionNotAllowed
from casework.events import said

from ..models import (
    CLOSED_CATEGORIES,
    RECOMMENDATION_MACHINE,
    SESSION_MACHINE,
    CarryOver,
    CouncilSession,
    Recommendation,
    Term,
    VoterMeeting,
)
from .recording import (
    Event,
    account,
    check_commune,
    council_staff_only,
    created,
    day_text,
    not_in_future,
)

# --- terms, sessions, meetings ----------------------------------------------------------


@transaction.atomic
def term_create(
    *, actor: Actor, council: Agency, start_year: int, end_year: int, elected_on: date
) -> Term:
    """Record a council's term of office (no status, no event: reference data)."""
    council_staff_only(actor, council.pk)
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
    council_staff_only(actor, term.council_id)
    errors: dict[str, str] = {}
    if number < 1:
        errors["number"] = _("The number starts at 1.")
    elif CouncilSession.objects.filter(term=term, number=number).exists():
        errors["number"] = _("This term already has a session with this number.")
    if kind not in CouncilSession.Kind.values:
        errors["kind"] = _("Choose regular or thematic.")
    if closes_on < opens_on:
        errors["closes_on"] = _("The session cannot close before it opens.")
    elif closes_on.year > term.end_year:
        errors["closes_on"] = _("The session must close within the term (%(start)s–%(end)s).") % {
            "start": term.start_year,
            "end": term.end_year,
        }
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
    created(SESSION_MACHINE, session, action=Event.SESSION_CREATE, actor=actor)
    return session


def _check_meeting(
    session: CouncilSession, *, timing: str, held_on: date, place: str, deputies: str, voters: int
) -> None:
    if timing not in VoterMeeting.Timing.values:
        raise ValidationError({"timing": _("Choose before or after the session.")})
    not_in_future(held_on, "held_on")
    if timing == VoterMeeting.Timing.BEFORE and held_on > session.opens_on:
        raise ValidationError(
            {
                "held_on": _("A meeting before the session is held by its opening day, %(d)s.")
                % {"d": day_text(session.opens_on)}
            }
        )
    if timing == VoterMeeting.Timing.AFTER and held_on < session.closes_on:
        raise ValidationError(
            {
                "held_on": _("A meeting after the session is held from its closing day, %(d)s.")
                % {"d": day_text(session.closes_on)}
            }
        )
    if not place.strip():
        raise ValidationError({"place": _("Say where the meeting was held.")})
    if not deputies.strip():
        raise ValidationError({"deputies": _("Name the deputies present.")})
    if voters < 1:
        raise ValidationError({"voters_count": _("At least one voter attends a meeting.")})


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
    SESSION_MACHINE.check(session, "meeting", actor)
    _check_meeting(
        session,
        timing=timing,
        held_on=held_on,
        place=place,
        deputies=deputies,
        voters=voters_count,
    )
    check_commune(commune, session.council, "commune")
    meeting = VoterMeeting.objects.create(
        session=session,
        timing=timing,
        held_on=held_on,
        place=place.strip(),
        commune=commune,
        deputies=deputies.strip(),
        voters_count=voters_count,
        notes=notes.strip(),
        created_by=account(actor),
    )
    SESSION_MACHINE.note(
        session,
        action=Event.MEETING,
        actor=actor,
        said=said(gettext_noop("%(date)s — %(place)s"), date=held_on, place=meeting.place),
    )
    return meeting


# --- carry-over and publication -----------------------------------------------------------


def _carry(
    *, actor: Actor, recommendation: Recommendation, to_session: CouncilSession
) -> CarryOver:
    RECOMMENDATION_MACHINE.check(recommendation, "carry_over", actor)
    if to_session.council_id != recommendation.session.council_id:
        raise ValidationError(_("A recommendation carries over within its own council."))
    if to_session.opens_on <= recommendation.session.opens_on:
        raise ValidationError(_("A recommendation carries over to a later session."))
    try:
        with transaction.atomic():
            carry = CarryOver.objects.create(
                recommendation=recommendation,
                session=to_session,
                carried_on=timekeeping.today(),
                created_by=account(actor),
            )
    except IntegrityError as exc:
        raise TransitionNotAllowed(_("It is already on this session's agenda.")) from exc
    # The item does not change; the event is on the agenda it joins.
    RECOMMENDATION_MACHINE.note(
        recommendation,
        action=Event.CARRY_OVER,
        actor=actor,
        public=True,
        agency_id=to_session.council_id,
        links={"session_id": to_session.pk},
        said=said(
            gettext_noop("Carried over from %(session)s to %(to)s."),
            session=recommendation.session.title,
            to=to_session.title,
        ),
    )
    return carry


@transaction.atomic
def recommendation_carry_over(
    *, actor: Actor, recommendation: Recommendation, to_session: CouncilSession
) -> CarryOver:
    """Put an unresolved recommendation on a later session's agenda (its status does not
    change; a `carry_over` event)."""
    SESSION_MACHINE.check(to_session, "carry_over", actor)
    return _carry(actor=actor, recommendation=recommendation, to_session=to_session)


@transaction.atomic
def session_carry_over(*, actor: Actor, session: CouncilSession) -> int:
    """Carry every unresolved item of the council's earlier sessions onto `session`."""
    SESSION_MACHINE.check(session, "carry_over", actor)
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
    SESSION_MACHINE.check(session, "publish", actor)
    # Not a guard: it reads the database, and the session page asks the moves on
    # every view; publishing an empty session is a form error, not a conflict.
    forwarded = (
        Recommendation.objects.filter(
            session=session, status=Recommendation.Status.FORWARDED
        ).exists()
        or CarryOver.objects.filter(session=session).exists()
    )
    if not forwarded:
        raise ValidationError(
            _("There is nothing to publish yet: forward the session's recommendations first.")
        )
    SESSION_MACHINE.apply(
        session,
        move="publish",
        actor=actor,
        public=True,
        note=note.strip(),
        changes={"published_at": timekeeping.now()},
        checked=True,
    )
    return session
