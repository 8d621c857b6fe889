"""REST API of voter recommendations: terms, council sessions, voter meetings, the items
voters raised, their forwardings to agencies and the agencies' answers — read — and one
POST per transition, calling the same services as the staff pages.

Thin, like the pages (STYLE: Views and API): every read starts from the scope-aware
selectors (404 outside the user's scope); every write validates a small input serializer
and calls the page's service; the one exception handler turns the services' errors into
409 / 403 / 400.

Scope, as on the pages: council staff read their council's sessions and everything in
them; monitors their province; agency officials the forwardings to their agencies and, of
each recommendation they answer, its text and sources, their own forwardings and the
events about them — never another agency's answer or draft.

No voter is ever named (none is recorded). Officials' names appear only where the staff
pages show them to the same reader: the timeline's actors, the signer of an answer, and
the author of a draft (to the agency's own officials).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

import django_filters
from django.db.models import Count, Model, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from agencies.clocks import Phase, phase_filter
from agencies.models import AdministrativeUnit, Agency
from agencies.scope import Action, can, visible_agency_ids
from agencies.workdays import DueDate
from casework.drf.directory import AgencyRefSerializer, UnitRefSerializer
from casework.drf.errors import error_responses
from casework.drf.fields import MAX_ID, EnumField, LabelField, absolute_url
from casework.drf.filters import IdFilter
from casework.drf.pagination import Pagination, StableOrderingFilter
from casework.search import name_search

from . import selectors, services
from .forms import check_document
from .models import (
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

M = TypeVar("M", bound=Model)
Event = RecommendationEvent.Action
TEXT_MAX = 5000  # what voters raised, reasons: as the page's forms allow

# One name per choice set in the schema (see agencies.api.EnumField).
FIELD = {"choices": Field.choices, "enum_name": "RecommendationField"}
RESULT = {"choices": ResultCategory.choices, "enum_name": "ResultCategory"}
ITEM_STATUS = {"choices": Recommendation.Status.choices, "enum_name": "RecommendationStatus"}
FORWARDING_STATUS = {"choices": Forwarding.Status.choices, "enum_name": "ForwardingStatus"}

# The POST actions, named like the event each one writes, so that a client can call
# /…/{id}/{name}/ for each name it is offered in `available_actions`.
SESSION_MOVES = ("forward", "publish")
MEETING_MOVES = ("collect",)
ITEM_MOVES = ("consolidate", "forward")
FORWARDING_MOVES = ("draft", "answer", "accept", "send_back")
# Of a recommendation's own events, those an answering agency also reads (as on the
# forwarding page): that it was forwarded, and carried over.
SHARED_EVENTS = frozenset({Event.FORWARD, Event.CARRY_OVER})


def _moves(names: Iterable[str], enum_name: str) -> Any:
    choices = [(name, Event(name).label) for name in names]
    return serializers.ListField(child=EnumField(choices, enum_name=enum_name))


def _name(user: Any) -> str | None:
    return None if user is None else (user.get_full_name() or user.username)


def _one(queryset: QuerySet[M], pk: int) -> M:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


class ObjectsField(serializers.ListField):
    """A list of row ids, read in one query; an id outside `queryset` is a 400."""

    child = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    default_error_messages = {
        "does_not_exist": serializers.PrimaryKeyRelatedField.default_error_messages[
            "does_not_exist"
        ],
    }

    def __init__(self, *, queryset: QuerySet[Any], **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 500)
        self.queryset = queryset
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[Any]:
        ids = list(dict.fromkeys(super().to_internal_value(data)))
        found = self.queryset.in_bulk(ids) if ids else {}
        for pk in ids:
            if pk not in found:
                self.fail("does_not_exist", pk_value=pk)
        return [found[pk] for pk in ids]


# --- what a reader may see of one recommendation -------------------------------------------


def _reads_council(item: Recommendation, visible: frozenset[int]) -> bool:
    return item.session.council_id in visible


def _forwardings_for(item: Recommendation, visible: frozenset[int]) -> list[Forwarding]:
    """All the item's forwardings for the council's readers; an agency's own for it."""
    forwardings = list(item.forwardings.all())
    if _reads_council(item, visible):
        return forwardings
    return [f for f in forwardings if f.agency_id in visible]


def _events_for(item: Recommendation, visible: frozenset[int]) -> list[RecommendationEvent]:
    events = list(item.events.all())
    if _reads_council(item, visible):
        return events
    own = {f.pk for f in _forwardings_for(item, visible)}
    return [
        e
        for e in events
        if e.forwarding_id in own or (e.forwarding_id is None and e.action in SHARED_EVENTS)
    ]


# --- the rows each list starts from (scope first, then what a page of rows needs) ----------


def term_rows(user: Any) -> QuerySet[Term]:
    return Term.objects.filter(council_id__in=visible_agency_ids(user)).select_related("council")


def meeting_rows(user: Any) -> QuerySet[VoterMeeting]:
    # The scope of selectors.meeting_for_staff, with what a list shows.
    return (
        VoterMeeting.objects.filter(session__council_id__in=visible_agency_ids(user))
        .select_related("session", "commune")
        .annotate(items=Count("sources"))
    )


def recommendation_rows(user: Any) -> QuerySet[Recommendation]:
    return (
        selectors.visible_recommendations(user)
        .select_related("session", "commune")
        .annotate(field_rank=selectors.field_order())
        .prefetch_related(
            Prefetch(
                "forwardings",
                queryset=Forwarding.objects.select_related("agency").order_by("agency__name"),
            ),
            Prefetch("carry_overs", queryset=CarryOver.objects.select_related("session")),
        )
    )


def forwarding_rows(user: Any) -> QuerySet[Forwarding]:
    return selectors.visible_forwardings(user).select_related(
        "agency",
        "recommendation",
        "recommendation__session",
        "recommendation__commune",
        "current_answer__answered_by",
        "accepted_answer__answered_by",
    )


def answer_rows(user: Any) -> QuerySet[Answer]:
    return Answer.objects.filter(forwarding__in=selectors.visible_forwardings(user)).select_related(
        "forwarding", "forwarding__agency", "answered_by"
    )


# --- output: references ----------------------------------------------------------------------


class TermRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:term-detail")
    title = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Term
        fields = ["id", "url", "title", "start_year", "end_year"]
        read_only_fields = fields


class SessionRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:council-session-detail")
    title = serializers.CharField(read_only=True)

    class Meta:
        model = CouncilSession
        fields = ["id", "url", "title", "number", "opens_on"]
        read_only_fields = fields


class MeetingRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:voter-meeting-detail")
    commune = UnitRefSerializer(read_only=True)

    class Meta:
        model = VoterMeeting
        fields = ["id", "url", "held_on", "place", "commune"]
        read_only_fields = fields


class RecommendationRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:recommendation-detail")
    status = EnumField(**ITEM_STATUS, read_only=True)

    class Meta:
        model = Recommendation
        fields = ["id", "url", "status"]
        read_only_fields = fields


class FiguresSerializer(serializers.Serializer):
    """DOMAIN.md, "The figures": forwarded, answered (on time), by result category."""

    total = serializers.IntegerField(help_text="Items, merged duplicates excepted.")
    forwarded = serializers.IntegerField()
    answered = serializers.IntegerField(help_text="Forwarded items every agency answered.")
    answered_on_time = serializers.IntegerField()
    awaiting_answer = serializers.IntegerField()
    awaiting_result = serializers.IntegerField(help_text="Forwarded, no accepted result yet.")
    resolved = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    planned = serializers.IntegerField()
    explained = serializers.IntegerField()
    not_resolved = serializers.IntegerField()
    carried_over = serializers.IntegerField(
        help_text="Sessions: items carried over onto it from earlier sessions."
    )
    resolution_rate = serializers.FloatField(
        allow_null=True, help_text="resolved ÷ forwarded, per cent."
    )
    answer_rate = serializers.FloatField(
        allow_null=True, help_text="answered ÷ forwarded, per cent."
    )
    on_time_rate = serializers.FloatField(
        allow_null=True, help_text="answered_on_time ÷ answered, per cent."
    )

    class Meta:
        ref_name = "VoterRecommendationFigures"  # the stats API has its own "Figures"


# --- output: terms, sessions, meetings -----------------------------------------------------------


class TermSerializer(TermRefSerializer):
    council = AgencyRefSerializer(read_only=True)

    class Meta(TermRefSerializer.Meta):
        fields = ["id", "url", "title", "council", "start_year", "end_year", "elected_on"]
        read_only_fields = fields


class TermDetailSerializer(TermSerializer):
    figures = serializers.SerializerMethodField()

    class Meta(TermSerializer.Meta):
        fields = [*TermSerializer.Meta.fields, "figures"]
        read_only_fields = fields

    @extend_schema_field(FiguresSerializer)
    def get_figures(self, term: Term) -> dict[str, Any]:
        return FiguresSerializer(self.context["figures"]).data


class CouncilSessionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:council-session-detail")
    page_url = serializers.SerializerMethodField()
    title = serializers.CharField(read_only=True)
    term = TermRefSerializer(read_only=True)
    council = AgencyRefSerializer(read_only=True)
    kind = EnumField(CouncilSession.Kind.choices, enum_name="SessionKind", read_only=True)
    kind_display = LabelField(source="get_kind_display")
    status = EnumField(CouncilSession.Status.choices, enum_name="SessionStatus", read_only=True)
    status_display = LabelField(source="get_status_display")
    items = serializers.IntegerField(
        read_only=True, help_text="Items raised for the session, merged duplicates excepted."
    )

    class Meta:
        model = CouncilSession
        fields = [
            "id",
            "url",
            "page_url",
            "title",
            "term",
            "council",
            "number",
            "kind",
            "kind_display",
            "opens_on",
            "closes_on",
            "status",
            "status_display",
            "published_at",
            "items",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, session: CouncilSession) -> str:
        return absolute_url(self.context, session.get_absolute_url())


