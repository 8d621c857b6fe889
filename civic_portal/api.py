"""The REST API's URLs: the apps' viewsets under /api/v1/, the OpenAPI document and its docs.

Each app keeps its viewsets in `<app>/api.py`; adding one here is one `register` line.
The docs pages load Swagger UI and ReDoc from drf-spectacular-sidecar's static files,
so they work on an intranet with no CDN, and their page rules from static/css, so the
Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) holds on them too.
"""

from typing import Any

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.request import Request
from rest_framework.routers import DefaultRouter

from casework.drf.directory import AdministrativeUnitViewSet, AgencyViewSet
from petitions.api import PetitionViewSet
from reception.api import VisitViewSet
from recommendations import api as voters
from schedules import api as schedules_api

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
router.register("reception-days", schedules_api.ReceptionDayViewSet, basename="reception-day")
router.register("bookings", schedules_api.BookingViewSet, basename="booking")
router.register(
    "reception-compliance", schedules_api.ComplianceViewSet, basename="reception-compliance"
)
router.register("visits", VisitViewSet, basename="visit")


def _docs_page(base: str, links: str, stylesheet: str) -> Any:
    """A docs page's head of our own: no font or CDN links (nothing leaves the intranet),
    and its styles from a static file rather than an inline <style> (the CSP)."""
    return engines["django"].from_string(
        f'{{% extends "{base}" %}}{{% load static %}}{{% block head %}}'
        '<title>{{ title }}</title><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'{links}<link rel="stylesheet" href="{{% static \'{stylesheet}\' %}}">'
        "{% endblock head %}"
    )


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI under the site's policy, unrelaxed: the split view serves its start-up
    script from this same URL (`?script`) rather than inline, and the page's rules come
    from static/css rather than an inline <style>."""

    page = _docs_page(
        "drf_spectacular/swagger_ui.html",
        '{% if favicon_href %}<link rel="icon" href="{{ favicon_href }}">{% endif %}'
        '<link rel="stylesheet" href="{{ swagger_ui_css }}">',
        "css/swagger-ui-page.css",
    )

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        response = super().get(request, *args, **kwargs)
        if request.GET.get("script") is not None:
            return response
        return HttpResponse(self.page.render(response.data, request))


# ReDoc draws its page with styled-components, which writes <style> elements at run time
# with no way to give them a nonce, and runs its search in a worker made from a blob:
# this page alone allows inline styles and blob: workers. Its scripts stay 'self' only,
# and it shows nothing but the public schema. (Redocly's logo from their CDN stays
# refused: nothing leaves the intranet.)
@method_decorator(
    csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}), name="dispatch"
)
class RedocView(SpectacularRedocView):
    """ReDoc without the Google Fonts links of drf-spectacular's page: nothing leaves the
    intranet, and an offline browser does not wait for a font server."""

    page = _docs_page("drf_spectacular/redoc.html", "", "css/redoc-page.css")

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        data = super().get(request, *args, **kwargs).data
        return HttpResponse(self.page.render(data, request))


urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
]
