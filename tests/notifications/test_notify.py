import logging
import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils.translation import gettext_lazy

from notifications.models import Notice
from notifications.services import notice_deliver_due, notify
from tests.conftest import skip_or_fail
from tests.factories import UserFactory
from tests.notifications.conftest import CLOSED_BROKER_URL, broker_at
from tests.notifications.factories import NotificationPreferenceFactory

pytestmark = pytest.mark.django_db


def _notify_generic(**kwargs):
    defaults = {
        "key": "petition:42:handling:due_soon",
        "kind": "reminder.due_soon",
        "template": "notice",
        "context": {"title": "Hồ sơ 42 sắp đến hạn", "message": "Còn 3 ngày làm việc."},
        "url": "/staff/petitions/42/",
    }
    return notify(**{**defaults, **kwargs})


def test_notifying_a_user_creates_one_row_per_channel():
    user = UserFactory(email="hoa@example.gov.vn")
    notices = _notify_generic(user=user)
    by_channel = {n.channel: n for n in notices}
    assert set(by_channel) == {"email", "in_app"}
    assert by_channel["email"].status == Notice.Status.PENDING
    assert by_channel["email"].address == "hoa@example.gov.vn"
    assert by_channel["email"].key == f"petition:42:handling:due_soon:u{user.pk}:email"
    # the bell shows an in-app notice at once: it is "sent" the moment it exists
    assert by_channel["in_app"].status == Notice.Status.SENT
    assert by_channel["in_app"].sent_at is not None
    assert by_channel["in_app"].read_at is None


def test_a_second_call_with_the_same_key_creates_nothing_new():
    user = UserFactory()
    assert len(_notify_generic(user=user)) == 2
    assert _notify_generic(user=user) == []
    assert Notice.objects.count() == 2


def test_the_same_event_reaches_each_recipient_once():
    first, second = UserFactory(), UserFactory()
    _notify_generic(user=first, channels=("in_app",))
    _notify_generic(user=second, channels=("in_app",))
    _notify_generic(user=second, channels=("in_app",))
    assert sorted(Notice.objects.values_list("user_id", flat=True)) == sorted([first.pk, second.pk])


def test_a_repeated_notify_answers_with_one_query_and_renders_nothing(
    django_assert_num_queries,
):
    user = UserFactory()
    _notify_generic(user=user)
    # 1. SELECT the keys that already exist — then nothing to do
    with django_assert_num_queries(1):
        assert _notify_generic(user=user) == []


def test_a_citizen_gets_an_e_mail_and_no_in_app_notice():
    notices = _notify_generic(email="cong.dan@example.vn", language="vi")
    assert [(n.channel, n.user_id, n.address) for n in notices] == [
        ("email", None, "cong.dan@example.vn")
    ]


def test_an_e_mail_to_a_user_without_an_address_is_skipped_cleanly():
    user = UserFactory(email="")
    notices = _notify_generic(user=user)
    assert [n.channel for n in notices] == ["in_app"]


def test_a_citizen_without_an_address_gets_nothing_and_nothing_fails():
    assert _notify_generic(email="") == []
    assert not Notice.objects.exists()


def test_giving_both_a_user_and_an_address_is_a_programming_error():
    with pytest.raises(ValueError):
        _notify_generic(user=UserFactory(), email="a@example.vn")


def test_an_unknown_channel_is_a_programming_error():
    with pytest.raises(ValueError):
        _notify_generic(user=UserFactory(), channels=("sms",))


def test_the_notice_is_written_in_vietnamese_by_default():
    (notice,) = _notify_generic(email="cong.dan@example.vn", channels=("email",))
    assert notice.language == "vi"
    assert notice.subject == "Hồ sơ 42 sắp đến hạn"
    assert notice.body_text.startswith("Xin chào,")
    assert "Mở trên cổng thông tin: http://" in notice.body_text
    assert "/staff/petitions/42/" in notice.body_text
    assert "Thư này do cổng thông tin gửi tự động" in notice.body_text
    assert '<html lang="vi">' in notice.body_html
    assert "Cổng tiếp nhận đơn thư và kiến nghị cử tri" in notice.body_html


def test_a_citizen_who_asked_for_english_gets_english():
    (notice,) = _notify_generic(email="citizen@example.com", language="en-gb")
    assert notice.language == "en"
    assert notice.body_text.startswith("Hello,")
    assert "Open in the portal: http://" in notice.body_text
    assert '<html lang="en">' in notice.body_html
    assert "Petitions and voter recommendations portal" in notice.body_html


def test_a_user_gets_notices_in_their_preferred_language():
    preference = NotificationPreferenceFactory(language="en")
    notices = _notify_generic(
        user=preference.user,
        context={
            "title": gettext_lazy("Notifications"),
            "message": "…",
            "recipient_name": "Hoa",
        },
    )
    assert {n.language for n in notices} == {"en"}
    assert notices[0].body_text.startswith("Dear Hoa,")
    assert notices[0].subject == "Notifications"


def test_lazy_strings_in_the_context_follow_the_recipients_language():
    user = UserFactory()
    (notice,) = _notify_generic(
        user=user, channels=("in_app",), context={"title": gettext_lazy("Notifications")}
    )
    assert notice.subject == "Thông báo"


def test_text_parts_are_not_html_escaped_and_the_html_part_is():
    (notice,) = _notify_generic(
        email="a@example.vn",
        context={"title": "Đơn của ông A & bà B", "message": "<b>x</b> & y"},
    )
    assert notice.subject == "Đơn của ông A & bà B"
    assert "<b>x</b> & y" in notice.body_text
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in notice.body_html


def test_nothing_is_queued_until_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _notify_generic(user=UserFactory())
        # inside the caller's transaction: the row exists, nothing has been sent
        assert Notice.objects.filter(channel="email", status="pending").count() == 1
        assert mail.outbox == []
    # one delivery for the e-mail; the in-app notice needs none
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    assert Notice.objects.get(channel="email").status == Notice.Status.SENT


def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                _notify_generic(email="a@example.vn")
                raise RuntimeError("the citizen's submission failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []
    assert not Notice.objects.exists()


def test_an_unreachable_broker_does_not_fail_the_caller_and_the_sweep_sends_later(
    django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.WARNING, logger="notifications.services")
    with (
        broker_at(CLOSED_BROKER_URL),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        (notice,) = _notify_generic(email="cong.dan@example.vn")
    assert len(callbacks) == 1  # queuing was tried, after commit
    notice.refresh_from_db()
    assert notice.status == Notice.Status.PENDING
    assert mail.outbox == []
    assert "delivery not queued" in caplog.text

    # the broker is back (or not: the sweep needs none when beat calls it in a worker)
    assert notice_deliver_due() == 1
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_processes_notifying_at_once_end_with_one_row_per_channel():
    if connection.vendor == "sqlite":
        # SQLite serialises writers anyway; the race is PostgreSQL's to prove.
        skip_or_fail("concurrent inserts need PostgreSQL")
    user = UserFactory()
    barrier = threading.Barrier(4)
    results: list[int] = []

    def call() -> None:
        try:
            barrier.wait()
            results.append(len(_notify_generic(user=user, channels=("in_app",))))
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 0, 0, 1]
    assert Notice.objects.count() == 1


def test_a_citizens_address_is_stored_encrypted_and_never_in_the_key():
    (notice,) = _notify_generic(email="to.cao.bimat@example.vn", channels=("email",))
    notice.refresh_from_db()
    assert "to.cao.bimat" not in notice.email
    assert "to.cao.bimat" not in notice.key
    assert notice.address == "to.cao.bimat@example.vn"
    assert "example.vn" not in notice.recipient
