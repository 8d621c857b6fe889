"""Load the 34 provinces and 3,321 communes of the 2025 reform from `vietnam-provinces`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from vietnam_provinces import Province, VietNamDivisionType, Ward

from agencies.models import AdministrativeUnit

KINDS = {
    VietNamDivisionType.TINH: AdministrativeUnit.Kind.PROVINCE,
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: AdministrativeUnit.Kind.CITY,
    VietNamDivisionType.XA: AdministrativeUnit.Kind.COMMUNE,
    VietNamDivisionType.PHUONG: AdministrativeUnit.Kind.WARD,
    VietNamDivisionType.DAC_KHU: AdministrativeUnit.Kind.SPECIAL_ZONE,
}
Level = AdministrativeUnit.Level


class Command(BaseCommand):
    help = "Load official administrative units (idempotent: existing codes are updated)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        existing = {
            (level, code): pk
            for pk, level, code in AdministrativeUnit.objects.values_list("pk", "level", "code")
        }
        created = 0
        province_pk: dict[str, int] = {}
        for province in Province.iter_all():
            code = f"{int(province.code):02d}"
            key = (Level.PROVINCE, code)
            values: dict[str, str | int] = {
                "name": province.name,
                "kind": KINDS[province.division_type],
            }
            if key in existing:
                AdministrativeUnit.objects.filter(pk=existing[key]).update(**values)
                province_pk[code] = existing[key]
            else:
                unit = AdministrativeUnit.objects.create(level=Level.PROVINCE, code=code, **values)
                province_pk[code] = unit.pk
                created += 1
        new_communes = []
        for ward in Ward.iter_all():
            code = f"{int(ward.code):05d}"
            parent = province_pk[f"{int(ward.province_code):02d}"]
            key = (Level.COMMUNE, code)
            values = {"name": ward.name, "kind": KINDS[ward.division_type], "parent_id": parent}
            if key in existing:
                AdministrativeUnit.objects.filter(pk=existing[key]).exclude(**values).update(
                    **values
                )
            else:
                new_communes.append(AdministrativeUnit(level=Level.COMMUNE, code=code, **values))
        AdministrativeUnit.objects.bulk_create(new_communes, batch_size=500)
        created += len(new_communes)
        provinces = AdministrativeUnit.objects.filter(level=Level.PROVINCE).count()
        communes = AdministrativeUnit.objects.filter(level=Level.COMMUNE).count()
        self.stdout.write(f"Units: {provinces} provinces, {communes} communes ({created} created).")
