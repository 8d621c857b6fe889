"""The audit of two-factor authentication: who enrolled, used a recovery code, made new
codes, or had their devices reset by whom and why. The devices themselves are
django-otp's (otp_totp.TOTPDevice, otp_static.StaticDevice)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TwoFactorEvent(models.Model):
    class Kind(models.TextChoices):
        ENROLLED = "enrolled", _("Set up an authenticator app")
        RECOVERY_USED = "recovery_used", _("Logged in with a recovery code")
        NEW_CODES = "new_codes", _("Made new recovery codes")
        RESET = "reset", _("Two-factor authentication reset")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="two_factor_events",
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    # Who did it when it was not the user: the lead or administrator who reset the
    # devices; empty for the user's own steps and for the server console.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("two-factor event")
        verbose_name_plural = _("two-factor events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"], name="twofactor_event_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()}"
