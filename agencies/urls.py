from django.urls import path

from . import views

app_name = "agencies"
urlpatterns = [
    path("", views.staff_home, name="staff_home"),
]
