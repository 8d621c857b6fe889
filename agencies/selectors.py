"""Reads of the directory: memberships, agencies and communes of a province, and the
people a reminder or an escalation goes to."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet

from .models import AdministrativeUnit, Agency, Membership, Role


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("agency", "agency__unit")
        .order_by("agency__name", "role")
    )


def agencies_in_province(province_id: int) -> QuerySet[Agency]:
    return Agency.objects.filter(province_id=province_id, is_active=True).order_by("name")


def communes_of(province_id: int) -> QuerySet[AdministrativeUnit]:
    """A province's communes. A queryset (forms narrow it, the API filters it), ordered
    by name in the database only for a stable order: a list shown to people sorts it
    with agencies.names.vietnamese_sort_key (forms: casework's VietnameseOrderChoiceField)."""
    return AdministrativeUnit.objects.filter(
        parent_id=province_id, level=AdministrativeUnit.Level.COMMUNE
    ).order_by("name")


def members_with_roles(agency_id: int, roles: list[str]) -> QuerySet[User]:
    """Active users holding one of `roles` in the agency (reminder recipients)."""
    return (
        User.objects.filter(
            is_active=True, memberships__agency_id=agency_id, memberships__role__in=roles
        )
        .distinct()
        .order_by("pk")
    )


def monitors_of(province_id: int) -> QuerySet[User]:
    """Active monitors of a province: escalation for long-overdue clocks."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__role=Role.MONITOR,
            memberships__agency__province_id=province_id,
        )
        .distinct()
        .order_by("pk")
    )
