from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.module_loading import import_string

from dashboards import site

urlpatterns = [
    path("", site.home, name="home"),
    path("healthz", site.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/stats/", include("dashboards.api_urls")),
    path("api/v1/stats/mediation/", include("mediation.api_urls")),
    path("api/v1/stats/reception/", include("reception.stats_urls")),
    path("login/", site.ThrottledLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("twofactor.urls")),
    path("staff/", include("agencies.urls")),
    path("", include("petitions.urls")),
    path("", include("recommendations.urls")),
    path("", include("notifications.urls")),
    path("", include("dashboards.urls")),
    path("", include("schedules.urls")),
    path("", include("verdict.urls")),
    path("", include("mediation.urls")),
    path("", include("reception.urls")),
    path("api/", include("civic_portal.api")),
    path("open311/v2/", include("open311.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_REFERENCE_VIEW:
    # The bench's yardstick (bench.surge): behind the same middleware as the public
    # form, mounted only on the bench's own server (BENCH_REFERENCE=1).
    # Imported by name: the bench is no app, and nothing else of the project loads it.
    reference_view = import_string("bench.surge.reference_view")
    urlpatterns.append(path("bench/reference/", reference_view, name="bench_reference"))

# The API's unknown addresses (a negative id, a mistyped path) answer in JSON.
handler404 = "dashboards.site.not_found"
