"""Reads: every list and page (and the API's) starts from agencies.scope; the figures
are one aggregate query each (DOMAIN.md, "The figures"), and `figure_aggregates` gives
their counts to whoever groups them (dashboards), so a number means the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from agencies.clocks import Phase, phase_filter
from agencies.models import Agency
from agencies.scope import Action, acting_agency_ids, visible_agency_ids
from casework.actors import User
from casework.pages import CaseListFilters
from casework.rates import percent
from casework.search import narrowed, search_filter

from . import public_cache
from .models import (
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

Status = Recommendation.Status
Event = RecommendationEvent.Action
# Of a recommendation's own events, those an answering agency also reads (as on its
# forwarding page): that it was forwarded, and carried over.
SHARED_EVENTS = (Event.FORWARD, Event.CARRY_OVER)


# --- the figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Voter-recommendation figures for a session or a term (DOMAIN.md, "The figures")."""

    total: int = 0
    forwarded: int = 0
    answered: int = 0
    answered_on_time: int = 0
    resolved: int = 0
    in_progress: int = 0
    planned: int = 0
    explained: int = 0
    not_resolved: int = 0
    carried_over: int = 0

    @property
    def awaiting_answer(self) -> int:
        return self.forwarded - self.answered

    @property
    def awaiting_result(self) -> int:
        """Forwarded items without an accepted result yet."""
        return self.forwarded - (
            self.resolved + self.in_progress + self.planned + self.explained + self.not_resolved
        )

    # Rates as official reports print them: half up, one decimal (casework.rates).
    @property
    def resolution_rate(self) -> float | None:
        """Resolved ÷ forwarded, in per cent to one decimal ("40/71 = 56.3 %")."""
        return percent(self.resolved, self.forwarded)

    @property
    def answer_rate(self) -> float | None:
        return percent(self.answered, self.forwarded)

    @property
    def on_time_rate(self) -> float | None:
        """Answered on time ÷ answered."""
        return percent(self.answered_on_time, self.answered)

    def by_category(self) -> list[tuple[str, Any, int]]:
        return [(value, label, getattr(self, value)) for value, label in ResultCategory.choices]


# The counts of a figures row (carried_over is a session's own addition).
FIGURE_COUNTS = ("total", "forwarded", "answered", "answered_on_time", *ResultCategory.values)


def figure_aggregates(prefix: str = "") -> dict[str, Any]:
    """The conditional counts behind the figures of recommendations (merged ones left out
    by the caller), for `aggregate()` or a grouped `annotate()`; `prefix` reaches the
    recommendation from the rows counted (`"recommendation__"` from carry-overs)."""
    forwarded = Q(**{f"{prefix}status": Status.FORWARDED})
    return {
        "total": Count("pk"),
        "forwarded": Count("pk", filter=forwarded),
        "answered": Count("pk", filter=forwarded & Q(**{f"{prefix}answered_on__isnull": False})),
        "answered_on_time": Count(
            "pk", filter=forwarded & Q(**{f"{prefix}answered_on_time": True})
        ),
        **{
            value: Count("pk", filter=forwarded & Q(**{f"{prefix}result": value}))
            for value in ResultCategory.values
        },
    }


def forwarding_figure_aggregates() -> dict[str, Any]:
    """The same counts per agency answering, over its forwardings: each forwarding once,
    answered (its first answer), on time, and the result the council accepted."""
    return {
        "total": Count("pk"),
        "forwarded": Count("pk"),
        "answered": Count("pk", filter=Q(answered_on__isnull=False)),
        "answered_on_time": Count("pk", filter=Q(answered_on_time=True)),
        **{value: Count("pk", filter=Q(result=value)) for value in ResultCategory.values},
    }


def figures_of(row: dict[str, Any], **extra: int) -> Figures:
    """A Figures from an aggregate row (other columns, such as a group's key, ignored)."""
    names = {f.name for f in fields(Figures)}
    return Figures(**{k: v for k, v in {**row, **extra}.items() if k in names})


def _figures(scope: Q, *, carried: Q | None = None) -> Figures:
    counts = figure_aggregates()
    if carried is not None:
        counts["carried_over"] = Count("pk", filter=carried)
    row = Recommendation.objects.filter(scope).exclude(status=Status.MERGED).aggregate(**counts)
    return Figures(**row)


def session_scope(session: CouncilSession) -> Q:
    """Items raised for the session, and those carried over onto its agenda."""
    return Q(session_id=session.pk) | Q(
        pk__in=CarryOver.objects.filter(session_id=session.pk).values("recommendation_id")
    )


