"""What every case machine's admin shares: records with a workflow are read-only there
(each change goes through a service, which writes its event), and a case's events show
as a read-only table under it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

# An event's columns as the admin lists them, oldest first (casework.events.CaseEvent).
EVENT_FIELDS = (
    "created_at",
    "action",
    "from_status",
    "to_status",
    "actor",
    "agency",
    "is_public",
    "note",
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only the services write (each with its event): view, never edit."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseEventInline(admin.TabularInline):
    """A case's events under it; set `model` (and `fk_name` where it has several links)."""

    extra = 0
    can_delete = False
    fields = readonly_fields = EVENT_FIELDS

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
