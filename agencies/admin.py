from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import (
    AdministrativeUnit,
    Agency,
    CalendarDay,
    DeadlinePolicy,
    Locality,
    Membership,
)

admin.site.site_header = _("civic-portal administration")
admin.site.site_title = _("civic-portal")
admin.site.index_title = _("Reference data and users")

# Fields that grant rights beyond the roles; only a superuser may set them, or an
# administrator with "change user" could make themselves one and read every table.
PRIVILEGE_FIELDS = ("is_superuser", "groups", "user_permissions")


class ReferenceDataUserAdmin(UserAdmin):
    """Django's user admin; to anyone but a superuser, the privilege fields are hidden."""

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (
                name,
                {**options, "fields": [f for f in options["fields"] if f not in PRIVILEGE_FIELDS]},
            )
            for name, options in fieldsets
        ]

    def get_list_filter(self, request: HttpRequest) -> Any:
        if request.user.is_superuser:
            return super().get_list_filter(request)
        return ("is_staff", "is_active")


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), ReferenceDataUserAdmin)


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "commune", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "commune__name"]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune"]


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "unit", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    list_select_related = ["unit", "parent"]
    autocomplete_fields = ["unit", "parent"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "agency__name"]
    list_select_related = ["user", "agency"]
    autocomplete_fields = ["user", "agency"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "name", "legal_basis"]
    list_filter = ["kind"]
    search_fields = ["name", "legal_basis"]
    date_hierarchy = "date"


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = [
        "key",
        "name",
        "days",
        "working_days",
        "complex_days",
        "remote_days",
        "extension_days",
        "max_extensions",
        "effective_from",
        "legal_basis",
    ]
    list_filter = ["key", "working_days"]
    search_fields = ["key", "name", "legal_basis"]