def session_figures(session: CouncilSession) -> Figures:
    """One query: the session's items, carried-over ones included."""
    return _figures(session_scope(session), carried=~Q(session_id=session.pk))


def term_figures(term: Term) -> Figures:
    """One query: every item raised in the term, wherever it was carried."""
    return _figures(Q(session__term_id=term.pk))


def public_session_figures(session: CouncilSession) -> Figures:
    return public_cache.cached(
        session.council_id, f"session:{session.pk}", lambda: session_figures(session)
    )


def public_term_figures(term: Term) -> Figures:
    return public_cache.cached(term.council_id, f"term:{term.pk}", lambda: term_figures(term))


# --- sessions and meetings (council staff, monitors) ------------------------------------------


def visible_sessions(user: User) -> QuerySet[CouncilSession]:
    """Sessions of the councils the user may see: their own council, or a monitor's province."""
    return CouncilSession.objects.filter(council_id__in=visible_agency_ids(user))


def session_list(user: User) -> QuerySet[CouncilSession]:
    return (
        visible_sessions(user)
        .select_related("term", "council")
        .annotate(items=Count("recommendations", filter=~Q(recommendations__status=Status.MERGED)))
        .order_by("-opens_on", "-number")
    )


def session_for_staff(user: User, pk: int) -> CouncilSession:
    session = visible_sessions(user).select_related("term", "council").filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def council_terms(user: User) -> QuerySet[Term]:
    """Terms of the councils where the user is council staff (for opening a session)."""
    return (
        Term.objects.filter(council_id__in=acting_agency_ids(user, Action.COUNCIL))
        .select_related("council")
        .order_by("-start_year")
    )


def session_meetings(session: CouncilSession) -> QuerySet[VoterMeeting]:
    return (
        VoterMeeting.objects.filter(session=session)
        .select_related("commune")
        .annotate(items=Count("sources"))
        .order_by("held_on", "id")
    )


