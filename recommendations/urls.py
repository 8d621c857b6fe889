from django.urls import include, path

from . import bulk, views

# The pages of one session, and of one forwarding, below its address.
session = [
    path("", views.session, name="session"),
    path("meetings/", views.meetings, name="meetings"),
    path("consolidate/", views.consolidate, name="consolidate"),
    path("forward/", views.forward, name="forward"),
    path("assessment/", views.assessment, name="assessment"),
    path("assessment/bulk/", bulk.assess_bulk, name="assess_bulk"),
    path("assessment/bulk/done/", bulk.assess_bulk_done, name="assess_bulk_done"),
    path("carry-over/", views.session_carry_over, name="carry_over"),
    path("publish/", views.session_publish, name="publish"),
    path("results.xlsx", views.session_export, name="export"),
]
forwarding = [
    path("", views.forwarding, name="forwarding"),
    path("answer/", views.forwarding_answer, name="answer"),
    path("accept/", views.forwarding_accept, name="accept"),
    path("send-back/", views.forwarding_send_back, name="send_back"),
    path("answers/<int:answer_id>/document/", views.answer_document, name="answer_document"),
]

app_name = "recommendations"
urlpatterns = [
    # council staff (and monitors, read-only)
    path("staff/recommendations/", views.sessions, name="sessions"),
    path("staff/recommendations/sessions/new/", views.session_create, name="session_create"),
    path("staff/recommendations/sessions/<int:pk>/", include(session)),
    path("staff/recommendations/meetings/<int:pk>/", views.meeting, name="meeting"),
    path("staff/recommendations/items/<int:pk>/", views.detail, name="detail"),
    path("staff/recommendations/items/<int:pk>/forward/", views.forward_one, name="forward_one"),
    # agency officials
    path("staff/recommendations/inbox/", views.inbox, name="inbox"),
    path("staff/recommendations/forwardings/<int:pk>/", include(forwarding)),
    # voters (public)
    path("kien-nghi-cu-tri/", views.public_sessions, name="public_sessions"),
    path("kien-nghi-cu-tri/ky-hop/<int:pk>/", views.public_session, name="public_session"),
    path(
        "kien-nghi-cu-tri/ky-hop/<int:pk>/ket-qua.xlsx",
        views.public_export,
        name="public_export",
    ),
]
