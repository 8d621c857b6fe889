from django.urls import include, path

from . import views

app_name = "mediation"
urlpatterns = [
    path("staff/mediation/", views.case_list, name="list"),
    path("staff/mediation/new/", views.case_open, name="open"),
    path("staff/mediation/figures/", views.figures, name="figures"),
    path(
        "staff/mediation/<int:pk>/",
        include(
            [
                path("", views.case_detail, name="detail"),
                path("do/<str:name>/", views.case_action, name="action"),
            ]
        ),
    ),
    path(
        "staff/mediation/teams/<int:pk>/",
        include(
            [
                path("register/", views.register, name="register"),
                path("register.xlsx", views.register_xlsx, name="register_xlsx"),
            ]
        ),
    ),
]
