"""/api/v1/stats/mediation/ — mounted by civic_portal/urls.py."""

from django.urls import path

from . import api

app_name = "mediation_stats"
urlpatterns = [path("", api.MediationStatsView.as_view(), name="figures")]
