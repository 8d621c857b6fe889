"""The outbox: one row per message per channel, written before any delivery is tried.

The app knows no case types. Callers (petitions, recommendations…) hand
`notifications.services.notify()` a recipient, a template and a unique key; the row
keeps the rendered text, so delivery never needs the case again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def language_choices() -> list[tuple[str, str]]:
    # A callable, so settings are read when choices are needed, not at import time.
    return [(code, str(name)) for code, name in settings.LANGUAGES]


class Notice(models.Model):
    """A message to a user (staff) or to a bare e-mail address (a citizen), on one channel."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        IN_APP = "in_app", _("In the portal")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    # The caller's key plus recipient and channel: the unique index is what makes a
    # reminder exactly-once however many sweeps or processes ask for it.
    key = models.CharField(_("key"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=60)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # db_index off: notice_user_recent_idx starts with user and serves the same lookups.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
        db_index=False,
    )
    # The address at the time of notify(), encrypted (sealing.crypto): a citizen's
    # address — a denouncer's above all — is personal data; read it with `address`.
    email = models.TextField(_("e-mail address (encrypted)"), blank=True, editable=False)
    language = models.CharField(_("language"), max_length=8, choices=language_choices)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # An in-app notice keeps what it was rendered from, so that the bell reads in its
    # reader's language of the day (values.py); e-mails are rendered once, when sent.
    template = models.CharField(_("template"), max_length=200, blank=True, editable=False)
    context = models.JSONField(_("its values"), default=dict, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    # A delivery claims the row for a while; if its worker dies, the claim simply
    # runs out and the resend sweep takes the row again.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    claim_token = models.UUIDField(_("claim"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [
            # services._claim_next_due(): the oldest due row among the pending ones;
            # partial, so sent history never slows the sweep down.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="notice_pending_due_idx",
            ),
            # selectors.unread_count(): the bell's COUNT on every staff page.
            models.Index(
                fields=["user"],
                condition=Q(channel="in_app", read_at__isnull=True),
                name="notice_unread_idx",
            ),
            # selectors.notices_for(): the list page, newest first; also serves the
            # cascade when a user is deleted.
            models.Index(fields=["user", "-created_at"], name="notice_user_recent_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel="in_app", user__isnull=False)
                | (Q(channel="email") & ~Q(email="")),
                name="notice_has_a_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("notifications:open", args=[self.pk])

    @property
    def address(self) -> str:
        from sealing.crypto import decrypt

        return decrypt(self.email) or ""

    @property
    def recipient(self) -> str:
        """Who it is for, as lists show it: the user, never a citizen's address."""
        if self.user_id:
            return str(self.user)
        return str(_("a citizen (address encrypted)"))

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def reader_subject(self) -> str:
        """The subject in the active language: rendered again from what the notice was
        made of, when it kept it (in-app notices), else as it was written."""
        if not self.template:
            return self.subject
        from .rendering import render_subject
        from .values import decode_all

        try:
            return render_subject(template=self.template, context=decode_all(self.context))
        except (TemplateDoesNotExist, TemplateSyntaxError):
            return self.subject  # a template renamed since: the subject as it was written


class NotificationPreference(models.Model):
    """A staff member's choices for what the portal sends them; for now the language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    language = models.CharField(
        _("language of notices"),
        max_length=8,
        choices=language_choices,
        default="vi",
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_language_display()}"
