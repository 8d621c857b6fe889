from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import AdministrativeUnit, Agency, Membership


def memberships_of(user: Any) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("agency", "agency__unit")
        .order_by("agency__name", "role")
    )


def agencies_in_province(province_id: int) -> QuerySet[Agency]:
    return Agency.objects.filter(province_id=province_id, is_active=True).order_by("name")


def communes_of(province_id: int) -> QuerySet[AdministrativeUnit]:
    return AdministrativeUnit.objects.filter(
        parent_id=province_id, level=AdministrativeUnit.Level.COMMUNE
    ).order_by("name")
