"""notify_many(): what one notify() per request writes, in a constant number of
queries and one broker message for the e-mails (the reminder sweep's batches)."""

from __future__ import annotations

import logging

import pytest
from django.core import mail

from notifications import services
from notifications.models import Notice
from notifications.services import NoticeRequest, notice_deliver_due, notify, notify_many
from notifications.tasks import deliver_notices
from tests.factories import UserFactory
from tests.notifications.conftest import CLOSED_BROKER_URL, broker_at
from tests.notifications.factories import NotificationPreferenceFactory

pytestmark = pytest.mark.django_db

CONTEXT = {"title": "Hồ sơ 42 sắp đến hạn", "message": "Còn 3 ngày làm việc."}


def _request(**kwargs) -> NoticeRequest:
    defaults = {
        "key": "petition:42:handling:due_soon",
        "kind": "reminder.due_soon",
        "template": "notice",
        "context": CONTEXT,
        "url": "/staff/petitions/42/",
    }
    return NoticeRequest(**{**defaults, **kwargs})


def _columns(notice: Notice) -> dict:
    skip = {"id", "created_at", "sent_at", "next_attempt_at", "email"}
    return {
        field.attname: getattr(notice, field.attname)
        for field in Notice._meta.concrete_fields
        if field.attname not in skip
    } | {"address": notice.address}


def test_the_rows_are_the_ones_notify_writes():
    english = NotificationPreferenceFactory(language="en").user
    users = [
        UserFactory(first_name="Hoa & <Lan>", last_name="Lê", email="hoa@example.gov.vn"),
        UserFactory(first_name="Bình", last_name="Trần"),
        UserFactory(first_name="", last_name=""),  # greeted without a name
        english,
    ]
    requests = [_request(user=u) for u in users] + [
        _request(email="cong.dan@example.vn", language="en-gb")
    ]
    batched = sorted((_columns(n) for n in notify_many(requests)), key=lambda c: c["key"])
    Notice.objects.all().delete()
    one_by_one = [notify(**{f: getattr(r, f) for f in r.__dataclass_fields__}) for r in requests]
    expected = sorted((_columns(n) for ns in one_by_one for n in ns), key=lambda c: c["key"])
    assert batched == expected
    assert len(batched) == 9  # four users on both channels, a citizen by e-mail
    assert any("Hoa &amp; &lt;Lan&gt; Lê" in c["body_html"] for c in batched)
    assert any("Hoa & <Lan> Lê" in c["body_text"] for c in batched)
    assert {c["language"] for c in batched if c["user_id"] == english.pk} == {"en"}


def test_one_steps_recipients_share_one_rendering_each_with_their_own_name(monkeypatch):
    rendered: list[dict] = []
    real = services.render_notice
    monkeypatch.setattr(services, "render_notice", lambda **kw: rendered.append(kw) or real(**kw))
    names = ["An", "Bình", "Chi"]
    users = [UserFactory(first_name=name, last_name="Nguyễn") for name in names]
    notices = notify_many([_request(user=u, channels=("email",)) for u in users])
    assert len(rendered) == 1
    for name, notice in zip(names, notices, strict=True):
        assert notice.body_text.startswith(f"Kính gửi {name} Nguyễn,")
        assert f"{name} Nguyễn" in notice.body_html
        assert services.NAME_STAND_IN not in notice.body_text + notice.body_html


def test_requests_already_written_create_nothing_and_render_nothing(
    django_assert_num_queries,
):
    users = [UserFactory() for _ in range(3)]
    notify_many([_request(user=u) for u in users])
    # 1. SELECT the keys that already exist — then nothing to do
    with django_assert_num_queries(1):
        assert notify_many([_request(user=u) for u in users]) == []


def test_the_queries_do_not_grow_with_the_requests(django_assert_num_queries):
    users = [UserFactory() for _ in range(10)]
    # 1. the keys already written; 2. the users' languages; SAVEPOINT, 3. one INSERT
    # of the twenty rows, RELEASE.
    with django_assert_num_queries(5):
        assert len(notify_many([_request(user=u) for u in users])) == 20


def test_a_key_written_meanwhile_by_another_process_is_kept_and_the_rest_created(
    monkeypatch,
):
    first, second = UserFactory(), UserFactory()
    (taken, _in_app) = notify(**{**_request().__dict__, "user": first})
    # The other process wrote its row after our SELECT of the existing keys.
    monkeypatch.setattr(services, "_existing_keys", lambda keys: set())
    created = notify_many([_request(user=first), _request(user=second)])
    assert sorted(n.user_id for n in created) == [second.pk, second.pk]
    assert Notice.objects.filter(user=first).count() == 2
    assert Notice.objects.get(pk=taken.pk).key == taken.key


def test_the_e_mails_are_queued_after_commit_in_one_message(
    django_capture_on_commit_callbacks,
):
    users = [UserFactory() for _ in range(4)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify_many([_request(user=u) for u in users])
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert len(mail.outbox) == 4
    assert set(Notice.objects.filter(channel="email").values_list("status", flat=True)) == {
        Notice.Status.SENT
    }


def test_a_batch_of_e_mails_is_split_into_messages_of_a_bounded_size(monkeypatch):
    published: list[list[int]] = []
    monkeypatch.setattr(services, "EMAILS_PER_TASK", 2)
    monkeypatch.setattr(
        services, "_publish", lambda task, args, *, what: published.append(args[0]) or True
    )
    assert services.queue_deliveries(notice_ids=[1, 2, 3, 4, 5])
    assert published == [[1, 2], [3, 4], [5]]


def test_an_unreachable_broker_leaves_the_batch_pending_for_the_resend_sweep(
    django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.WARNING, logger="notifications.services")
    with (
        broker_at(CLOSED_BROKER_URL),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify_many([_request(user=UserFactory()), _request(email="cong.dan@example.vn")])
    assert "delivery not queued" in caplog.text
    assert mail.outbox == []
    assert notice_deliver_due() == 2
    assert len(mail.outbox) == 2


def test_the_batch_task_sends_each_e_mail_once_and_retries_a_failed_one(monkeypatch):
    users = [UserFactory() for _ in range(2)]
    ids = [n.pk for n in notify_many([_request(user=u, channels=("email",)) for u in users])]
    mail.outbox.clear()
    assert deliver_notices(ids) == {"sent": 2}
    assert deliver_notices(ids) == {"not_claimed": 2}  # a redelivered message
    assert len(mail.outbox) == 2

    retried: list[dict] = []
    (failing,) = notify_many([_request(key="other", user=users[0], channels=("email",))])

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    monkeypatch.setattr(
        "notifications.tasks.deliver_notice.apply_async", lambda **kw: retried.append(kw)
    )
    assert deliver_notices([failing.pk]) == {"retry": 1}
    assert retried == [{"args": [failing.pk], "countdown": services.retry_delay(1) + 1}]
