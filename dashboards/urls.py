from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    # monitors and agency leads
    path("staff/dashboard/", views.dashboard, name="dashboard"),
    path("staff/dashboard/cases/", views.cases, name="cases"),
    path("staff/dashboard/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("staff/dashboard/export.csv", views.export_csv, name="export_csv"),
    # everyone
    path("minh-bach/", views.transparency, name="transparency"),
]
