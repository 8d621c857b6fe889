"""The audit of two-factor events, read-only; django-otp's own device pages are taken
out of the admin: a device is reset on the colleagues' page (or `manage.py
reset_two_factor`), which writes the audit row, and no one reads another's key."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import TwoFactorEvent

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(TwoFactorEvent)
class TwoFactorEventAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "kind", "actor")
    list_filter = ("kind",)
    search_fields = ("user__username", "actor__username")
    readonly_fields = ("at", "user", "kind", "actor", "reason")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
