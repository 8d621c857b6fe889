"""The API's output: each row as its list and its detail show it, with what the reader
may see of it (the selectors narrow the rows) and may do now (`available_actions`, from
the moves: recommendations.moves.offered).

No voter is ever named (none is recorded). Officials' names appear only where the staff
pages show them to the same reader: the timeline's actors, the signer of an answer, and
the author of a draft (to the agency's own officials).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies.workdays import DueDate
from casework.drf.directory import AgencyRefSerializer, UnitRefSerializer
from casework.drf.fields import EnumField, LabelField, PageAndPhaseFields, absolute_url
from casework.drf.serializers import EventSerializerBase, more_fields, person_name

from ..models import (
    Answer,
    CarryOver,
    CouncilSession,
    Forwarding,
    Recommendation,
    RecommendationEvent,
    RecommendationSource,
    Term,
    VoterMeeting,
)
from .refs import (
    FIELD,
    FORWARDING_STATUS,
    ITEM_STATUS,
    RESULT,
    FiguresSerializer,
    ForwardingRefSerializer,
    MeetingRefSerializer,
    PageUrlField,
    RecommendationRefSerializer,
    SessionRefSerializer,
    TermRefSerializer,
)

Event = RecommendationEvent.Action

# The POST actions, named like the event each one writes, so that a client can call
# /…/{id}/{name}/ for each name it is offered in `available_actions` (viewsets.py maps
# each to its move).
SESSION_MOVES = ("forward", "publish")
MEETING_MOVES = ("collect",)
ITEM_MOVES = ("consolidate", "forward")
FORWARDING_MOVES = ("draft", "answer", "accept", "send_back")


class ActionsField(serializers.ListField):
    """`available_actions`: the moves the reader may make now, as the view computed them
    (recommendations.moves.offered), published as an enum of the POST actions."""

    def __init__(self, names: Iterable[str], enum_name: str) -> None:
        choices = [(name, Event(name).label) for name in names]
        child = EnumField(choices, enum_name=enum_name)
        super().__init__(child=child, source="*", read_only=True)

    def to_representation(self, data: Any) -> list[str]:
        return list(self.context.get("available_actions", []))


# --- output: terms, sessions, meetings -----------------------------------------------------------


class TermSerializer(TermRefSerializer):
    council = AgencyRefSerializer(read_only=True)

    class Meta(TermRefSerializer.Meta):
        fields = ["id", "url", "title", "council", "start_year", "end_year", "elected_on"]
        read_only_fields = fields


class TermDetailSerializer(TermSerializer):
    figures = serializers.SerializerMethodField()

    Meta = more_fields(TermSerializer, "figures")

    @extend_schema_field(FiguresSerializer)
    def get_figures(self, term: Term) -> dict[str, Any]:
        return FiguresSerializer(self.context["figures"]).data


class CouncilSessionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:council-session-detail")
    page_url = PageUrlField()
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


class CouncilSessionDetailSerializer(CouncilSessionSerializer):
    """A session with its figures and its term's (carried-over items included)."""

    figures = serializers.SerializerMethodField()
    term_figures = serializers.SerializerMethodField()
    available_actions = ActionsField(SESSION_MOVES, "SessionAction")

    Meta = more_fields(CouncilSessionSerializer, "figures", "term_figures", "available_actions")

    @extend_schema_field(FiguresSerializer)
    def get_figures(self, session: CouncilSession) -> dict[str, Any]:
        return FiguresSerializer(self.context["figures"]).data

    @extend_schema_field(FiguresSerializer)
    def get_term_figures(self, session: CouncilSession) -> dict[str, Any]:
        return FiguresSerializer(self.context["term_figures"]).data


class VoterMeetingSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:voter-meeting-detail")
    page_url = PageUrlField()
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
    available_actions = ActionsField(MEETING_MOVES, "MeetingAction")

    Meta = more_fields(VoterMeetingSerializer, "sources", "available_actions")

    @extend_schema_field(MeetingSourceSerializer(many=True))
    def get_sources(self, meeting: VoterMeeting) -> Any:
        return MeetingSourceSerializer(
            self.context["sources"], many=True, context=self.context
        ).data


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
        return person_name(answer.answered_by)


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