def meeting_for_staff(user: User, pk: int) -> VoterMeeting:
    meeting = (
        VoterMeeting.objects.filter(session__council_id__in=visible_agency_ids(user))
        .select_related("session", "session__term", "session__council", "commune")
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def meeting_sources(meeting: VoterMeeting) -> QuerySet[RecommendationSource]:
    """What voters raised at the meeting, with the item each is now part of."""
    return (
        RecommendationSource.objects.filter(meeting=meeting)
        .select_related("recommendation", "collected_as")
        .order_by("id")
    )


@dataclass
class ListFilters(CaseListFilters):
    result: str = ""
    carried: bool = False


def field_order() -> Case:
    """Fields in the order councils list them (land first), not alphabetically."""
    return Case(
        *[When(field=value, then=Value(i)) for i, value in enumerate(Field.values)],
        default=Value(len(Field.values)),
        output_field=IntegerField(),
    )


def _forwardings_prefetch() -> Prefetch:
    return Prefetch(
        "forwardings",
        queryset=Forwarding.objects.select_related("agency", "accepted_answer").order_by(
            "agency__name"
        ),
    )


def _filtered(qs: QuerySet[Recommendation], filters: ListFilters) -> QuerySet[Recommendation]:
    if filters.q:
        qs = qs.filter(search_filter(filters.q))
    qs = narrowed(qs, field=filters.field, status=filters.status)
    if filters.result == "pending":
        qs = qs.filter(status=Status.FORWARDED, result="")
    elif filters.result:
        qs = qs.filter(result=filters.result)
    if filters.agency:
        qs = qs.filter(
            pk__in=Forwarding.objects.filter(agency_id=filters.agency).values("recommendation_id")
        )
    return qs


def session_recommendations(
    session: CouncilSession, filters: ListFilters
) -> QuerySet[Recommendation]:
    """The session's items (carried-over ones included), without those merged away."""
    qs = Recommendation.objects.filter(session_scope(session)).exclude(status=Status.MERGED)
    if filters.carried:
        qs = qs.exclude(session_id=session.pk)
    return (
        _filtered(qs, filters)
        .select_related("session", "commune")
        .prefetch_related(_forwardings_prefetch())
        .order_by(field_order(), "id")
    )


def consolidation_candidates(
    session: CouncilSession, filters: ListFilters
) -> QuerySet[Recommendation]:
    """Items that may be merged: the session's collected and consolidated ones; and, as
    items to keep, its forwarded ones and the council's forwarded, unresolved items of
    earlier sessions (a matter raised again joins the forwarding already made)."""
    earlier = Q(
        session__council_id=session.council_id,
        session__opens_on__lt=session.opens_on,
        status=Status.FORWARDED,
    ) & ~Q(result__in=[ResultCategory.RESOLVED, ResultCategory.EXPLAINED])
    own = Q(
        session_id=session.pk,
        status__in=[Status.COLLECTED, Status.CONSOLIDATED, Status.FORWARDED],
    )
    qs = Recommendation.objects.filter(own | earlier)
    own_first = Case(When(session_id=session.pk, then=Value(0)), default=Value(1))
    return (
        _filtered(qs, ListFilters(q=filters.q, field=filters.field, status=filters.status))
        .select_related("session", "commune")
        .order_by(own_first, field_order(), "id")
    )


def forward_candidates(session: CouncilSession, filters: ListFilters) -> QuerySet[Recommendation]:
    """Consolidated items of the session, ready to forward."""
    qs = Recommendation.objects.filter(session_id=session.pk, status=Status.CONSOLIDATED)
    return (
        _filtered(qs, ListFilters(q=filters.q, field=filters.field))
        .select_related("commune")
        .order_by(field_order(), "id")
    )


def assessment_queue(session: CouncilSession) -> QuerySet[Forwarding]:
    """Answers of the session's items awaiting the council's assessment."""
    return (
        Forwarding.objects.filter(
            status=Forwarding.Status.ANSWERED,
            recommendation__in=Recommendation.objects.filter(session_scope(session)),
        )
        .select_related("agency", "recommendation", "current_answer")
        .order_by("answered_on", "id")
    )


def answering_agencies(council: Agency) -> QuerySet[Agency]:
    """Agencies a council forwards to: the active ones of its province, councils excepted."""
    return (
        Agency.objects.filter(province_id=council.province_id, is_active=True)
        .exclude(kind__in=[Agency.Kind.PEOPLES_COUNCIL, Agency.Kind.COUNCIL_STANDING])
        .order_by("name")
    )


# --- one recommendation and its forwardings -----------------------------------------------------


def visible_forwardings(user: User) -> QuerySet[Forwarding]:
    """Forwardings to the user's agencies, and all those of the councils they see."""
    ids = visible_agency_ids(user)
    return Forwarding.objects.filter(
        Q(agency_id__in=ids) | Q(recommendation__session__council_id__in=ids)
    )


def visible_recommendations(user: User) -> QuerySet[Recommendation]:
    ids = visible_agency_ids(user)
    return Recommendation.objects.filter(
        Q(session__council_id__in=ids)
        | Q(pk__in=Forwarding.objects.filter(agency_id__in=ids).values("recommendation_id"))
    )


def _events() -> QuerySet[RecommendationEvent]:
    return RecommendationEvent.objects.select_related("actor", "agency").order_by(
        "created_at", "id"
    )


def _shared() -> Q:
    """The item's own events every agency it was forwarded to reads."""
    return Q(forwarding__isnull=True, action__in=SHARED_EVENTS)


def seen_events(user: User) -> QuerySet[RecommendationEvent]:
    """The events the reader may see: all those of the councils they see; of an item
    forwarded to their agency, the events about their own forwardings and the shared
    ones — each forwarding's timeline (forwarding_timeline), joined."""
    ids = visible_agency_ids(user)
    return _events().filter(
        Q(session__council_id__in=ids) | Q(forwarding__agency_id__in=ids) | _shared()
    )


def recommendation_for_staff(user: User, pk: int, *, as_seen: bool = False) -> Recommendation:
    """One item with everything its page shows. `as_seen` narrows its forwardings and
    events to what the reader may see of them (the API: an agency never reads another
    agency's answer)."""
    # The page shows the whole item to whoever may open it; the API narrows it with the
    # same rules as its lists (visible_forwardings, seen_events), in the prefetch.
    forwardings = visible_forwardings(user) if as_seen else Forwarding.objects.all()
    item = (
        visible_recommendations(user)
        .select_related("session", "session__term", "session__council", "commune", "merged_into")
        .prefetch_related(
            Prefetch(
                "sources",
                queryset=RecommendationSource.objects.select_related(
                    "meeting", "meeting__commune", "meeting__session", "collected_as"
                ).order_by("meeting__held_on", "id"),
            ),
            Prefetch(
                "forwardings",
                queryset=forwardings.select_related(
                    "agency", "current_answer", "accepted_answer"
                ).order_by("agency__name"),
            ),
            Prefetch("carry_overs", queryset=CarryOver.objects.select_related("session")),
            Prefetch("merged", queryset=Recommendation.objects.order_by("id")),
            Prefetch("events", queryset=seen_events(user) if as_seen else _events()),
        )
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    return item


def forwarding_for_user(user: User, pk: int) -> Forwarding:
    forwarding = (
        visible_forwardings(user)
        .select_related(
            "agency",
            "recommendation",
            "recommendation__session",
            "recommendation__session__term",
            "recommendation__session__council",
            "recommendation__commune",
            "current_answer",
            "accepted_answer",
            "draft_by",
        )
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("answered_by", "assessed_by").order_by(
                    "round", "id"
                ),
            ),
            Prefetch(
                "recommendation__sources",
                queryset=RecommendationSource.objects.select_related(
                    "meeting", "meeting__commune"
                ).order_by("meeting__held_on", "id"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if forwarding is None:
        raise Http404
    return forwarding


def forwarding_timeline(forwarding: Forwarding) -> QuerySet[RecommendationEvent]:
    """The forwarding's own events, and the recommendation's forward and carry-over."""
    return _events().filter(
        Q(forwarding=forwarding) | Q(recommendation_id=forwarding.recommendation_id) & _shared()
    )


# --- the API's lists: the scope first, then what a page of rows shows -------------------------


def term_rows(user: User) -> QuerySet[Term]:
    return Term.objects.filter(council_id__in=visible_agency_ids(user)).select_related("council")


def meeting_rows(user: User) -> QuerySet[VoterMeeting]:
    # The scope of meeting_for_staff, with what a list shows.
    return (
        VoterMeeting.objects.filter(session__council_id__in=visible_agency_ids(user))
        .select_related("session", "commune")
        .annotate(items=Count("sources"))
    )


def recommendation_rows(user: User) -> QuerySet[Recommendation]:
    """Items the reader sees, each with the forwardings the reader sees of it."""
    return (
        visible_recommendations(user)
        .select_related("session", "commune")
        .annotate(field_rank=field_order())
        .prefetch_related(
            Prefetch(
                "forwardings",
                queryset=visible_forwardings(user)
                .select_related("agency")
                .order_by("agency__name"),
            ),
            Prefetch("carry_overs", queryset=CarryOver.objects.select_related("session")),
        )
    )


def forwarding_rows(user: User) -> QuerySet[Forwarding]:
    return visible_forwardings(user).select_related(
        "agency",
        "recommendation",
        "recommendation__session",
        "recommendation__commune",
        "current_answer__answered_by",
        "accepted_answer__answered_by",
    )


def answer_rows(user: User) -> QuerySet[Answer]:
    return Answer.objects.filter(forwarding__in=visible_forwardings(user)).select_related(
        "forwarding", "forwarding__agency", "answered_by"
    )


# --- the agency's inbox ---------------------------------------------------------------------


@dataclass
class InboxFilters:
    status: str = Forwarding.Status.FORWARDED
    phase: str = ""
    agency: int | None = None
    q: str = ""


def agency_inbox(user: User, filters: InboxFilters, *, today: date) -> QuerySet[Forwarding]:
    """Forwardings to the user's agencies (a monitor: the province's), soonest due first."""
    qs = narrowed(
        Forwarding.objects.filter(agency_id__in=visible_agency_ids(user)),
        status=filters.status,
        agency_id=filters.agency,
    )
    if filters.phase in Phase.values:
        qs = qs.filter(phase_filter("answer", filters.phase, today))
    if filters.q:
        qs = qs.filter(search_filter(filters.q, prefix="recommendation__"))
    return qs.select_related(
        "agency", "recommendation", "recommendation__session", "recommendation__commune"
    ).order_by("answer_due_on", "id")


# --- public pages ---------------------------------------------------------------------------


def published_sessions() -> QuerySet[CouncilSession]:
    return (
        CouncilSession.objects.filter(status=CouncilSession.Status.PUBLISHED)
        .select_related("term", "council")
        .order_by("-opens_on", "-number")
    )


def public_session(pk: int) -> CouncilSession:
    session = published_sessions().filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def public_recommendations(
    session: CouncilSession, filters: ListFilters
) -> QuerySet[Recommendation]:
    """What voters see: forwarded items with their agencies and accepted answers."""
    qs = Recommendation.objects.filter(session_scope(session), status=Status.FORWARDED)
    return (
        _filtered(qs, ListFilters(q=filters.q, field=filters.field, result=filters.result))
        .select_related("session", "commune")
        .prefetch_related(_forwardings_prefetch())
        .order_by(field_order(), "id")
    )


def export_rows(session: CouncilSession) -> QuerySet[Recommendation]:
    """Every forwarded item of the session for the Excel export, in the council's order."""
    return public_recommendations(session, ListFilters())
