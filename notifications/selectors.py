"""Reads of the outbox: the bell, the list page, a recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import get_supported_language_variant

from .models import Notice, NotificationPreference

# The bell shows "99+" beyond this; counting at most this many rows keeps the query
# cheap for someone who never reads their notices.
UNREAD_COUNT_CAP = 100


def unread_count(*, user: User) -> int:
    """Unread in-app notices of `user`, counted up to UNREAD_COUNT_CAP: one query."""
    # SELECT COUNT(*) FROM (… LIMIT 100) over notice_unread_idx.
    return Notice.objects.filter(user=user, channel=Notice.Channel.IN_APP, read_at__isnull=True)[
        :UNREAD_COUNT_CAP
    ].count()


def notices_for(*, user: User) -> QuerySet[Notice]:
    """The user's in-app notices, newest first (over notice_user_recent_idx)."""
    return (
        Notice.objects.filter(user=user, channel=Notice.Channel.IN_APP)
        .only(
            "id",
            "kind",
            "subject",
            "body_text",
            "url",
            "created_at",
            "read_at",
            "template",
            "context",
        )
        .order_by("-created_at", "-id")
    )


def supported_language(language: str | None) -> str:
    """`language` if the portal speaks it (or a variant of it), else the default."""
    if language:
        try:
            return get_supported_language_variant(language)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


def language_of(*, user: User) -> str:
    """The language a user reads notices in: their preference, else the portal's."""
    preferred = (
        NotificationPreference.objects.filter(user=user).values_list("language", flat=True).first()
    )
    return supported_language(preferred)
