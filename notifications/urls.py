from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("staff/notifications/", views.notice_list, name="list"),
    path("staff/notifications/<int:notice_id>/", views.notice_open, name="open"),
    path("staff/notifications/read-all/", views.notices_read_all, name="read_all"),
    path("staff/notifications/language/", views.notice_language, name="language"),
]
