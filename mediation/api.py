"""/api/v1/stats/mediation/: the mediation figures of what the caller may count.

Thin: validate the period, call `selectors.figures_for`, serialize. Team members and
commune officials get their own cases' figures; monitors their province's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.drf.errors import error_responses
from casework.replicas import reading_from_replica
from casework.timekeeping import EARLIEST_DATE

from . import selectors
from .scope import mediation_scope

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class PeriodQuerySerializer(serializers.Serializer):
    start = serializers.DateField(
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("First day of the period (dd/mm/yyyy or yyyy-mm-dd); default 1 January."),
    )
    end = serializers.DateField(
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("Last day of the period (dd/mm/yyyy or yyyy-mm-dd); default today."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        today = timezone.localdate()
        end = min(attrs.get("end") or today, today)
        start = attrs.get("start") or date(end.year, 1, 1)
        if start < EARLIEST_DATE or start > end:
            raise serializers.ValidationError(
                {"start": _("The start of the period must be a date before its end.")}
            )
        return {"start": start, "end": end}


class RatesSerializer(serializers.Serializer):
    requested = serializers.IntegerField()
    successful = serializers.IntegerField()
    unsuccessful = serializers.IntegerField()
    ended = serializers.IntegerField()
    refused = serializers.IntegerField()
    concluded = serializers.IntegerField()
    success_rate = serializers.FloatField(allow_null=True)
    performed = serializers.IntegerField()
    not_performed = serializers.IntegerField()
    performed_rate = serializers.FloatField(allow_null=True)


class MediationSummarySerializer(RatesSerializer):
    first_sessions = serializers.IntegerField()
    mean_days_to_first_session = serializers.FloatField(allow_null=True)
    started_on_time = serializers.IntegerField()
    started_on_time_rate = serializers.FloatField(allow_null=True)


class FieldRowSerializer(RatesSerializer):
    field = serializers.CharField()
    name = serializers.CharField()


class CommuneRowSerializer(RatesSerializer):
    commune_id = serializers.IntegerField()
    commune__name = serializers.CharField()


class KindRowSerializer(RatesSerializer):
    kind = serializers.CharField()
    name = serializers.CharField()


class FiguresSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    summary = MediationSummarySerializer()
    by_field = FieldRowSerializer(many=True)
    by_commune = CommuneRowSerializer(many=True)
    by_kind = KindRowSerializer(many=True)


class SeesMediationFigures(BasePermission):
    message = _("Only mediation teams, commune officials and monitors see these figures.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return mediation_scope(request.user).sees_figures


@extend_schema(
    tags=["stats"],
    summary="Mediation figures: success rate, by field, commune and kind",
    parameters=[PeriodQuerySerializer],
    responses={
        200: FiguresSerializer,
        400: OpenApiResponse(description=_("The period is invalid.")),
        403: OpenApiResponse(description=_("Not logged in, or no mediation figures to see.")),
        # A stranger without a session or a token: 401, like every endpoint.
        **error_responses(),
    },
)
class MediationStatsView(APIView):
    permission_classes = [IsAuthenticated, SeesMediationFigures]

    @reading_from_replica()
    def get(self, request: Request) -> Response:
        query = PeriodQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = selectors.Period(query.validated_data["start"], query.validated_data["end"])
        figures = selectors.figures_for(request.user, period)
        return Response(
            FiguresSerializer({**figures, "start": period.start, "end": period.end}).data
        )
