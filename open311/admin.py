"""Administrators manage partner systems here: a new partner gets a key shown once,
"issue a new key" replaces it, "revoke" stops it; the filed requests are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Jurisdiction, Partner, PartnerRequest


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["jurisdiction_id", "province", "is_active"]
    raw_id_fields = ["province"]


def _show_key(request: HttpRequest, issued: services.IssuedKey) -> None:
    # The only time the key is readable: the database keeps its digest alone.
    messages.warning(
        request,
        gettext(
            "API key for %(partner)s (shown only now; copy it and hand it over securely): "
            "%(key)s — valid until %(until)s."
        )
        % {
            "partner": issued.partner.name,
            "key": issued.key,
            "until": f"{issued.partner.expires_on:%d/%m/%Y}",
        },
    )


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "jurisdiction", "key_prefix", "expires_on", "revoked_at"]
    list_filter = ["jurisdiction"]
    readonly_fields = ["key_prefix", "revoked_at", "created_at"]
    fields = [
        "name",
        "jurisdiction",
        "contact",
        "expires_on",
        "requests_per_hour",
        "key_prefix",
        "revoked_at",
        "created_at",
    ]
    actions = ["issue_new_key", "revoke"]

    def save_model(self, request: HttpRequest, obj: Partner, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        issued = services.partner_create(
            name=obj.name,
            jurisdiction=obj.jurisdiction,
            contact=obj.contact,
            expires_on=obj.expires_on,
        )
        if obj.requests_per_hour != issued.partner.requests_per_hour:
            Partner.objects.filter(pk=issued.partner.pk).update(
                requests_per_hour=obj.requests_per_hour
            )
        obj.pk = issued.partner.pk
        _show_key(request, issued)

    @admin.action(description=_("Issue a new key (the old one stops working)"))
    def issue_new_key(self, request: HttpRequest, queryset: QuerySet[Partner]) -> None:
        for partner in queryset:
            _show_key(request, services.partner_issue_key(partner=partner))

    @admin.action(description=_("Revoke the key"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Partner]) -> None:
        for partner in queryset:
            services.partner_revoke(partner=partner)
        messages.success(request, gettext("The selected keys were revoked."))


@admin.register(PartnerRequest)
class PartnerRequestAdmin(admin.ModelAdmin):
    list_display = ["petition", "partner", "service_code", "created_at"]
    list_filter = ["partner", "jurisdiction"]
    list_select_related = ["petition", "partner"]
    readonly_fields = [f.name for f in PartnerRequest._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
