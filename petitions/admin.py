from __future__ import annotations

from django.contrib import admin

from casework.admin import CaseEventInline, ReadOnlyAdmin

from .models import Attachment, Extension, IdentityReveal, Petition, PetitionEvent, Suspension


class EventInline(CaseEventInline):
    model = PetitionEvent


@admin.register(Petition)
class PetitionAdmin(ReadOnlyAdmin):
    """Read-only: every change goes through the services (and so writes an event)."""

    list_display = ["reference", "kind", "status", "handling_agency", "received_on", "clock_due_on"]
    list_filter = ["kind", "status", "channel", "field"]
    search_fields = ["reference", "subject"]
    list_select_related = ["handling_agency"]
    date_hierarchy = "received_on"
    exclude = ["identity"]
    inlines = [EventInline]


@admin.register(IdentityReveal)
class IdentityRevealAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "petition", "reason"]
    list_select_related = ["user", "petition"]
    search_fields = ["petition__reference", "user__username", "reason"]
    date_hierarchy = "created_at"


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    # No file link: a denouncer's document is opened only through the case page,
    # which checks the reader and logs the reveal.
    list_display = ["petition", "original_name", "content_type", "size", "is_identifying"]
    exclude = ["file"]


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyAdmin):
    list_display = ["petition", "days", "decision_number", "previous_due_on", "new_due_on"]


@admin.register(Suspension)
class SuspensionAdmin(ReadOnlyAdmin):
    list_display = ["petition", "started_on", "ended_on", "decision_number"]
