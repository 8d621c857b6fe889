from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

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

# The API's unknown addresses (a negative id, a mistyped path) answer in JSON.
handler404 = "dashboards.site.not_found"
