import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notice, NotificationPreference
from tests.factories import UserFactory
from tests.notifications.factories import InAppNoticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(client):
    user = UserFactory(username="hoa", first_name="Hoa")
    client.force_login(user)
    return user


def _notice_queries(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "notifications_notice" in q["sql"]]


def test_the_bell_shows_the_number_of_unread_notices(client, official):
    InAppNoticeFactory.create_batch(2, user=official)
    InAppNoticeFactory(user=official, read_at=timezone.now())
    InAppNoticeFactory()  # someone else's
    body = client.get(reverse("agencies:staff_home")).content.decode()
    assert 'data-unread="2"' in body
    assert 'aria-label="Thông báo: 2 chưa đọc"' in body


def test_the_bell_shows_no_badge_when_everything_is_read(client, official):
    InAppNoticeFactory(user=official, read_at=timezone.now())
    body = client.get(reverse("agencies:staff_home")).content.decode()
    assert "data-unread" not in body
    assert "Thông báo: không có thông báo chưa đọc" in body


def test_the_bell_caps_its_count(client, official):
    InAppNoticeFactory.create_batch(101, user=official)
    body = client.get(reverse("agencies:staff_home")).content.decode()
    assert re.search(r'data-unread="100">99\+<', body)


@pytest.mark.parametrize("notices", [1, 40])
def test_the_bell_costs_one_query_whatever_the_number_of_notices(client, official, notices):
    InAppNoticeFactory.create_batch(notices, user=official)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("agencies:staff_home"))
    # SELECT COUNT(*) FROM (SELECT … WHERE user_id = %s AND channel = 'in_app'
    #                       AND read_at IS NULL LIMIT 100)
    (count,) = _notice_queries(queries)
    assert "COUNT(" in count


def test_an_anonymous_visitor_sees_no_bell_and_costs_no_notice_query(client):
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("home")).content.decode()
    assert 'id="notice-bell"' not in body
    assert _notice_queries(queries) == []


def test_the_list_shows_the_newest_first_and_highlights_the_unread(client, official):
    older = InAppNoticeFactory(user=official, subject="Hồ sơ cũ", read_at=timezone.now())
    newer = InAppNoticeFactory(user=official, subject="Hồ sơ mới")
    Notice.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=1))
    body = client.get(reverse("notifications:list")).content.decode()
    assert body.index("Hồ sơ mới") < body.index("Hồ sơ cũ")
    items = re.findall(r'<li class="list-group-item[^"]*">.*?</li>', body, re.S)
    assert "list-group-item-warning" in items[0] and "Mới" in items[0]
    assert "list-group-item-warning" not in items[1]
    assert reverse("notifications:open", args=[newer.pk]) in items[0]


def test_the_list_is_paginated(client, official):
    InAppNoticeFactory.create_batch(30, user=official)
    first = client.get(reverse("notifications:list")).content.decode()
    second = client.get(reverse("notifications:list") + "?page=2").content.decode()
    assert len(re.findall(r'<li class="list-group-item', first)) == 25
    assert "Trang 1 / 2" in first
    assert "Trang 2 / 2" in second
    assert len(re.findall(r'<li class="list-group-item', second)) == 5


def test_the_list_shows_only_my_in_app_notices(client, official):
    InAppNoticeFactory(user=official, subject="Của tôi")
    InAppNoticeFactory(subject="Của người khác")
    body = client.get(reverse("notifications:list")).content.decode()
    assert "Của tôi" in body
    assert "Của người khác" not in body


@pytest.mark.parametrize("notices", [3, 60])
def test_the_list_page_costs_the_same_queries_whatever_the_number_of_notices(
    client, official, notices, django_assert_num_queries
):
    InAppNoticeFactory.create_batch(notices, user=official)
    # 1. the session, 2. the user,
    # 3. COUNT(*) of my notices for the paginator, 4. the page of 25 notices,
    # 5. my language preference for the form, 6. the bell's unread COUNT
    with django_assert_num_queries(6):
        response = client.get(reverse("notifications:list"))
    assert response.status_code == 200


def test_the_list_needs_a_login(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_opening_a_notice_marks_it_read_and_follows_its_link(client, official):
    notice = InAppNoticeFactory(user=official, url="/staff/")
    response = client.get(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 302
    assert response.url == "/staff/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    first_read = notice.read_at
    client.get(reverse("notifications:open", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.read_at == first_read  # opening again keeps the first reading time


def test_an_absolute_link_to_the_portal_is_followed_on_the_host_in_use(client, official, settings):
    # Notices written before links were relative name SITE_URL: the bell follows their
    # path on the host and port the official is using, not SITE_URL's.
    settings.SITE_URL = "https://dondu.example.gov.vn"
    notice = InAppNoticeFactory(user=official, url="https://dondu.example.gov.vn/staff/?a=1")
    response = client.get(reverse("notifications:open", args=[notice.pk]))
    assert response.url == "/staff/?a=1"


def test_a_link_to_the_default_site_url_opens_on_another_port(client, official, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    notice = InAppNoticeFactory(user=official, url="http://127.0.0.1:8000/staff/")
    response = client.get(
        reverse("notifications:open", args=[notice.pk]), HTTP_HOST="127.0.0.1:9000"
    )
    assert response.status_code == 302
    assert response.url == "/staff/"


def test_a_link_leaving_the_portal_is_not_followed(client, official):
    notice = InAppNoticeFactory(user=official, url="https://evil.example.com/")
    response = client.get(reverse("notifications:open", args=[notice.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("notifications:list")


def test_someone_elses_notice_cannot_be_opened(client, official):
    notice = InAppNoticeFactory()
    response = client.get(reverse("notifications:open", args=[notice.pk]))
    assert response.status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_all_as_read_marks_only_mine_and_needs_a_post(client, official):
    mine = InAppNoticeFactory.create_batch(3, user=official)
    theirs = InAppNoticeFactory()
    assert client.get(reverse("notifications:read_all")).status_code == 405
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "Tất cả thông báo đã được đánh dấu là đã đọc." in response.content.decode()
    assert all(n.read_at for n in Notice.objects.filter(pk__in=[n.pk for n in mine]))
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "data-unread" not in response.content.decode()


def test_an_official_chooses_the_language_of_their_notices(client, official):
    client.post(reverse("notifications:language"), {"language": "en"})
    assert NotificationPreference.objects.get(user=official).language == "en"
    response = client.post(reverse("notifications:language"), {"language": "fr"}, follow=True)
    assert "Xin chọn một trong các ngôn ngữ có sẵn." in response.content.decode()
    assert NotificationPreference.objects.get(user=official).language == "en"
