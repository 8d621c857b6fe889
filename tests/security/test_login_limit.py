"""The login limit counts the username as authentication reads it, on both login pages."""

import pytest
from django.urls import reverse

from agencies.models import Role
from tests.factories import member

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-nghiem"
SPELLINGS = ["xuly ", " xuly", "\txuly", "ｘｕｌｙ", "xuly\u00a0", "XuLy", "xuly   "]


def test_every_spelling_of_a_username_shares_one_allowance(client):
    member(Role.HANDLER, username="xuly")
    for attempt in range(10):
        spelling = SPELLINGS[attempt % len(SPELLINGS)]
        client.post(reverse("login"), {"username": spelling, "password": "sai"})
    for spelling in [*SPELLINGS, "xuly"]:
        response = client.post(reverse("login"), {"username": spelling, "password": PASSWORD})
        assert response.status_code == 429, spelling
        assert "Quá nhiều lần đăng nhập sai" in response.content.decode()
        assert int(response["Retry-After"]) > 0
        assert "_auth_user_id" not in client.session


def test_the_admin_login_is_limited_too(client, django_user_model):
    django_user_model.objects.create_superuser("root", "root@example.org", PASSWORD)
    for _ in range(15):
        client.post(reverse("admin:login"), {"username": "root", "password": "sai"})
    response = client.post(
        reverse("admin:login") + "?next=/admin/", {"username": "root", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_another_address_keeps_its_own_allowance(client):
    member(Role.HANDLER, username="xuly")
    for _ in range(10):
        client.post(reverse("login"), {"username": "xuly", "password": "sai"})
    response = client.post(
        reverse("login"),
        {"username": "xuly", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 302


def test_the_lockout_page_speaks_english_too(client):
    member(Role.HANDLER, username="xuly")
    client.cookies["django_language"] = "en"
    for _ in range(11):
        response = client.post(reverse("login"), {"username": "xuly", "password": "sai"})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()


def test_a_forged_forwarded_address_is_counted_without_a_server_error(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    member(Role.HANDLER, username="xuly")
    for _ in range(9):
        response = client.post(
            reverse("login"),
            {"username": "xuly", "password": "sai"},
            HTTP_X_FORWARDED_FOR="not-an-address",
        )
        assert response.status_code == 200
    # The tenth wrong password is the last: its answer already says to wait.
    response = client.post(
        reverse("login"),
        {"username": "xuly", "password": "sai"},
        HTTP_X_FORWARDED_FOR="not-an-address",
    )
    assert response.status_code == 429
    response = client.post(
        reverse("login"),
        {"username": "xuly", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="not-an-address",
    )
    assert response.status_code == 429
