"""/api/v1/stats/reception/ — mounted by civic_portal/urls.py beside the other figures."""

from django.urls import path

from . import api

app_name = "reception_stats"
urlpatterns = [path("", api.ReceptionStatsView.as_view(), name="figures")]
