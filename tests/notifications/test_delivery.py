import logging
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications import services
from notifications.models import Notice
from notifications.services import DeliveryOutcome, notice_deliver, notice_deliver_due
from notifications.tasks import deliver_notice, resend_pending
from tests.notifications.factories import EmailNoticeFactory, InAppNoticeFactory

pytestmark = pytest.mark.django_db

# What leaves the system: the e-mail backend's send.
SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


def test_a_pending_e_mail_is_sent_once_into_the_outbox():
    notice = EmailNoticeFactory(address="cong.dan@example.vn", subject="Đơn đã được thụ lý")
    assert deliver_notice(notice.pk) == "sent"
    assert deliver_notice(notice.pk) == "not_claimed"

    (message,) = mail.outbox
    assert message.to == ["cong.dan@example.vn"]
    assert message.subject == "Đơn đã được thụ lý"
    assert message.alternatives[0][1] == "text/html"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT
    assert notice.sent_at is not None
    assert notice.attempts == 1
    assert notice.claimed_until is None


def test_a_failing_smtp_server_is_retried_with_growing_delays_then_marked_failed(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    notice = EmailNoticeFactory()
    delays = []
    with mock.patch(SEND, side_effect=smtplib.SMTPServerDisconnected("connection lost")):
        while True:
            delivery = notice_deliver(notice_id=notice.pk)
            if delivery.outcome != DeliveryOutcome.RETRY:
                break
            delays.append(delivery.retry_in)
            # not due yet: a retry that comes early sends nothing
            assert notice_deliver(notice_id=notice.pk).outcome == DeliveryOutcome.NOT_CLAIMED
            time_machine.shift(timedelta(seconds=delivery.retry_in))

    assert delivery.outcome == DeliveryOutcome.FAILED
    assert delays == [30, 120, 480, 1920, 7680]
    notice.refresh_from_db()
    assert notice.status == Notice.Status.FAILED
    assert notice.attempts == services.MAX_ATTEMPTS
    assert notice.last_error == "SMTPServerDisconnected: connection lost"
    assert mail.outbox == []


def test_the_task_asks_celery_for_a_retry_once_the_row_is_due_again(caplog):
    caplog.set_level(logging.INFO, logger="celery.app.trace")
    notice = EmailNoticeFactory()
    with mock.patch(SEND, side_effect=ConnectionRefusedError(111, "Connection refused")):
        deliver_notice.apply(args=[notice.pk])
    # 30 s of backoff, plus one so that the row is due when the retry claims it
    assert "retry: Retry in 31s" in caplog.text
    notice.refresh_from_db()
    assert notice.status == Notice.Status.PENDING
    assert notice.attempts == 1
    assert "Connection refused" in notice.last_error


def test_a_refused_recipient_fails_at_once_without_retries():
    notice = EmailNoticeFactory()
    refused = smtplib.SMTPRecipientsRefused({notice.address: (550, b"No such user")})
    with mock.patch(SEND, side_effect=refused):
        assert notice_deliver(notice_id=notice.pk).outcome == DeliveryOutcome.FAILED
    notice.refresh_from_db()
    assert notice.status == Notice.Status.FAILED
    assert notice.attempts == 1


def test_the_sweep_sends_due_rows_exactly_once_even_when_called_twice():
    due = EmailNoticeFactory.create_batch(3)
    EmailNoticeFactory(next_attempt_at=timezone.now() + timedelta(minutes=5))
    EmailNoticeFactory(status=Notice.Status.SENT, sent_at=timezone.now())
    EmailNoticeFactory(status=Notice.Status.FAILED)

    assert resend_pending() == 3
    assert resend_pending() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(n.address for n in due)


def test_a_claim_held_by_a_live_worker_is_left_alone_and_an_expired_one_is_picked_up_again(
    time_machine,
):
    time_machine.move_to(timezone.now(), tick=False)
    notice = EmailNoticeFactory()
    # a worker claimed the row and was killed before it could send
    assert services._claim(notice_id=notice.pk, now=timezone.now()) is not None

    assert notice_deliver_due() == 0
    time_machine.shift(timedelta(seconds=services.CLAIM_SECONDS - 1))
    assert notice_deliver_due() == 0
    time_machine.shift(timedelta(seconds=2))
    assert notice_deliver_due() == 1
    assert len(mail.outbox) == 1
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT
    assert notice.attempts == 2


def test_a_message_that_kills_its_worker_every_time_ends_failed(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    notice = EmailNoticeFactory(
        attempts=services.MAX_ATTEMPTS,
        claimed_until=timezone.now() - timedelta(seconds=1),
    )
    assert notice_deliver_due() == 1
    notice.refresh_from_db()
    assert notice.status == Notice.Status.FAILED
    assert mail.outbox == []


def test_the_sweep_holds_one_row_at_a_time_and_stops_at_its_limit():
    EmailNoticeFactory.create_batch(5)
    with CaptureQueriesContext(connection) as queries:
        assert notice_deliver_due(limit=3) == 3
    assert len(mail.outbox) == 3
    reads = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and "notifications_notice" in q["sql"]
    ]
    # each read is either "the next due id" (LIMIT 1) or one row by its id
    assert reads
    assert all("LIMIT 1" in sql or '"id" = ' in sql for sql in reads), reads
    assert Notice.objects.filter(status=Notice.Status.PENDING).count() == 2


def test_a_sweep_that_hits_its_limit_queues_another_run(monkeypatch):
    monkeypatch.setattr(services, "SWEEP_LIMIT", 2)
    EmailNoticeFactory.create_batch(5)
    # Celery is eager in these tests: the follow-up runs happen inside this call
    resend_pending()
    assert len(mail.outbox) == 5
    assert not Notice.objects.filter(status=Notice.Status.PENDING).exists()


def test_a_resent_e_mail_keeps_its_message_id_so_mail_clients_collapse_duplicates():
    notice = EmailNoticeFactory()
    deliver_notice(notice.pk)
    services.notices_send_again(notice_ids=[notice.pk])
    deliver_notice(notice.pk)
    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert first.extra_headers["Message-ID"].startswith(f"<notice-{notice.pk}.")


def test_sending_again_resets_a_failed_e_mail_and_queues_it_after_commit(
    django_capture_on_commit_callbacks,
):
    notice = EmailNoticeFactory(
        status=Notice.Status.FAILED, attempts=services.MAX_ATTEMPTS, last_error="boom"
    )
    in_app = InAppNoticeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notices_send_again(notice_ids=[notice.pk, in_app.pk]) == 1
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT
    assert notice.attempts == 1
    assert len(mail.outbox) == 1
