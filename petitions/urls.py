from django.urls import include, path

from . import bulk, dialogue_views, receipts, views

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
    path("staff/petitions/bulk/", bulk.bulk, name="bulk"),
    path("staff/petitions/bulk/done/", bulk.bulk_done, name="bulk_done"),
    path(
        "staff/petitions/<int:pk>/",
        include(
            [
                path("", views.detail, name="detail"),
                path("receipt/", receipts.receipt, name="receipt"),
                path("receipt/new-code/", receipts.new_code, name="receipt_new_code"),
                path("do/<str:name>/", views.action, name="action"),
                path("dialogue/<str:name>/", dialogue_views.action, name="dialogue"),
                path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
            ]
        ),
    ),
]
