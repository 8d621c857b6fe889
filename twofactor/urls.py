from django.urls import path

from . import views

app_name = "twofactor"
urlpatterns = [
    path("login/code/", views.verify, name="verify"),
    path("login/setup/", views.enrol, name="enrol"),
    path("staff/security/", views.security, name="security"),
    path("staff/security/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("staff/security/recovery-codes/new/", views.new_codes, name="new_codes"),
    path("staff/security/colleagues/", views.colleagues, name="colleagues"),
    path("staff/security/colleagues/<int:pk>/reset/", views.reset, name="reset"),
]
