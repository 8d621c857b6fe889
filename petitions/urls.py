from django.urls import include, path

from . import views

app_name = "petitions"
urlpatterns = [
    # citizens (no account)
    path("gui-don/", views.submit, name="submit"),
    path("gui-don/da-nhan/", views.submitted, name="submitted"),
    path("tra-cuu/", views.track, name="track"),
    # the pages of one tracked case, and of one petition, below its address
    path(
        "tra-cuu/<str:reference>/",
        include(
            [
                path("", views.track_detail, name="track_detail"),
                path("<str:action>/", views.track_action, name="track_action"),
            ]
        ),
    ),
    # staff
    path("staff/petitions/", views.inbox, name="inbox"),
    path("staff/petitions/new/", views.record, name="record"),
    path(
        "staff/petitions/<int:pk>/",
        include(
            [
                path("", views.detail, name="detail"),
                path("do/<str:name>/", views.action, name="action"),
                path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
            ]
        ),
    ),
]
