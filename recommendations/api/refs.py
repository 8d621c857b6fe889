"""What every output of the recommendations API nests: references to a row (its id,
URL and a few words), the figures block, and the named choice sets of the schema."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework.drf.directory import AgencyRefSerializer, UnitRefSerializer
from casework.drf.fields import EnumField, absolute_url

from ..models import (
    CouncilSession,
    Field,
    Forwarding,
    Recommendation,
    ResultCategory,
    Term,
    VoterMeeting,
)

# One name per choice set in the schema (casework.drf.fields.EnumField).
FIELD: dict[str, Any] = {"choices": Field.choices, "enum_name": "RecommendationField"}
RESULT: dict[str, Any] = {"choices": ResultCategory.choices, "enum_name": "ResultCategory"}
ITEM_STATUS: dict[str, Any] = {
    "choices": Recommendation.Status.choices,
    "enum_name": "RecommendationStatus",
}
FORWARDING_STATUS: dict[str, Any] = {
    "choices": Forwarding.Status.choices,
    "enum_name": "ForwardingStatus",
}


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The row's page on the staff site (`get_absolute_url()`), as an absolute URL."""

    def __init__(self) -> None:
        super().__init__(source="*", read_only=True)

    def to_representation(self, value: Any) -> str:
        return absolute_url(self.context, value.get_absolute_url())


# --- references ----------------------------------------------------------------------


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


class ForwardingRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:forwarding-detail")
    agency = AgencyRefSerializer(read_only=True)
    recommendation = serializers.IntegerField(source="recommendation_id", read_only=True)

    class Meta:
        model = Forwarding
        fields = ["id", "url", "agency", "recommendation"]
        read_only_fields = fields
