from django.urls import path

from . import views

app_name = "recommendations"
urlpatterns = [
    # council staff (and monitors, read-only)
    path("staff/recommendations/", views.sessions, name="sessions"),
    path("staff/recommendations/sessions/new/", views.session_create, name="session_create"),
    path("staff/recommendations/sessions/<int:pk>/", views.session, name="session"),
    path("staff/recommendations/sessions/<int:pk>/meetings/", views.meetings, name="meetings"),
    path(
        "staff/recommendations/sessions/<int:pk>/consolidate/",
        views.consolidate,
        name="consolidate",
    ),
    path("staff/recommendations/sessions/<int:pk>/forward/", views.forward, name="forward"),
    path(
        "staff/recommendations/sessions/<int:pk>/assessment/",
        views.assessment,
        name="assessment",
    ),
    path(
        "staff/recommendations/sessions/<int:pk>/carry-over/",
        views.session_carry_over,
        name="carry_over",
    ),
    path(
        "staff/recommendations/sessions/<int:pk>/publish/",
        views.session_publish,
        name="publish",
    ),
    path(
        "staff/recommendations/sessions/<int:pk>/results.xlsx",
        views.session_export,
        name="export",
    ),
    path("staff/recommendations/meetings/<int:pk>/", views.meeting, name="meeting"),
    path("staff/recommendations/items/<int:pk>/", views.detail, name="detail"),
    path("staff/recommendations/items/<int:pk>/forward/", views.forward_one, name="forward_one"),
    # agency officials
    path("staff/recommendations/inbox/", views.inbox, name="inbox"),
    path("staff/recommendations/forwardings/<int:pk>/", views.forwarding, name="forwarding"),
    path(
        "staff/recommendations/forwardings/<int:pk>/answer/",
        views.forwarding_answer,
        name="answer",
    ),
    path(
        "staff/recommendations/forwardings/<int:pk>/accept/",
        views.forwarding_accept,
        name="accept",
    ),
    path(
        "staff/recommendations/forwardings/<int:pk>/send-back/",
        views.forwarding_send_back,
        name="send_back",
    ),
    path(
        "staff/recommendations/forwardings/<int:pk>/answers/<int:answer_id>/document/",
        views.answer_document,
        name="answer_document",
    ),
    # voters (public)
    path("kien-nghi-cu-tri/", views.public_sessions, name="public_sessions"),
    path("kien-nghi-cu-tri/ky-hop/<int:pk>/", views.public_session, name="public_session"),
    path(
        "kien-nghi-cu-tri/ky-hop/<int:pk>/ket-qua.xlsx",
        views.public_export,
        name="public_export",
    ),
]
