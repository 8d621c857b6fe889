"""The stats API (/api/v1/stats/): the figures of DOMAIN.md for what the caller may see.

Thin: validate the query, call a selector, serialize. Session or token authentication
(the project defaults); monitors and agency leads only.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.drf.errors import error_responses
from casework.replicas import reading_from_replica

from . import selectors
from .serializers import (
    BreakdownSerializer,
    RecommendationQuerySerializer,
    RecommendationStatsSerializer,
    StatsQuerySerializer,
    SummarySerializer,
    TrendSerializer,
)

BAD_FILTER = OpenApiResponse(
    description=_("A filter is invalid: the errors per parameter, in the request's language.")
)
NOT_ALLOWED = OpenApiResponse(description=_("Not logged in, or neither a monitor nor a lead."))


class SeesFigures(BasePermission):
    message = _("Only monitors and agency leads may see these figures.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return selectors.can_see_dashboard(request.user)


def _period(filters: selectors.Filters) -> dict[str, Any]:
    return {"from": filters.start, "to": filters.end}


class StatsView(APIView):
    permission_classes = [IsAuthenticated, SeesFigures]

    def filters(self, request: Request) -> selectors.Filters:
        query = StatsQuerySerializer(
            data=request.query_params,
            context={"user": request.user, "today": timezone.localdate()},
        )
        query.is_valid(raise_exception=True)
        return query.filters()


@extend_schema(
    tags=["stats"],
    summary="Petition figures for a period and scope",
    parameters=[StatsQuerySerializer],
    responses={200: SummarySerializer, 400: BAD_FILTER, 403: NOT_ALLOWED, **error_responses()},
)
class SummaryView(StatsView):
    @reading_from_replica()
    def get(self, request: Request) -> Response:
        filters = self.filters(request)
        figures = selectors.summary(selectors.stats_filter(request.user, filters))
        return Response(SummarySerializer({**figures, "period": _period(filters)}).data)


@extend_schema(
    tags=["stats"],
    summary="Petition figures per agency, commune, field, kind or channel",
    parameters=[
        StatsQuerySerializer,
        OpenApiParameter(
            "dimension", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(selectors.DIMENSIONS)
        ),
    ],
    responses={200: BreakdownSerializer, 400: BAD_FILTER, 403: NOT_ALLOWED, **error_responses()},
)
class BreakdownView(StatsView):
    @reading_from_replica()
    def get(self, request: Request, dimension: str) -> Response:
        if dimension not in selectors.DIMENSIONS:
            raise NotFound()
        filters = self.filters(request)
        f = selectors.stats_filter(request.user, filters)
        # Communes in Vietnamese order, as the dashboard's table lists them.
        rows = (
            selectors.commune_breakdown(f)
            if dimension == "commune"
            else selectors.breakdown(f, dimension)
        )
        return Response(
            BreakdownSerializer(
                {
                    "period": _period(filters),
                    "dimension": dimension,
                    "min_ranked": selectors.MIN_RANKED,
                    "results": rows,
                }
            ).data
        )


@extend_schema(
    tags=["stats"],
    summary="Petitions received, accepted and resolved per month",
    parameters=[StatsQuerySerializer],
    responses={200: TrendSerializer, 400: BAD_FILTER, 403: NOT_ALLOWED, **error_responses()},
)
class TrendView(StatsView):
    @reading_from_replica()
    def get(self, request: Request) -> Response:
        filters = self.filters(request)
        rows = selectors.trend(selectors.stats_filter(request.user, filters))
        return Response(TrendSerializer({"period": _period(filters), "results": rows}).data)


@extend_schema(
    tags=["stats"],
    summary="Voter recommendations per term, session, agency and result category",
    parameters=[RecommendationQuerySerializer],
    responses={
        200: RecommendationStatsSerializer,
        400: BAD_FILTER,
        403: NOT_ALLOWED,
        **error_responses(),
    },
)
class RecommendationsView(StatsView):
    @reading_from_replica()
    def get(self, request: Request) -> Response:
        query = RecommendationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        term = query.validated_data.get("term")
        stats = selectors.recommendation_stats(request.user, term=term)
        return Response(
            RecommendationStatsSerializer(
                {
                    "term": term,
                    "total": stats.total,
                    "by_category": [
                        {"category": value, "label": label, "count": count}
                        for value, label, count in stats.total.by_category()
                    ],
                    "terms": stats.terms,
                    "sessions": stats.sessions,
                    "agencies": stats.agencies,
                }
            ).data
        )
