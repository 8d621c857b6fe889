from django.urls import include, path

from . import views

app_name = "schedules"
urlpatterns = [
    # public: the schedule and its feeds (no login, no personal data)
    path("lich-tiep-cong-dan/", views.schedule_index, name="index"),
    path("lich-tiep-cong-dan/tinh/<str:code>/", views.schedule_province, name="province"),
    path("lich-tiep-cong-dan/tinh/<str:code>.ics", views.feed_province, name="province_feed"),
    path("lich-tiep-cong-dan/co-quan/<int:pk>/", views.schedule_agency, name="agency"),
    path("lich-tiep-cong-dan/co-quan/<int:pk>.ics", views.feed_agency, name="agency_feed"),
    # citizens: booking a place, and the booking's own page behind its codes
    path("dang-ky-tiep/ngay/<int:pk>/", views.book, name="book"),
    path("dang-ky-tiep/da-dang-ky/", views.booked, name="booked"),
    path("dang-ky-tiep/tra-cuu/", views.track, name="track"),
    path(
        "dang-ky-tiep/tra-cuu/<str:reference>/",
        include(
            [
                path("", views.track_detail, name="track_detail"),
                path("<str:action>/", views.track_action, name="track_action"),
            ]
        ),
    ),
    # the reception office and the leaders
    path("staff/schedules/", views.staff_days, name="days"),
    path("staff/schedules/new/", views.day_new, name="day_new"),
    path("staff/schedules/compliance/", views.compliance, name="compliance"),
    path(
        "staff/schedules/days/<int:pk>/",
        include(
            [
                path("", views.day_detail, name="day"),
                path("edit/", views.day_edit, name="day_edit"),
                path("do/<str:name>/", views.day_action, name="day_action"),
            ]
        ),
    ),
    path(
        "staff/schedules/bookings/<int:pk>/",
        include(
            [
                path("", views.booking_detail, name="booking"),
                path("do/<str:name>/", views.booking_action, name="booking_action"),
            ]
        ),
    ),
]
