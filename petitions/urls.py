from django.urls import path

from . import views

app_name = "petitions"
urlpatterns = [
    # citizens (no account)
    path("gui-don/", views.submit, name="submit"),
    path("gui-don/da-nhan/", views.submitted, name="submitted"),
    path("tra-cuu/", views.track, name="track"),
    path("tra-cuu/<str:reference>/", views.track_detail, name="track_detail"),
    path("tra-cuu/<str:reference>/<str:action>/", views.track_action, name="track_action"),
    # staff
    path("staff/petitions/", views.inbox, name="inbox"),
    path("staff/petitions/new/", views.record, name="record"),
    path("staff/petitions/<int:pk>/", views.detail, name="detail"),
    path("staff/petitions/<int:pk>/do/<str:name>/", views.action, name="action"),
    path(
        "staff/petitions/<int:pk>/attachments/<int:attachment_id>/",
        views.attachment,
        name="attachment",
    ),
]
