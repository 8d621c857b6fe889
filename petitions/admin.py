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


for model in (Attachment, Extension, Suspension):
    admin.site.register(model)
