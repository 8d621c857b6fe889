"""GeoReport v2 under /open311/v2/: each resource with its format suffix."""

from django.urls import path, re_path

from . import views

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    # The endpoint's root: the discovery document (the specification recommends it).
    path("", views.discovery, {"fmt": "json"}, name="root"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.service_list, name="services"),
    re_path(r"^services/(?P<code>[A-Za-z0-9_-]{1,40})" + FMT, views.service_detail, name="service"),
    re_path(r"^requests" + FMT, views.request_list, name="requests"),
    re_path(
        r"^requests/(?P<reference>[A-Za-z0-9-]{1,20})" + FMT, views.request_detail, name="request"
    ),
]
