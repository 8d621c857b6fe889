"""/api/v1/stats/ — mounted by civic_portal/urls.py before the API router."""

from django.urls import path

from . import api

app_name = "stats"
urlpatterns = [
    path("summary/", api.SummaryView.as_view(), name="summary"),
    path("by/<str:dimension>/", api.BreakdownView.as_view(), name="by"),
    path("trend/", api.TrendView.as_view(), name="trend"),
    path("recommendations/", api.RecommendationsView.as_view(), name="recommendations"),
]