class CouncilSessionDetailSerializer(CouncilSessionSerializer):
    """A session with its figures and its term's (carried-over items included)."""

    figures = serializers.SerializerMethodField()
    term_figures = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta(CouncilSessionSerializer.Meta):
        fields = [
            *CouncilSessionSerializer.Meta.fields,
            "figures",
            "term_figures",
            "available_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(FiguresSerializer)
    def get_figures(self, session: CouncilSession) -> dict[str, Any]:
        return FiguresSerializer(self.context["figures"]).data

    @extend_schema_field(FiguresSerializer)
    def get_term_figures(self, session: CouncilSession) -> dict[str, Any]:
        return FiguresSerializer(self.context["term_figures"]).data

    @extend_schema_field(_moves(SESSION_MOVES, "SessionAction"))
    def get_available_actions(self, session: CouncilSession) -> list[str]:
        return list(self.context.get("available_actions", []))


class VoterMeetingSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:voter-meeting-detail")
    page_url = serializers.SerializerMethodField()
    session = SessionRefSerializer(read_only=True)
    timing = EnumField(VoterMeeting.Timing.choices, enum_name="MeetingTiming", read_only=True)
    timing_display = LabelField(source="get_timing_display")
    commune = UnitRefSerializer(read_only=True)
    items = serializers.IntegerField(
        read_only=True, help_text="What voters raised there (sources recorded)."
    )

    class Meta:
        model = VoterMeeting
        fields = [
            "id",
            "url",
            "page_url",
            "session",
            "timing",
            "timing_display",
            "held_on",
            "place",
            "commune",
            "deputies",
            "voters_count",
            "notes",
            "items",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, meeting: VoterMeeting) -> str:
        return absolute_url(self.context, meeting.get_absolute_url())


class MeetingSourceSerializer(serializers.ModelSerializer):
    """One thing voters raised at the meeting, and the item it is now part of."""

    recommendation = RecommendationRefSerializer(read_only=True)
    collected_as = serializers.IntegerField(
        source="collected_as_id",
        read_only=True,
        help_text="The item it was first recorded as (another id once merged).",
    )

    class Meta:
        model = RecommendationSource
        fields = ["id", "content", "voters_count", "recommendation", "collected_as"]
        read_only_fields = fields


class VoterMeetingDetailSerializer(VoterMeetingSerializer):
    sources = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta(VoterMeetingSerializer.Meta):
        fields = [*VoterMeetingSerializer.Meta.fields, "sources", "available_actions"]
        read_only_fields = fields

    @extend_schema_field(MeetingSourceSerializer(many=True))
    def get_sources(self, meeting: VoterMeeting) -> list[dict[str, Any]]:
        return MeetingSourceSerializer(
            self.context["sources"], many=True, context=self.context
        ).data

    @extend_schema_field(_moves(MEETING_MOVES, "MeetingAction"))
    def get_available_actions(self, meeting: VoterMeeting) -> list[str]:
        return list(self.context.get("available_actions", []))


# --- output: answers and forwardings ---------------------------------------------------------


class AnswerSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:answer-detail")
    category = EnumField(**RESULT, read_only=True)
    category_display = LabelField(source="get_category_display")
    document_url = serializers.SerializerMethodField()
    answered_by_name = serializers.SerializerMethodField()
    assessment = EnumField(Answer.Assessment.choices, enum_name="AnswerAssessment", read_only=True)
    assessment_display = LabelField(source="get_assessment_display")

    class Meta:
        model = Answer
        fields = [
            "id",
            "url",
            "round",
            "text",
            "category",
            "category_display",
            "reason",
            "planned_by",
            "document_number",
            "document_url",
            "answered_on",
            "due_on",
            "on_time",
            "answered_by_name",
            "assessment",
            "assessment_display",
            "assessment_note",
            "assessed_at",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_document_url(self, answer: Answer) -> str | None:
        # The staff page serves the file: it checks the scope again.
        if not answer.document:
            return None
        path = reverse("recommendations:answer_document", args=[answer.forwarding_id, answer.pk])
        return absolute_url(self.context, path)

    def get_answered_by_name(self, answer: Answer) -> str | None:
        # The lead who signed, as the forwarding page shows it to its readers.
        return _name(answer.answered_by)


class ForwardingRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:forwarding-detail")
    agency = AgencyRefSerializer(read_only=True)
    recommendation = serializers.IntegerField(source="recommendation_id", read_only=True)

    class Meta:
        model = Forwarding
        fields = ["id", "url", "agency", "recommendation"]
        read_only_fields = fields


class AnswerListSerializer(AnswerSerializer):
    """An answer in the list of answers: which forwarding it answers."""

    forwarding = ForwardingRefSerializer(read_only=True)

    class Meta(AnswerSerializer.Meta):
        fields = ["id", "url", "forwarding", *AnswerSerializer.Meta.fields[2:]]
        read_only_fields = fields


class ForwardingBriefSerializer(serializers.ModelSerializer):
    """A forwarding as its recommendation lists it."""

    url = serializers.HyperlinkedIdentityField(view_name="api:forwarding-detail")
    agency = AgencyRefSerializer(read_only=True)
    status = EnumField(**FORWARDING_STATUS, read_only=True)
    status_display = LabelField(source="get_status_display")
    result = EnumField(**RESULT, read_only=True, allow_null=True)
    result_display = LabelField(source="get_result_display")

    class Meta:
        model = Forwarding
        fields = [
            "id",
            "url",
            "agency",
            "dispatch_number",
            "dispatched_on",
            "status",
            "status_display",
            "rounds",
            "answer_due_on",
            "answered_on",
            "answered_on_time",
            "result",
            "result_display",
            "result_on",
        ]
        read_only_fields = fields


class RecommendationBriefSerializer(serializers.ModelSerializer):
    """The recommendation as the answering agency reads it: what voters asked, where."""

    url = serializers.HyperlinkedIdentityField(view_name="api:recommendation-detail")
    session = SessionRefSerializer(read_only=True)
    field = EnumField(**FIELD, read_only=True)
    field_display = LabelField(source="get_field_display")
    commune = UnitRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "url",
            "session",
            "content",
            "field",
            "field_display",
            "commune",
            "locality",
            "voters_count",
            "first_raised_on",
            "times_raised",
        ]
        read_only_fields = fields


class ForwardingSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:forwarding-detail")
    page_url = serializers.SerializerMethodField()
    recommendation = RecommendationBriefSerializer(read_only=True)
    agency = AgencyRefSerializer(read_only=True)
    status = EnumField(**FORWARDING_STATUS, read_only=True)
    status_display = LabelField(source="get_status_display")
    phase = serializers.SerializerMethodField()
    phase_display = serializers.SerializerMethodField()
    due_set_by_council = serializers.BooleanField(read_only=True)
    current_answer = AnswerSerializer(read_only=True, allow_null=True)
    accepted_answer = AnswerSerializer(read_only=True, allow_null=True)
    result = EnumField(**RESULT, read_only=True, allow_null=True)
    result_display = LabelField(source="get_result_display")

    class Meta:
        model = Forwarding
        fields = [
            "id",
            "url",
            "page_url",
            "recommendation",
            "agency",
            "dispatch_number",
            "dispatched_on",
            "status",
            "status_display",
            "rounds",
            "answer_due_on",
            "phase",
            "phase_display",
            "due_set_by_council",
            "answered_on",
            "answered_on_time",
            "current_answer",
            "accepted_answer",
            "result",
            "result_display",
            "result_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, forwarding: Forwarding) -> str:
        return absolute_url(self.context, forwarding.get_absolute_url())

    @extend_schema_field(EnumField(Phase.choices, enum_name="ClockPhase", allow_null=True))
    def get_phase(self, forwarding: Forwarding) -> str | None:
        return forwarding.phase(self.context["today"]) or None

    def get_phase_display(self, forwarding: Forwarding) -> str | None:
        return forwarding.phase_label(self.context["today"]) or None


class DraftSerializer(serializers.Serializer):
    """A handler's draft answer, for the agency's own officials only."""

    text = serializers.CharField()
    category = EnumField(**RESULT, allow_null=True)
    reason = serializers.CharField()
    planned_by = serializers.DateField(allow_null=True)
    document_number = serializers.CharField()
    saved_at = serializers.DateTimeField()
    saved_by_name = serializers.CharField(allow_null=True)


class SourceSerializer(serializers.ModelSerializer):
    """Where a recommendation came from: one meeting, with the words voters used there."""

    meeting = MeetingRefSerializer(read_only=True)
    collected_as = serializers.IntegerField(source="collected_as_id", read_only=True)

    class Meta:
        model = RecommendationSource
        fields = ["id", "meeting", "content", "voters_count", "collected_as"]
        read_only_fields = fields


class EventSerializer(serializers.ModelSerializer):
    action = EnumField(Event.choices, enum_name="RecommendationEventAction", read_only=True)
    action_display = LabelField(source="get_action_display")
    from_status_display = serializers.SerializerMethodField()
    to_status_display = serializers.SerializerMethodField()
    agency = AgencyRefSerializer(read_only=True, allow_null=True)
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = RecommendationEvent
        fields = [
            "id",
            "action",
            "action_display",
            "forwarding",
            "from_status",
            "from_status_display",
            "to_status",
            "to_status_display",
            "note",
            "is_public",
            "agency",
            "actor_name",
            "created_at",
        ]
        read_only_fields = fields

    def get_from_status_display(self, event: RecommendationEvent) -> str | None:
        return str(event.from_label) if event.from_status else None

    def get_to_status_display(self, event: RecommendationEvent) -> str | None:
        return str(event.to_label) if event.to_status else None

    def get_actor_name(self, event: RecommendationEvent) -> str | None:
        # Officials' names are for staff; every API reader is staff of the item's scope.
        return _name(event.actor)


class ForwardingDetailSerializer(ForwardingSerializer):
    """One forwarding: the deadline's explanation, every answer, the draft (for the
    agency's officials), the item's sources, the timeline and what you may do now."""

    answer_explanation = serializers.SerializerMethodField()
    answers = AnswerSerializer(many=True, read_only=True)
    draft = serializers.SerializerMethodField()
    sources = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta(ForwardingSerializer.Meta):
        fields = [
            *ForwardingSerializer.Meta.fields,
            "answer_explanation",
            "answers",
            "draft",
            "sources",
            "events",
            "available_actions",
        ]
        read_only_fields = fields

    def get_answer_explanation(self, forwarding: Forwarding) -> str | None:
        rule = forwarding.answer_rule
        return DueDate.from_dict(rule).explain() if rule else None

    @extend_schema_field(DraftSerializer(allow_null=True))
    def get_draft(self, forwarding: Forwarding) -> dict[str, Any] | None:
        if not self.context.get("sees_draft") or not forwarding.draft_saved_at:
            return None
        draft = forwarding.draft or {}
        return DraftSerializer(
            {
                "text": draft.get("text", ""),
                "category": draft.get("category", ""),
                "reason": draft.get("reason", ""),
                "planned_by": draft.get("planned_by") or None,
                "document_number": draft.get("document_number", ""),
                "saved_at": forwarding.draft_saved_at,
                "saved_by_name": _name(forwarding.draft_by),
            }
        ).data

    @extend_schema_field(SourceSerializer(many=True))
    def get_sources(self, forwarding: Forwarding) -> list[dict[str, Any]]:
        sources = forwarding.recommendation.sources.all()
        return SourceSerializer(sources, many=True, context=self.context).data

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, forwarding: Forwarding) -> list[dict[str, Any]]:
        return EventSerializer(self.context["events"], many=True, context=self.context).data

    @extend_schema_field(_moves(FORWARDING_MOVES, "ForwardingAction"))
    def get_available_actions(self, forwarding: Forwarding) -> list[str]:
        return list(self.context.get("available_actions", []))


# --- output: recommendations ---------------------------------------------------------------------


class CarryOverSerializer(serializers.ModelSerializer):
    session = SessionRefSerializer(read_only=True)

    class Meta:
        model = CarryOver
        fields = ["session", "carried_on"]
        read_only_fields = fields


class RecommendationSerializer(serializers.ModelSerializer):
    """A recommendation in a list, with its forwardings (an agency: only its own)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:recommendation-detail")
    page_url = serializers.SerializerMethodField()
    session = SessionRefSerializer(read_only=True)
    field = EnumField(**FIELD, read_only=True)
    field_display = LabelField(source="get_field_display")
    commune = UnitRefSerializer(read_only=True, allow_null=True)
    status = EnumField(**ITEM_STATUS, read_only=True)
    status_display = LabelField(source="get_status_display")
    merged_into = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    age_days = serializers.SerializerMethodField()
    carried_over_to = CarryOverSerializer(source="carry_overs", many=True, read_only=True)
    result = EnumField(**RESULT, read_only=True, allow_null=True)
    result_display = LabelField(source="get_result_display")
    forwardings = serializers.SerializerMethodField()

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "url",
            "page_url",
            "session",
            "content",
            "field",
            "field_display",
            "commune",
            "locality",
            "voters_count",
            "status",
            "status_display",
            "merged_into",
            "first_raised_on",
            "age_days",
            "times_raised",
            "carried_over_to",
            "forwarded_on",
            "answered_on",
            "answered_on_time",
            "result",
            "result_display",
            "result_on",
            "forwardings",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, item: Recommendation) -> str:
        return absolute_url(self.context, item.get_absolute_url())

    def get_age_days(self, item: Recommendation) -> int:
        """Days since voters first raised it, up to the accepted result once closed."""
        return item.age_days(self.context["today"])

    @extend_schema_field(ForwardingBriefSerializer(many=True))
    def get_forwardings(self, item: Recommendation) -> list[dict[str, Any]]:
        rows = _forwardings_for(item, self.context["visible"])
        return ForwardingBriefSerializer(rows, many=True, context=self.context).data


class RecommendationDetailSerializer(RecommendationSerializer):
    """One recommendation: its sources, the items merged into it, its timeline (an
    agency: the events about its own forwardings) and what you may do now."""

    sources = SourceSerializer(many=True, read_only=True)
    merged = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()

    class Meta(RecommendationSerializer.Meta):
        fields = [
            *RecommendationSerializer.Meta.fields,
            "sources",
            "merged",
            "events",
            "available_actions",
        ]
        read_only_fields = fields

    def get_merged(self, item: Recommendation) -> list[int]:
        """The duplicates merged into this item."""
        return [m.pk for m in item.merged.all()]

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, item: Recommendation) -> list[dict[str, Any]]:
        events = _events_for(item, self.context["visible"])
        return EventSerializer(events, many=True, context=self.context).data

    @extend_schema_field(_moves(ITEM_MOVES, "RecommendationAction"))
    def get_available_actions(self, item: Recommendation) -> list[str]:
        return list(self.context.get("available_actions", []))


class SessionForwardedSerializer(serializers.Serializer):
    forwarded = serializers.IntegerField(help_text="How many items were forwarded.")
    recommendations = RecommendationSerializer(many=True)


# --- input -------------------------------------------------------------------------------------


def _text(*, required: bool = True, max_length: int = TEXT_MAX, **kwargs: Any) -> Any:
    if required:
        return serializers.CharField(max_length=max_length, **kwargs)
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", **kwargs
    )


def _optional_date(help_text: str) -> serializers.DateField:
    return serializers.DateField(required=False, allow_null=True, default=None, help_text=help_text)


class CollectInput(serializers.Serializer):
    content = _text(help_text="What the voters raised.")
    field = EnumField(**FIELD)
    voters_count = serializers.IntegerField(
        min_value=1, max_value=100_000, help_text="Voters raising it (at most those present)."
    )
    commune = serializers.PrimaryKeyRelatedField(
        queryset=AdministrativeUnit.objects.filter(level=AdministrativeUnit.Level.COMMUNE),
        required=False,
        allow_null=True,
        help_text="The commune concerned, of the council's province. Absent: the "
        "meeting's commune; null: the whole province.",
    )
    locality = _text(required=False, max_length=200, help_text="Village, hamlet or street.")


class ConsolidateInput(serializers.Serializer):
    duplicates = ObjectsField(
        queryset=Recommendation.objects.none(),
        required=False,
        default=list,
        help_text="Items of the same council to merge into this one (raised at its "
        "session or later). Empty: consolidate a collected item on its own.",
    )
    content = _text(required=False, help_text="The consolidated wording; empty: unchanged.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keeper: Recommendation | None = self.context.get("recommendation")
        if keeper is not None:
            # Only items the user may see, of the keeper's council; the service checks
            # the rest (states, order of sessions) and says what is wrong.
            self.fields["duplicates"].queryset = (
                selectors.visible_recommendations(self.context["request"].user)
                .filter(session__council_id=keeper.session.council_id)
                .select_related("session")
            )


class ForwardInput(serializers.Serializer):
    agencies = ObjectsField(
        queryset=Agency.objects.filter(is_active=True),
        help_text="The agencies to answer, of the council's province.",
    )
    dispatch_number = _text(max_length=60, help_text="E.g. 125/HĐND-VP.")
    dispatched_on = _optional_date("Date of the dispatch. Empty: today.")


class SessionForwardInput(ForwardInput):
    recommendations = ObjectsField(
        queryset=Recommendation.objects.none(),
        help_text="Consolidated items of this session; all are forwarded, or none.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        session: CouncilSession | None = self.context.get("session")
        if session is not None:
            # Any item of the session: one that may not be forwarded is a 409 from the
            # service, with its state, rather than an "unknown id".
            self.fields["recommendations"].queryset = Recommendation.objects.filter(
                session=session
            ).select_related("session__council")


@extend_schema_field(OpenApiTypes.BINARY)
class DocumentField(serializers.FileField):
    """An uploaded file: the schema says binary (multipart), not a URL."""


class AnswerInput(serializers.Serializer):
    """JSON, or multipart/form-data to attach the answer document."""

    text = serializers.CharField(max_length=20_000)
    category = EnumField(**RESULT)
    reason = _text(required=False, help_text="Required when the result is `not_resolved`.")
    planned_by = _optional_date("Required when the result is `planned`.")
    document_number = _text(max_length=60, help_text="Number of the answer document.")
    answered_on = _optional_date("Date of the answer document. Empty: today.")
    document = DocumentField(
        required=False,
        allow_null=True,
        default=None,
        validators=[check_document],
        help_text="PDF, DOCX, JPEG or PNG, its type checked by content; at most 10 MB.",
    )


class DraftInput(serializers.Serializer):
    text = serializers.CharField(max_length=20_000)
    category = EnumField(**RESULT, required=False, allow_blank=True, default="")
    reason = _text(required=False)
    planned_by = _optional_date("The planned date, if known.")
    document_number = _text(required=False, max_length=60)


class AnswerAcceptInput(serializers.Serializer):
    note = _text(required=False, max_length=2000)
    assessed_on = _optional_date("Date of the assessment (not before the answer). Empty: today.")


class SendBackInput(serializers.Serializer):
    reason = _text(help_text="What the agency must add or do.")
    due_on = _optional_date("New deadline. Empty: a full new answer period from today.")


class PublishInput(serializers.Serializer):
    note = _text(required=False, max_length=2000)


# --- filters -----------------------------------------------------------------------------------

PENDING = [("pending", _("No result yet"))]


class TermFilter(django_filters.FilterSet):
    council = IdFilter(field_name="council_id")

    class Meta:
        model = Term
        fields: list[str] = []


class CouncilSessionFilter(django_filters.FilterSet):
    term = IdFilter(field_name="term_id")
    council = IdFilter(field_name="council_id")
    kind = django_filters.ChoiceFilter(choices=CouncilSession.Kind.choices)
    status = django_filters.ChoiceFilter(choices=CouncilSession.Status.choices)
    opens_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = CouncilSession
        fields: list[str] = []


class VoterMeetingFilter(django_filters.FilterSet):
    session = IdFilter(field_name="session_id")
    term = IdFilter(field_name="session__term_id")
    commune = IdFilter(field_name="commune_id")
    timing = django_filters.ChoiceFilter(choices=VoterMeeting.Timing.choices)
    held_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = VoterMeeting
        fields: list[str] = []


class ItemFilter(django_filters.FilterSet):
    """Filters on the recommendation, shared by the lists of items, forwardings and
    answers; `item` is the path from the listed row to its recommendation."""

    item = ""

    session = IdFilter(
        method="filter_session",
        help_text="On the session's agenda: raised for it, or carried over onto it.",
    )
    term = IdFilter(method="filter_term", help_text="Raised at a session of this term.")
    field = django_filters.ChoiceFilter(choices=Field.choices, method="filter_field")
    commune = IdFilter(method="filter_commune", help_text="The commune concerned.")
    locality = django_filters.CharFilter(
        method="filter_locality",
        max_length=100,
        help_text="Words of the locality (village, hamlet, street), with or without diacritics.",
    )
    carried_over = django_filters.BooleanFilter(
        method="filter_carried_over",
        help_text="true: carried over from an earlier session (onto `session`, if "
        "given); false: not carried over.",
    )
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=100,
        help_text="Words of the content, locality or commune, with or without diacritics.",
    )

    def _q(self, lookup: str, value: Any) -> Q:
        return Q(**{f"{self.item}{lookup}": value})

    def filter_session(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        # A subquery, not a join: a join on the carry-overs would repeat rows.
        carried = CarryOver.objects.filter(session_id=value).values("recommendation_id")
        return queryset.filter(self._q("session_id", value) | self._q("pk__in", carried))

    def filter_term(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset.filter(self._q("session__term_id", value))

    def filter_field(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(self._q("field", value))

    def filter_commune(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset.filter(self._q("commune_id", value))

    def filter_locality(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(name_search(value, f"{self.item}locality"))

    def filter_carried_over(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        session = self.form.cleaned_data.get("session")
        carries = CarryOver.objects.all()
        if session:
            carries = carries.filter(session_id=session)
        carried = self._q("pk__in", carries.values("recommendation_id"))
        return queryset.filter(carried) if value else queryset.exclude(carried)

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(selectors.search_filter(value, prefix=self.item))


class RecommendationFilter(ItemFilter):
    status = django_filters.MultipleChoiceFilter(
        choices=Recommendation.Status.choices,
        help_text="Items merged into another are left out unless asked for.",
    )
    result = django_filters.ChoiceFilter(
        choices=[*PENDING, *ResultCategory.choices],
        method="filter_result",
        help_text="The combined accepted result; `pending`: forwarded, no result yet.",
    )
    agency = IdFilter(method="filter_agency", help_text="Forwarded to this agency.")
    meeting = IdFilter(
        method="filter_meeting", help_text="Raised at this voter meeting (one of its sources)."
    )
    first_raised_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Recommendation
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # As on the session page: merged duplicates live on in the item they joined.
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.exclude(status=Recommendation.Status.MERGED)
        return super().filter_queryset(queryset)

    def filter_result(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "pending":
            return queryset.filter(status=Recommendation.Status.FORWARDED, result="")
        return queryset.filter(result=value)

    def filter_agency(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        forwarded = Forwarding.objects.filter(agency_id=value).values("recommendation_id")
        return queryset.filter(pk__in=forwarded)

    def filter_meeting(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        raised = RecommendationSource.objects.filter(meeting_id=value)
        return queryset.filter(pk__in=raised.values("recommendation_id"))


class ForwardingFilter(ItemFilter):
    item = "recommendation__"

    status = django_filters.MultipleChoiceFilter(choices=Forwarding.Status.choices)
    agency = IdFilter(field_name="agency_id")
    result = django_filters.ChoiceFilter(
        choices=[*PENDING, *ResultCategory.choices],
        method="filter_result",
        help_text="The accepted result; `pending`: none accepted yet.",
    )
    phase = django_filters.ChoiceFilter(
        choices=Phase.choices,
        method="filter_phase",
        help_text="Phase of the answer clock today (awaited answers only).",
    )
    answered_on_time = django_filters.BooleanFilter()
    dispatch_number = django_filters.CharFilter(max_length=60)
    dispatched_on = django_filters.DateFromToRangeFilter()
    answer_due_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Forwarding
        fields: list[str] = []

    def filter_result(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(result="" if value == "pending" else value)

    def filter_phase(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        today = timezone.localdate()
        return queryset.filter(
            phase_filter("answer", value, today), status=Forwarding.Status.FORWARDED
        )


class AnswerFilter(ItemFilter):
    item = "forwarding__recommendation__"

    forwarding = IdFilter(field_name="forwarding_id")
    agency = IdFilter(field_name="forwarding__agency_id")
    category = django_filters.ChoiceFilter(choices=ResultCategory.choices)
    assessment = django_filters.ChoiceFilter(choices=Answer.Assessment.choices)
    on_time = django_filters.BooleanFilter()
    answered_on = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Answer
        fields: list[str] = []


# --- what the reader may do now (the pages' offers, from the transition tables) ----------------


def _session_actions(user: Any, session: CouncilSession) -> list[str]:
    if not can(user, session.council_id, Action.COUNCIL):
        return []
    publish = session.can_transition_to(CouncilSession.Status.PUBLISHED)
    return ["forward", *(["publish"] if publish else [])]


def _meeting_actions(user: Any, meeting: VoterMeeting) -> list[str]:
    return ["collect"] if can(user, meeting.session.council_id, Action.COUNCIL) else []


def _item_actions(user: Any, item: Recommendation) -> list[str]:
    if not can(user, item.session.council_id, Action.COUNCIL):
        return []
    offered = []
    # Merged is the one state with no move left; any other item may absorb duplicates.
    if Recommendation.TRANSITIONS[Recommendation.Status(item.status)]:
        offered.append("consolidate")
    if item.can_transition_to(Recommendation.Status.FORWARDED):
        offered.append("forward")
    return offered


def _forwarding_actions(user: Any, forwarding: Forwarding) -> list[str]:
    agency, council = forwarding.agency_id, forwarding.recommendation.session.council_id
    awaited = forwarding.status == Forwarding.Status.FORWARDED
    closed = (
        forwarding.status == Forwarding.Status.ACCEPTED and forwarding.result in CLOSED_CATEGORIES
    )
    offers = {
        "draft": awaited and can(user, agency, Action.HANDLE),
        "answer": awaited and can(user, agency, Action.LEAD),
        "accept": can(user, council, Action.COUNCIL)
        and forwarding.can_transition_to(Forwarding.Status.ACCEPTED),
        "send_back": can(user, council, Action.COUNCIL)
        and forwarding.can_transition_to(Forwarding.Status.FORWARDED)
        and not closed,
    }
    return [name for name in FORWARDING_MOVES if offers[name]]


# --- the viewsets ------------------------------------------------------------------------------


def _moved(serializer: Any) -> dict[int, Any]:
    return {200: serializer, **error_responses(400, 403, 404, 409)}


def _listed(serializer: Any) -> dict[int, Any]:
    return {200: serializer(many=True), **error_responses(400, 403)}


def _detailed(serializer: Any) -> dict[int, Any]:
    return {200: serializer, **error_responses(403, 404)}


class ReadViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """A paged, filtered, stably ordered list; subclasses add the detail and the moves."""

    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    pagination_class = Pagination
    lookup_value_converter = "int"

    def get_serializer_context(self) -> dict[str, Any]:
        user = self.request.user if self.request is not None else None
        return {
            **super().get_serializer_context(),
            "today": timezone.localdate(),
            "visible": visible_agency_ids(user),
        }

    def _valid(self, **context: Any) -> dict[str, Any]:
        """The action's input, validated by its serializer (400 with each field's errors)."""
        serializer_class = self.get_serializer_class()
        serializer = serializer_class(
            data=self.request.data, context={**self.get_serializer_context(), **context}
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _respond(
        self, serializer_class: type[serializers.Serializer], obj: Any, **context: Any
    ) -> Response:
        data = serializer_class(obj, context={**self.get_serializer_context(), **context}).data
        return Response(data)


def _item_detail(view: ReadViewSet, pk: int) -> Response:
    """A recommendation as it is now, read afresh, with what this user may see and do
    (the answer of its own moves and of collecting one at a meeting)."""
    user = view.request.user
    item = selectors.recommendation_for_staff(user, pk)
    return view._respond(
        RecommendationDetailSerializer, item, available_actions=_item_actions(user, item)
    )


@extend_schema(tags=["voter recommendations"])
@extend_schema_view(
    list=extend_schema(
        summary="Terms of the councils you may see",
        description="Terms of office (nhiệm kỳ) of your People's Council, or of every "
        "council of a monitor's province. Newest first.",
        responses=_listed(TermSerializer),
    ),
    retrieve=extend_schema(
        summary="One term with its figures",
        description="Every item raised in the term, wherever it was carried.",
        responses=_detailed(TermDetailSerializer),
    ),
)
class TermViewSet(ReadViewSet):
    serializer_class = TermSerializer
    filterset_class = TermFilter
    ordering_fields = ["start_year"]
    ordering = ["-start_year", "-id"]

    def get_queryset(self) -> QuerySet[Term]:
        return term_rows(self.request.user)

    def retrieve(self, request: Request, pk: str) -> Response:
        term = _one(self.get_queryset(), int(pk))
        figures = selectors.term_figures(term)
        return self._respond(TermDetailSerializer, term, figures=figures)


@extend_schema(tags=["voter recommendations"])
@extend_schema_view(
    list=extend_schema(
        summary="Council sessions you may see",
        description="Sessions (kỳ họp) of your People's Council, or of every council of "
        "a monitor's province. Agency officials work from `/forwardings/` instead. "
        "Newest first.",
        responses=_listed(CouncilSessionSerializer),
    ),
    retrieve=extend_schema(
        summary="One session with its figures and its term's",
        responses=_detailed(CouncilSessionDetailSerializer),
    ),
)
class CouncilSessionViewSet(ReadViewSet):
    serializer_class = CouncilSessionSerializer
    filterset_class = CouncilSessionFilter
    ordering_fields = ["opens_on", "number"]
    ordering = ["-opens_on", "-number", "-id"]

    def get_queryset(self) -> QuerySet[CouncilSession]:
        return selectors.session_list(self.request.user)

    def get_object(self) -> CouncilSession:
        return selectors.session_for_staff(self.request.user, int(self.kwargs["pk"]))

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(int(pk))

    @extend_schema(
        summary="Publish the session's results to voters (council staff)",
        description="The results go on the public pages. Needs something forwarded.",
        responses=_moved(CouncilSessionDetailSerializer),
    )
    @action(detail=True, methods=["post"], serializer_class=PublishInput)
    def publish(self, request: Request, pk: str) -> Response:
        session = self.get_object()
        data = self._valid()
        services.session_publish(actor=request.user, session=session, note=data["note"])
        return self._detail(session.pk)

    @extend_schema(
        summary="Forward many of the session's items under one dispatch (council staff)",
        description="Each item is its own move with its own event; all are forwarded, or "
        "none. One item alone: `POST /recommendations/{id}/forward/`.",
        responses=_moved(SessionForwardedSerializer),
    )
    @action(detail=True, methods=["post"], serializer_class=SessionForwardInput)
    def forward(self, request: Request, pk: str) -> Response:
        session = self.get_object()
        data = self._valid(session=session)
        count = services.recommendations_forward(
            actor=request.user,
            recommendations=data["recommendations"],
            agencies=data["agencies"],
            dispatch_number=data["dispatch_number"],
            dispatched_on=data["dispatched_on"],
        )
        items = recommendation_rows(request.user).filter(
            pk__in=[item.pk for item in data["recommendations"]]
        )
        return self._respond(
            SessionForwardedSerializer,
            {"forwarded": count, "recommendations": items.order_by("field_rank", "id")},
        )

    def _detail(self, pk: int) -> Response:
        """The session as it is now, read afresh, with its figures and your moves."""
        session = _one(self.get_queryset(), pk)
        return self._respond(
            CouncilSessionDetailSerializer,
            session,
            figures=selectors.session_figures(session),
            term_figures=selectors.term_figures(session.term),
            available_actions=_session_actions(self.request.user, session),
        )


@extend_schema(tags=["voter recommendations"])
@extend_schema_view(
    list=extend_schema(
        summary="Voter meetings of the sessions you may see",
        description="Meetings of deputies with voters (tiếp xúc cử tri), by date.",
        responses=_listed(VoterMeetingSerializer),
    ),
    retrieve=extend_schema(
        summary="One voter meeting and what voters raised there",
        responses=_detailed(VoterMeetingDetailSerializer),
    ),
)
class VoterMeetingViewSet(ReadViewSet):
    serializer_class = VoterMeetingSerializer
    filterset_class = VoterMeetingFilter
    ordering_fields = ["held_on", "voters_count"]
    ordering = ["held_on", "id"]

    def get_queryset(self) -> QuerySet[VoterMeeting]:
        return meeting_rows(self.request.user)

    def get_object(self) -> VoterMeeting:
        return selectors.meeting_for_staff(self.request.user, int(self.kwargs["pk"]))

    def retrieve(self, request: Request, pk: str) -> Response:
        meeting = _one(self.get_queryset(), int(pk))
        return self._respond(
            VoterMeetingDetailSerializer,
            meeting,
            sources=selectors.meeting_sources(meeting),
            available_actions=_meeting_actions(request.user, meeting),
        )

    @extend_schema(
        summary="Record what voters raised at the meeting (council staff)",
        description="The answer (201) is the new recommendation, `collected`.",
        responses={201: RecommendationDetailSerializer, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["post"], serializer_class=CollectInput)
    def collect(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        data = self._valid()
        item = services.recommendation_collect(
            actor=request.user,
            meeting=meeting,
            content=data["content"],
            field=data["field"],
            voters_count=data["voters_count"],
            # As on the page, the meeting's commune unless another (or none) is chosen.
            commune=data.get("commune", meeting.commune),
            locality=data["locality"],
        )
        response = _item_detail(self, item.pk)
        response.status_code = 201
        response["Location"] = absolute_url(
            self.get_serializer_context(), reverse("api:recommendation-detail", args=[item.pk])
        )
        return response


@extend_schema(tags=["voter recommendations"])
@extend_schema_view(
    list=extend_schema(
        summary="Voter recommendations you may see",
        description="The items of your council's sessions (a monitor: the province's); "
        "an agency official: the items forwarded to their agency, with only their own "
        "forwardings. Items merged into another are left out unless `status=merged` is "
        "asked for. In the council's order of fields unless `ordering` says otherwise.",
        responses=_listed(RecommendationSerializer),
    ),
    retrieve=extend_schema(
        summary="One recommendation with its sources, forwardings and timeline",
        responses=_detailed(RecommendationDetailSerializer),
    ),
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

    def get_queryset(self) -> QuerySet[Recommendation]:
        return recommendation_rows(self.request.user)

    def get_object(self) -> Recommendation:
        return selectors.recommendation_for_staff(self.request.user, int(self.kwargs["pk"]))

    def retrieve(self, request: Request, pk: str) -> Response:
        return _item_detail(self, int(pk))

    @extend_schema(
        summary="Consolidate this item, merging duplicates into it (council staff)",
        description="Each duplicate becomes `merged` and hands its sources over; this "
        "item sums the voters and, when raised again at a later session, is carried "
        "onto its agenda. A forwarded item stays forwarded.",
        responses=_moved(RecommendationDetailSerializer),
    )
    @action(detail=True, methods=["post"], serializer_class=ConsolidateInput)
    def consolidate(self, request: Request, pk: str) -> Response:
        item = self.get_object()
        data = self._valid(recommendation=item)
        services.recommendation_consolidate(
            actor=request.user,
            keeper=item,
            duplicates=data["duplicates"],
            content=data["content"],
        )
        return _item_detail(self, item.pk)

    @extend_schema(
        summary="Forward to one or more agencies under a dispatch (council staff)",
        description="Each agency gets its own forwarding on the answer clock from the "
        "dispatch date. A forwarded item may be forwarded to further agencies.",
        responses=_moved(RecommendationDetailSerializer),
    )
    @action(detail=True, methods=["post"], serializer_class=ForwardInput)
    def forward(self, request: Request, pk: str) -> Response:
        item = self.get_object()
        data = self._valid()
        services.recommendation_forward(
            actor=request.user,
            recommendation=item,
            agencies=data["agencies"],
            dispatch_number=data["dispatch_number"],
            dispatched_on=data["dispatched_on"],
        )
        return _item_detail(self, item.pk)


@extend_schema(tags=["voter recommendations"])
@extend_schema_view(
    list=extend_schema(
        summary="Forwardings you may see",
        description="An agency official: the recommendations forwarded to their agency, "
        "to answer; council staff: their council's; monitors: the province's. Soonest "
        "answer due first unless `ordering` says otherwise.",
        responses=_listed(ForwardingSerializer),
    ),
    retrieve=extend_schema(
        summary="One forwarding with its answers, deadline and timeline",
        responses=_detailed(ForwardingDetailSerializer),
    ),
)
class ForwardingViewSet(ReadViewSet):
    serializer_class = ForwardingSerializer
    filterset_class = ForwardingFilter
    ordering_fields = ["answer_due_on", "dispatched_on", "answered_on"]
    ordering = ["answer_due_on", "id"]

    def get_queryset(self) -> QuerySet[Forwarding]:
        return forwarding_rows(self.request.user)

    def get_object(self) -> Forwarding:
        return selectors.forwarding_for_user(self.request.user, int(self.kwargs["pk"]))

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(int(pk))

    @extend_schema(
        summary="Save a draft answer for the lead (handler or lead of the agency)",
        description="No status change; the lead reviews the draft and sends the answer.",
        responses=_moved(ForwardingDetailSerializer),
    )
    @action(detail=True, methods=["post"], serializer_class=DraftInput)
    def draft(self, request: Request, pk: str) -> Response:
        return self._move(services.forwarding_save_draft)

    @extend_schema(
        summary="Answer, with the result category (lead of the agency)",
        description="Send JSON, or multipart/form-data to attach the answer document. "
        "Whether it came on time is kept.",
        responses=_moved(ForwardingDetailSerializer),
    )
    @action(detail=True, methods=["post"], serializer_class=AnswerInput)
    def answer(self, request: Request, pk: str) -> Response:
        return self._move(services.forwarding_answer)

    @extend_schema(
        summary="Accept the answer (council staff): its category becomes the result",
        responses=_moved(ForwardingDetailSerializer),
    )
    @action(detail=True, methods=["post"], serializer_class=AnswerAcceptInput)
    def accept(self, request: Request, pk: str) -> Response:
        return self._move(services.forwarding_accept)

    @extend_schema(
        summary="Send the answer back, or ask for an update (council staff)",
        description="A new answer clock starts today, or runs to `due_on`. An accepted "
        "answer that closed the matter (resolved, explained) cannot be sent back.",
        responses=_moved(ForwardingDetailSerializer),
    )
    @action(detail=True, methods=["post"], serializer_class=SendBackInput)
    def send_back(self, request: Request, pk: str) -> Response:
        return self._move(services.forwarding_send_back)

    def _move(self, service: Any) -> Response:
        """Run one transition service on this forwarding with the validated input."""
        forwarding = self.get_object()
        service(actor=self.request.user, forwarding=forwarding, **self._valid())
        return self._detail(forwarding.pk)

    def _detail(self, pk: int) -> Response:
        """The forwarding as it is now, read afresh, with what this user may see and do."""
        user = self.request.user
        forwarding = selectors.forwarding_for_user(user, pk)
        return self._respond(
            ForwardingDetailSerializer,
            forwarding,
            events=selectors.forwarding_timeline(forwarding),
            # The draft is the agency's internal work, as on the page.
            sees_draft=can(user, forwarding.agency_id, Action.HANDLE),
            available_actions=_forwarding_actions(user, forwarding),
        )


@extend_schema(tags=["voter recommendations"])
@extend_schema_view(
    list=extend_schema(
        summary="Answers of the forwardings you may see",
        description="Every answer, each round of a forwarding sent back included. "
        "Oldest first unless `ordering` says otherwise.",
        responses=_listed(AnswerListSerializer),
    ),
    retrieve=extend_schema(summary="One answer", responses=_detailed(AnswerListSerializer)),
)
class AnswerViewSet(ReadViewSet):
    serializer_class = AnswerListSerializer
    filterset_class = AnswerFilter
    ordering_fields = ["answered_on", "round"]
    ordering = ["answered_on", "id"]

    def get_queryset(self) -> QuerySet[Answer]:
        return answer_rows(self.request.user)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._respond(AnswerListSerializer, _one(self.get_queryset(), int(pk)))
