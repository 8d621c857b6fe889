from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Notice, NotificationPreference


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """The outbox, read-only: rows change only through delivery and "send again"."""

    list_display = [
        "created_at",
        "kind",
        "channel",
        "recipient",
        "language",
        "status",
        "attempts",
        "sent_at",
        "read_at",
    ]
    list_filter = ["status", "channel", "kind", "language"]
    search_fields = ["key", "subject", "user__username"]
    list_select_related = ["user"]
    show_full_result_count = False  # a COUNT over the whole outbox on every page is waste
    actions = ["send_again"]
    # Shown, never edited: the outbox is written by services only.
    fields = (
        "key",
        "kind",
        "channel",
        "user",
        "recipient",
        "language",
        "subject",
        "body_text",
        "body_html",
        "url",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "claimed_until",
        "sent_at",
        "read_at",
    )
    readonly_fields = fields

    @admin.display(description=_("recipient"))
    def recipient(self, notice: Notice) -> str:
        return notice.recipient

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notice | None = None) -> bool:
        return False

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.change_notice")

    @admin.action(description=_("Send the selected e-mails again"), permissions=["resend"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[Notice]) -> None:
        count = services.notices_send_again(notice_ids=queryset.values_list("id", flat=True))
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail is queued to be sent again.",
                "%(count)d e-mails are queued to be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    list_filter = ["language"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
