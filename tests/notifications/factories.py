"""Outbox rows for tests that start from a notice rather than from notify()."""

from __future__ import annotations

import factory
from django.utils import timezone

from notifications.models import Notice, NotificationPreference
from sealing.crypto import encrypt
from tests.factories import UserFactory


class EmailNoticeFactory(factory.django.DjangoModelFactory):
    """A pending e-mail to a citizen, due now."""

    class Meta:
        model = Notice

    key = factory.Sequence(lambda n: f"test:{n}:email")
    kind = "test.notice"
    channel = Notice.Channel.EMAIL

    class Params:
        address = factory.Sequence(lambda n: f"cong.dan{n}@example.vn")

    # Stored encrypted, as notify() does.
    email = factory.LazyAttribute(lambda o: encrypt(o.address))
    language = "vi"
    subject = factory.Sequence(lambda n: f"Thông báo số {n}")
    body_text = "Nội dung thông báo.\n"
    body_html = "<p>Nội dung thông báo.</p>"
    status = Notice.Status.PENDING
    next_attempt_at = factory.LazyFunction(timezone.now)


class InAppNoticeFactory(factory.django.DjangoModelFactory):
    """An unread notice in a staff member's bell."""

    class Meta:
        model = Notice

    key = factory.Sequence(lambda n: f"test:{n}:in_app")
    kind = "test.notice"
    channel = Notice.Channel.IN_APP
    user = factory.SubFactory(UserFactory)
    language = "vi"
    subject = factory.Sequence(lambda n: f"Hồ sơ số {n} sắp đến hạn")
    body_text = "Nội dung thông báo.\n"
    url = "/staff/"
    status = Notice.Status.SENT
    sent_at = factory.LazyFunction(timezone.now)
    next_attempt_at = factory.LazyFunction(timezone.now)


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationPreference
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    language = "en"