# The brief's fields and more, in the order of Meta.fields.
class ForwardingSerializer(PageAndPhaseFields, ForwardingBriefSerializer):
    """A recommendation forwarded to one agency, and where its answer clock stands today."""

    recommendation = RecommendationBriefSerializer(read_only=True)
    due_set_by_council = serializers.BooleanField(read_only=True)
    current_answer = AnswerSerializer(read_only=True, allow_null=True)
    accepted_answer = AnswerSerializer(read_only=True, allow_null=True)

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


class EventSerializer(EventSerializerBase):
    action = EnumField(Event.choices, enum_name="RecommendationEventAction", read_only=True)
    action_display = LabelField(source="get_action_display")
    from_status_display = serializers.SerializerMethodField()
    to_status_display = serializers.SerializerMethodField()

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
            "said",
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


class ForwardingDetailSerializer(ForwardingSerializer):
    """One forwarding: the deadline's explanation, every answer, the draft (for the
    agency's officials), the item's sources, the timeline and what you may do now."""

    answer_explanation = serializers.SerializerMethodField()
    answers = AnswerSerializer(many=True, read_only=True)
    draft = serializers.SerializerMethodField()
    sources = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    available_actions = ActionsField(FORWARDING_MOVES, "ForwardingAction")

    Meta = more_fields(
        ForwardingSerializer,
        "answer_explanation",
        "answers",
        "draft",
        "sources",
        "events",
        "available_actions",
    )

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
                "saved_by_name": person_name(forwarding.draft_by),
            }
        ).data

    @extend_schema_field(SourceSerializer(many=True))
    def get_sources(self, forwarding: Forwarding) -> Any:
        sources = forwarding.recommendation.sources.all()
        return SourceSerializer(sources, many=True, context=self.context).data

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, forwarding: Forwarding) -> Any:
        return EventSerializer(self.context["events"], many=True, context=self.context).data


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
    page_url = PageUrlField()
    session = SessionRefSerializer(read_only=True)
    field = EnumField(**FIELD, read_only=True)
    field_display = LabelField(source="get_field_display")
    commune = UnitRefSerializer(read_only=True, allow_null=True)
    status = EnumField(**ITEM_STATUS, read_only=True)
    status_display = LabelField(source="get_status_display")
    merged_into: Any = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
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

    def get_age_days(self, item: Recommendation) -> int:
        """Days since voters first raised it, up to the accepted result once closed."""
        return item.age_days(self.context["today"])

    @extend_schema_field(ForwardingBriefSerializer(many=True))
    def get_forwardings(self, item: Recommendation) -> Any:
        # The selectors prefetch only the forwardings the reader sees (an agency: its own).
        rows = item.forwardings.all()
        return ForwardingBriefSerializer(rows, many=True, context=self.context).data


class RecommendationDetailSerializer(RecommendationSerializer):
    """One recommendation: its sources, the items merged into it, its timeline (an
    agency: the events about its own forwardings) and what you may do now."""

    sources = SourceSerializer(many=True, read_only=True)
    merged = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    available_actions = ActionsField(ITEM_MOVES, "RecommendationAction")

    Meta = more_fields(RecommendationSerializer, "sources", "merged", "events", "available_actions")

    def get_merged(self, item: Recommendation) -> list[int]:
        """The duplicates merged into this item."""
        return [m.pk for m in item.merged.all()]

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, item: Recommendation) -> Any:
        # selectors.seen_events: an agency reads the events about its own forwardings.
        return EventSerializer(item.events.all(), many=True, context=self.context).data


class SessionForwardedSerializer(serializers.Serializer):
    forwarded = serializers.IntegerField(help_text="How many items were forwarded.")
    recommendations = RecommendationSerializer(many=True)
