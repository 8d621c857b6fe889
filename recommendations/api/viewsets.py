"""The API's viewsets: read lists and details through the scope-aware selectors (404
outside the user's scope), and one POST per move (casework.drf.moves.with_moves), each
validated by its input serializer and run through recommendations.moves.run — the
mapping the staff pages use — so that both doors make the same move the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from agencies.scope import Action, can
from casework.drf.errors import detail_responses, error_responses, listed_responses
from casework.drf.fields import absolute_url
from casework.drf.moves import ApiMove, MoveActions, with_moves
from casework.drf.pagination import Pagination, StableOrderingFilter
from casework.transitions import Machine

from .. import moves, selectors
from ..models import CouncilSession, Recommendation, VoterMeeting
from . import inputs
from .filters import (
    AnswerFilter,
    CouncilSessionFilter,
    ForwardingFilter,
    RecommendationFilter,
    TermFilter,
    VoterMeetingFilter,
)
from .serializers import (
    FORWARDING_MOVES,
    ITEM_MOVES,
    SESSION_MOVES,
    AnswerListSerializer,
    CouncilSessionDetailSerializer,
    CouncilSessionSerializer,
    ForwardingDetailSerializer,
    ForwardingSerializer,
    RecommendationDetailSerializer,
    RecommendationSerializer,
    SessionForwardedSerializer,
    TermDetailSerializer,
    TermSerializer,
    VoterMeetingDetailSerializer,
    VoterMeetingSerializer,
)

M = TypeVar("M", bound=Model)
TAGS = ["voter recommendations"]


def _moved(serializer: Any) -> dict[int, Any]:
    return {200: serializer, **error_responses(400, 403, 404, 409)}


def _one(queryset: QuerySet[M], pk: int) -> M:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


class ReadViewSet(MoveActions, mixins.ListModelMixin, viewsets.GenericViewSet):
    """A paged, filtered, stably ordered list; subclasses add the detail and the moves."""

    # (Not in the docstring, which the schema shows.) A move's POST (with_moves)
    # validates its input, then `run_move` makes the move as the pages do and `moved`
    # answers with the row as it is now.

    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    pagination_class = Pagination
    lookup_value_converter = "int"

    # Each viewset names its scope-aware selectors: `rows(user)` for the list, and, with
    # moves, `row_for_move(user, pk)`, the case a move loads (casework.drf.moves): the
    # scope's 404 first, then the move's own checks; tests slip another official's move
    # in right after it.
    rows: Callable[[Any], QuerySet[Any]]
    row_for_move: Callable[[Any, int], Any]

    def get_queryset(self) -> QuerySet[Any]:
        return self.rows(self.request.user)

    def get_object(self) -> Any:
        return self.row_for_move(self.request.user, int(self.kwargs["pk"]))

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(int(pk))

    def run_move(self, name: str, case: Any, data: dict[str, Any]) -> Any:
        return moves.run(case, name, actor=self.request.user, data=data)

    def move_machine(self, name: str, case: Any) -> tuple[Machine[Any], Any] | None:
        return moves.machine_of(case)

    def moved(self, name: str, case: Any, result: Any) -> Response:
        return self._detail(case.pk)

    # Each viewset's own: the row as it is now, with what its detail shows beside it. Read
    # afresh, after a move too: the figures and the offers follow the new state, not the
    # instance the move changed.
    _detail: Callable[[int], Response]

    def _respond(
        self, serializer_class: type[serializers.BaseSerializer], obj: Any, **context: Any
    ) -> Response:
        data = serializer_class(obj, context={**self.get_serializer_context(), **context}).data
        return Response(data)

    def _item_detail(self, pk: int, **response: Any) -> Response:
        """A recommendation as it is now, read afresh, with what this user may see of it
        and do (the answer of its own moves and of collecting one at a meeting)."""
        user = self.request.user
        item = selectors.recommendation_for_staff(user, pk, as_seen=True)
        actions = moves.offered(user, item, only=ITEM_MOVES)
        return self._respond(RecommendationDetailSerializer, item, available_actions=actions)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(
        summary="Terms of the councils you may see",
        description="Terms of office (nhiệm kỳ) of your People's Council, or of every "
        "council of a monitor's province. Newest first.",
        responses=listed_responses(TermSerializer),
    ),
    retrieve=extend_schema(
        summary="One term with its figures",
        description="Every item raised in the term, wherever it was carried.",
        responses=detail_responses(TermDetailSerializer),
    ),
)
class TermViewSet(ReadViewSet):
    serializer_class = TermSerializer
    filterset_class = TermFilter
    ordering_fields = ["start_year"]
    ordering = ["-start_year", "-id"]
    rows = staticmethod(selectors.term_rows)

    def _detail(self, pk: int) -> Response:
        term = _one(self.get_queryset(), pk)
        figures = selectors.term_figures(term)
        return self._respond(TermDetailSerializer, term, figures=figures)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(
        summary="Council sessions you may see",
        description="Sessions (kỳ họp) of your People's Council, or of every council of "
        "a monitor's province. Agency officials work from `/forwardings/` instead. "
        "Newest first.",
        responses=listed_responses(CouncilSessionSerializer),
    ),
    retrieve=extend_schema(
        summary="One session with its figures and its term's",
        responses=detail_responses(CouncilSessionDetailSerializer),
    ),
)
@with_moves(
    [
        ApiMove(
            "forward",
            inputs.SessionForwardInput,
            "Forward many of the session's items under one dispatch (council staff)",
            "Each item is its own move with its own event; all are forwarded, or none. One "
            "item alone: `POST /recommendations/{id}/forward/`.",
            _moved(SessionForwardedSerializer),
        ),
        ApiMove(
            "publish",
            inputs.PublishInput,
            "Publish the session's results to voters (council staff)",
            "The results go on the public pages. Needs something forwarded.",
            _moved(CouncilSessionDetailSerializer),
        ),
    ]
)
class CouncilSessionViewSet(ReadViewSet):
    serializer_class = CouncilSessionSerializer
    filterset_class = CouncilSessionFilter
    ordering_fields = ["opens_on", "number"]
    ordering = ["-opens_on", "-number", "-id"]
    rows = staticmethod(selectors.session_list)
    row_for_move = staticmethod(selectors.session_for_staff)

    def run_move(self, name: str, case: Any, data: dict[str, Any]) -> Any:
        result = super().run_move(name, case, data)
        if name == "forward":  # the bulk forward answers with the items it moved
            return result, [item.pk for item in data["recommendations"]]
        return result

    def moved(self, name: str, session: CouncilSession, result: Any) -> Response:
        if name != "forward":
            return super().moved(name, session, result)
        count, forwarded = result
        items = selectors.recommendation_rows(self.request.user).filter(pk__in=forwarded)
        return self._respond(
            SessionForwardedSerializer,
            {"forwarded": count, "recommendations": items.order_by("field_rank", "id")},
        )

    def _detail(self, pk: int) -> Response:
        """The session with its figures and your moves."""
        session = _one(self.get_queryset(), pk)
        return self._respond(
            CouncilSessionDetailSerializer,
            session,
            figures=selectors.session_figures(session),
            term_figures=selectors.term_figures(session.term),
            available_actions=moves.offered(self.request.user, session, only=SESSION_MOVES),
        )


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(
        summary="Voter meetings of the sessions you may see",
        description="Meetings of deputies with voters (tiếp xúc cử tri), by date.",
        responses=listed_responses(VoterMeetingSerializer),
    ),
    retrieve=extend_schema(
        summary="One voter meeting and what voters raised there",
        responses=detail_responses(VoterMeetingDetailSerializer),
    ),
)
@with_moves(
    [
        ApiMove(
            "collect",
            inputs.CollectInput,
            "Record what voters raised at the meeting (council staff)",
            "The answer (201) is the new recommendation, `collected`.",
            {201: RecommendationDetailSerializer, **error_responses(400, 403, 404)},
        )
    ]
)
class VoterMeetingViewSet(ReadViewSet):
    serializer_class = VoterMeetingSerializer
    filterset_class = VoterMeetingFilter
    ordering_fields = ["held_on", "voters_count"]
    ordering = ["held_on", "id"]
    rows = staticmethod(selectors.meeting_rows)
    row_for_move = staticmethod(selectors.meeting_for_staff)

    def _detail(self, pk: int) -> Response:
        meeting = _one(self.get_queryset(), pk)
        return self._respond(
            VoterMeetingDetailSerializer,
            meeting,
            sources=selectors.meeting_sources(meeting),
            available_actions=moves.offered(self.request.user, meeting),
        )

    def run_move(self, name: str, case: Any, data: dict[str, Any]) -> Any:
        # As on the page, the meeting's commune unless another (or none) is chosen.
        return super().run_move(name, case, {"commune": case.commune, **data})

    def moved(self, name: str, meeting: VoterMeeting, item: Recommendation) -> Response:
        response = self._item_detail(item.pk)
        response.status_code = 201
        response["Location"] = absolute_url(
            self.get_serializer_context(), reverse("api:recommendation-detail", args=[item.pk])
        )
        return response


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(
        summary="Voter recommendations you may see",
        description="The items of your council's sessions (a monitor: the province's); "
        "an agency official: the items forwarded to their agency, with only their own "
        "forwardings. Items merged into another are left out unless `status=merged` is "
        "asked for. In the council's order of fields unless `ordering` says otherwise.",
        responses=listed_responses(RecommendationSerializer),
    ),
    retrieve=extend_schema(
        summary="One recommendation with its sources, forwardings and timeline",
        responses=detail_responses(RecommendationDetailSerializer),
    ),
)
@with_moves(
    [
        ApiMove(
            "consolidate",
            inputs.ConsolidateInput,
            "Consolidate this item, merging duplicates into it (council staff)",
            "Each duplicate becomes `merged` and hands its sources over; this item sums the "
            "voters and, when raised again at a later session, is carried onto its agenda. "
            "A forwarded item stays forwarded.",
            _moved(RecommendationDetailSerializer),
        ),
        ApiMove(
            "forward",
            inputs.ForwardInput,
            "Forward to one or more agencies under a dispatch (council staff)",
            "Each agency gets its own forwarding on the answer clock from the dispatch "
            "date. A forwarded item may be forwarded to further agencies.",
            _moved(RecommendationDetailSerializer),
        ),
    ]
)
class RecommendationViewSet(ReadViewSet):
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter
    ordering_fields = [
        "first_raised_on",
        "voters_count",
        "times_raised",
        "forwarded_on",
        "answered_on",
    ]
    # Land first, as councils list them (selectors.field_order), then the order recorded.
    ordering = ["field_rank", "id"]
    rows = staticmethod(selectors.recommendation_rows)
    row_for_move = staticmethod(selectors.recommendation_for_staff)

    def _detail(self, pk: int) -> Response:
        return self._item_detail(pk)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(
        summary="Forwardings you may see",
        description="An agency official: the recommendations forwarded to their agency, "
        "to answer; council staff: their council's; monitors: the province's. Soonest "
        "answer due first unless `ordering` says otherwise.",
        responses=listed_responses(ForwardingSerializer),
    ),
    retrieve=extend_schema(
        summary="One forwarding with its answers, deadline and timeline",
        responses=detail_responses(ForwardingDetailSerializer),
    ),
)
@with_moves(
    [
        ApiMove(
            "draft",
            inputs.DraftInput,
            "Save a draft answer for the lead (handler or lead of the agency)",
            "No status change; the lead reviews the draft and sends the answer.",
            _moved(ForwardingDetailSerializer),
        ),
        ApiMove(
            "answer",
            inputs.AnswerInput,
            "Answer, with the result category (lead of the agency)",
            "Send JSON, or multipart/form-data to attach the answer document. Whether it "
            "came on time is kept.",
            _moved(ForwardingDetailSerializer),
        ),
        ApiMove(
            "accept",
            inputs.AnswerAcceptInput,
            "Accept the answer (council staff): its category becomes the result",
            "",
            _moved(ForwardingDetailSerializer),
        ),
        ApiMove(
            "send_back",
            inputs.SendBackInput,
            "Send the answer back, or ask for an update (council staff)",
            "A new answer clock starts today, or runs to `due_on`. An accepted answer that "
            "closed the matter (resolved, explained) cannot be sent back.",
            _moved(ForwardingDetailSerializer),
        ),
    ]
)
class ForwardingViewSet(ReadViewSet):
    serializer_class = ForwardingSerializer
    filterset_class = ForwardingFilter
    ordering_fields = ["answer_due_on", "dispatched_on", "answered_on"]
    ordering = ["answer_due_on", "id"]
    rows = staticmethod(selectors.forwarding_rows)
    row_for_move = staticmethod(selectors.forwarding_for_user)

    def _detail(self, pk: int) -> Response:
        """The forwarding with what this user may see and do."""
        user = self.request.user
        forwarding = selectors.forwarding_for_user(user, pk)
        return self._respond(
            ForwardingDetailSerializer,
            forwarding,
            events=selectors.forwarding_timeline(forwarding),
            # The draft is the agency's internal work, as on the page.
            sees_draft=can(user, forwarding.agency_id, Action.HANDLE),
            available_actions=moves.offered(user, forwarding, only=FORWARDING_MOVES),
        )


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(
        summary="Answers of the forwardings you may see",
        description="Every answer, each round of a forwarding sent back included. "
        "Oldest first unless `ordering` says otherwise.",
        responses=listed_responses(AnswerListSerializer),
    ),
    retrieve=extend_schema(summary="One answer", responses=detail_responses(AnswerListSerializer)),
)
class AnswerViewSet(ReadViewSet):
    serializer_class = AnswerListSerializer
    filterset_class = AnswerFilter
    ordering_fields = ["answered_on", "round"]
    ordering = ["answered_on", "id"]
    rows = staticmethod(selectors.answer_rows)

    def _detail(self, pk: int) -> Response:
        return self._respond(AnswerListSerializer, _one(self.get_queryset(), pk))
