"""Django admin for the schedule's reference data: the receiving leaders and the law's
numbers (legal minimums, online reception). Days and bookings are not here: their
changes go through the machines' one door, and bookings hold personal data."""

from __future__ import annotations

from django.contrib import admin

from .models import Leader, OnlineReception, ReceptionMinimum


@admin.register(Leader)
class LeaderAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "kind", "agency", "user", "serves_from", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "title")
    raw_id_fields = ("user",)


@admin.register(ReceptionMinimum)
class ReceptionMinimumAdmin(admin.ModelAdmin):
    list_display = ("leader_kind", "days", "period", "effective_from", "legal_basis")
    list_filter = ("leader_kind",)


@admin.register(OnlineReception)
class OnlineReceptionAdmin(admin.ModelAdmin):
    list_display = ("effective_from", "legal_basis")
