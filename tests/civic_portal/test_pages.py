import pytest
from django.urls import reverse

from agencies.models import Role
from tests.factories import AgencyFactory, member

pytestmark = pytest.mark.django_db


def test_the_home_page_speaks_vietnamese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()
    assert "Gửi đơn" in response.content.decode()


def test_a_browser_set_to_english_still_gets_vietnamese_pages(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in response.content.decode()


def test_the_language_switch_turns_the_site_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()
    assert "Send a petition" in response.content.decode()


def test_the_staff_landing_needs_a_login(client):
    response = client.get(reverse("agencies:staff_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_handler_logs_in_and_sees_their_agency_and_role(client):
    agency = AgencyFactory(name="Sở Nông nghiệp và Môi trường")
    user = member(Role.HANDLER, agency, username="hoa")
    response = client.post(
        reverse("login"), {"username": "hoa", "password": "mat-khau-thu-nghiem"}, follow=True
    )
    body = response.content.decode()
    assert response.wsgi_request.user == user
    assert "Sở Nông nghiệp và Môi trường" in body
    assert "Cán bộ xử lý" in body


def test_a_wrong_password_says_so_in_vietnamese(client):
    member(Role.HANDLER, username="hoa")
    response = client.post(reverse("login"), {"username": "hoa", "password": "sai"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_healthz_reports_the_database_and_the_broker(client):
    response = client.get("/healthz")
    data = response.json()
    assert data["database"]["ok"] is True
    assert data["broker"]["ok"] is True
    assert response.status_code == 200


def test_the_admin_index_is_in_vietnamese(admin_client):
    response = admin_client.get("/admin/")
    assert "Quản trị civic-portal" in response.content.decode()


def test_guessing_a_password_is_paused_after_ten_tries(client):
    member(Role.HANDLER, username="hoa")
    for _ in range(10):
        client.post(reverse("login"), {"username": "hoa", "password": "sai"})
    response = client.post(reverse("login"), {"username": "hoa", "password": "mat-khau-thu-nghiem"})
    assert response.status_code == 429
    assert "Quá nhiều lần đăng nhập sai" in response.content.decode()


def _english_home(client) -> str:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client.get("/").content.decode()


def test_the_home_page_states_the_deadlines_of_the_policies_in_force_today(client, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    from agencies.models import DeadlinePolicy

    time_machine.move_to("2026-08-03 09:00:00+07:00", tick=False)
    body = _english_home(client)
    # Complaints are accepted within 7 working days since 01/07/2026 (the policy rows).
    assert "10 working days of receipt" not in body
    assert "A complaint is handled within 7 working days of receipt" in body
    assert "a denunciation within 7 working days" in body
    assert "30 days of acceptance (45 in complex cases or remote areas, 60 in both)" in body
    # A province changes a policy from today on: the page follows.
    yesterday = timezone.localdate() - timedelta(days=1)
    DeadlinePolicy.objects.create(
        key="complaint1.resolution",
        name="Giải quyết khiếu nại lần đầu",
        days=25,
        working_days=False,
        complex_days=40,
        remote_days=40,
        complex_remote_days=55,
        effective_from=yesterday,
        legal_basis="Luật mới",
    )
    DeadlinePolicy.objects.create(
        key="complaint1.acceptance",
        name="Thụ lý khiếu nại lần đầu",
        days=5,
        working_days=True,
        effective_from=yesterday,
        legal_basis="Luật mới",
    )
    body = client.get("/").content.decode()
    assert "A complaint is handled within 5 working days of receipt" in body
    assert "25 days of acceptance (40 in complex cases or remote areas, 55 in both)" in body
