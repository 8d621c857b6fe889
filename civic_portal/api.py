"""The REST API's URLs: the apps' viewsets under /api/v1/, the OpenAPI document and its docs.

Each app keeps its viewsets in `<app>/api.py`; adding one here is one `register` line.
The docs pages load Swagger UI and ReDoc from drf-spectacular-sidecar's static files,
so they work on an intranet with no CDN.
"""

from typing import Any

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.request import Request
from rest_framework.routers import DefaultRouter

from casework.drf.directory import AdministrativeUnitViewSet, AgencyViewSet
from petitions.api import PetitionViewSet
from recommendations import api as voters

app_name = "api"

# Path converters (<int:pk>) rather than regexes: ids are integers in the URLs and the
# schema. No ".json" suffix routes: `Accept` (or `?format=json`) chooses the format.
router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False
router.register("petitions", PetitionViewSet, basename="petition")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("units", AdministrativeUnitViewSet, basename="unit")
router.register("terms", voters.TermViewSet, basename="term")
router.register("council-sessions", voters.CouncilSessionViewSet, basename="council-session")
router.register("voter-meetings", voters.VoterMeetingViewSet, basename="voter-meeting")
router.register("recommendations", voters.RecommendationViewSet, basename="recommendation")
router.register("forwardings", voters.ForwardingViewSet, basename="forwarding")
router.register("answers", voters.AnswerViewSet, basename="answer")


class RedocView(SpectacularRedocView):
    """ReDoc without the Google Fonts links of drf-spectacular's page: nothing leaves the
    intranet, and an offline browser does not wait for a font server."""

    page = engines["django"].from_string(
        '{% extends "drf_spectacular/redoc.html" %}{% block head %}'
        '<title>{{ title }}</title><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<style>body { margin: 0; padding: 0; }</style>{% endblock head %}"
    )

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        data = super().get(request, *args, **kwargs).data
        return HttpResponse(self.page.render(data, request))


urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
]
