from django.contrib import admin

from .models import Attachment, Extension, IdentityReveal, Petition, PetitionEvent, Suspension


class EventInline(admin.TabularInline):
    model = PetitionEvent
    extra = 0
    can_delete = False
    fields = [
        "created_at",
        "action",
        "from_status",
        "to_status",
        "actor",
        "agency",
        "is_public",
        "note",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Petition)
class PetitionAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the services (and so writes an event)."""

    list_display = ["reference", "kind", "status", "handling_agency", "received_on", "clock_due_on"]
    list_filter = ["kind", "status", "channel", "field"]
    search_fields = ["reference", "subject"]
    list_select_related = ["handling_agency"]
    date_hierarchy = "received_on"
    exclude = ["identity"]
    inlines = [EventInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(IdentityReveal)
class IdentityRevealAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "petition", "reason"]
    list_select_related = ["user", "petition"]
    search_fields = ["petition__reference", "user__username", "reason"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only the services write (each with its event): view, never edit."""

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


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
