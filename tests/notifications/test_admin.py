import pytest
from django.core import mail
from django.urls import reverse

from notifications import services
from notifications.models import Notice
from tests.notifications.factories import EmailNoticeFactory, InAppNoticeFactory

pytestmark = pytest.mark.django_db


def test_the_outbox_lists_and_filters_notices(admin_client):
    EmailNoticeFactory(subject="Thư gửi công dân", status=Notice.Status.FAILED)
    InAppNoticeFactory(subject="Thông báo trong cổng")
    changelist = reverse("admin:notifications_notice_changelist")
    body = admin_client.get(changelist, {"status__exact": "failed"}).content.decode()
    assert "Gửi không thành công" in body
    assert (
        "Thông báo trong cổng"
        not in admin_client.get(changelist, {"channel__exact": "email"}).content.decode()
    )


def test_a_notice_is_shown_read_only(admin_client):
    notice = EmailNoticeFactory()
    response = admin_client.get(reverse("admin:notifications_notice_change", args=[notice.pk]))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert admin_client.get(reverse("admin:notifications_notice_add")).status_code == 403


def test_send_again_queues_failed_e_mails_after_commit(
    admin_client, django_capture_on_commit_callbacks
):
    failed = EmailNoticeFactory(
        status=Notice.Status.FAILED, attempts=services.MAX_ATTEMPTS, last_error="timeout"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:notifications_notice_changelist"),
            {"action": "send_again", "_selected_action": [failed.pk]},
            follow=True,
        )
    assert "Đã xếp 1 thư điện tử vào hàng đợi để gửi lại." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == Notice.Status.SENT
    assert len(mail.outbox) == 1
