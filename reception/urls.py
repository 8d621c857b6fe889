from django.urls import include, path

from . import views

app_name = "reception"
urlpatterns = [
    path("staff/tiep-cong-dan/", views.register, name="register"),
    path("staff/tiep-cong-dan/new/", views.new, name="new"),
    path(
        "staff/tiep-cong-dan/<int:pk>/",
        include(
            [
                path("", views.detail, name="detail"),
                path("receipt/", views.receipt, name="receipt"),
                path("do/<str:name>/", views.action, name="action"),
            ]
        ),
    ),
]
