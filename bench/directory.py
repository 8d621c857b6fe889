"""A province-sized directory: the demo agencies of Ninh Bình plus departments and the
People's Committees of many communes, each with a handler and a lead."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from agencies.demo import DEMO_PASSWORD, seed_directory
from agencies.models import AdministrativeUnit, Agency, Membership, Role

# Provincial departments the demo leaves out (after the 2025 reorganisation).
DEPARTMENTS = [
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Công Thương",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ",
    "Sở Dân tộc và Tôn giáo",
    "Sở Ngoại vụ",
    "Ban Quản lý các khu công nghiệp",
    "Công an tỉnh",
    "Bảo hiểm xã hội tỉnh",
]
AGENCY_COUNT = 60
# Share of petitions by demo agency key (relative weights); the big land-and-environment
# department is the one whose handler the inbox measurement logs in as.
DEMO_WEIGHTS = {
    "ubnd": 6.0,
    "hdnd": 0.3,
    "tt_hdnd": 0.7,
    "vp_ubnd": 0.5,
    "thanh_tra": 4.0,
    "so_nnmt": 12.0,
    "so_xd": 6.0,
    "so_yt": 3.0,
    "so_gddt": 3.0,
    "so_tc": 2.0,
}
DEPARTMENT_WEIGHT = 1.5
COMMUNE_WEIGHT = 1.0
BENCH_USER_PREFIX = "bench."


@dataclass
class BenchDirectory:
    province: AdministrativeUnit
    communes: list[AdministrativeUnit]
    agencies: list[Agency]
    weights: list[float]
    handlers: dict[int, list[int]] = field(default_factory=dict)
    leads: dict[int, list[int]] = field(default_factory=dict)
    # The agency of the demo handler `xuly` (Sở NN&MT) and the monitor's username.
    big_agency_id: int = 0


def _commune_agency_name(unit: AdministrativeUnit) -> str:
    kind = "phường" if unit.kind == AdministrativeUnit.Kind.WARD else "xã"
    bare = unit.name.split(" ", 1)[1] if " " in unit.name else unit.name
    return f"Ủy ban nhân dân {kind} {bare}"


@transaction.atomic
def cover_history(first_day: date) -> int:
    """Deadline policies back to `first_day`, in the bench database only.

    Some policy rows start with a decree of 2021; six years of history reach before it.
    Each key's earliest row is copied, effective from `first_day`, as the predecessor
    rule with the same periods (the Law on Complaints 2011 had them); returns the count.
    """
    from agencies.models import DeadlinePolicy

    added = 0
    for key in DeadlinePolicy.objects.values_list("key", flat=True).distinct():
        earliest = DeadlinePolicy.objects.filter(key=key).order_by("effective_from").first()
        if earliest is None or earliest.effective_from <= first_day:
            continue
        earliest.pk = None
        earliest.effective_from = first_day
        earliest.legal_basis = f"(bench) {earliest.legal_basis}"[:300]
        earliest.save()
        added += 1
    return added


def seed_bench_directory() -> BenchDirectory:
    """The demo directory plus enough agencies for AGENCY_COUNT; idempotent."""
    demo = seed_directory()
    ubnd = demo.agencies["ubnd"]
    agencies: list[Agency] = []
    weights: list[float] = []
    for key, agency in demo.agencies.items():
        agencies.append(agency)
        weights.append(DEMO_WEIGHTS.get(key, COMMUNE_WEIGHT))
    for name in DEPARTMENTS:
        full = f"{name} tỉnh Ninh Bình" if name.startswith("Sở") else f"{name} Ninh Bình"
        agency, _ = Agency.objects.get_or_create(
            name=full,
            defaults={
                "short_name": name,
                "kind": Agency.Kind.DEPARTMENT,
                "unit": demo.province,
                "parent": ubnd,
            },
        )
        agencies.append(agency)
        weights.append(DEPARTMENT_WEIGHT)
    taken = {a.unit_id for a in agencies}
    for unit in demo.communes:
        if len(agencies) >= AGENCY_COUNT:
            break
        if unit.pk in taken:
            continue
        name = _commune_agency_name(unit)
        agency, _ = Agency.objects.get_or_create(
            name=name,
            defaults={
                "short_name": name.replace("Ủy ban nhân dân", "UBND"),
                "kind": Agency.Kind.PEOPLES_COMMITTEE,
                "unit": unit,
                "parent": ubnd,
            },
        )
        agencies.append(agency)
        weights.append(COMMUNE_WEIGHT)
    directory = BenchDirectory(
        province=demo.province,
        communes=demo.communes,
        agencies=agencies,
        weights=weights,
        big_agency_id=demo.agencies["so_nnmt"].pk,
    )
    _staff(directory)
    return directory


def _staff(directory: BenchDirectory) -> None:
    """One handler and one lead per agency that has none (reminders need recipients)."""
    user_model = get_user_model()
    # One hash for every bench user: PBKDF2 per user would dominate the directory step.
    password = make_password(DEMO_PASSWORD)
    staffed = {
        (agency_id, role)
        for agency_id, role in Membership.objects.filter(
            agency__in=directory.agencies, role__in=[Role.HANDLER, Role.LEAD]
        ).values_list("agency_id", "role")
    }
    for agency in directory.agencies:
        for role, tag in ((Role.HANDLER, "xuly"), (Role.LEAD, "lanhdao")):
            if (agency.pk, role) in staffed:
                continue
            username = f"{BENCH_USER_PREFIX}{tag}.{agency.pk}"
            user, _ = user_model.objects.get_or_create(
                username=username,
                defaults={
                    "password": password,
                    "email": f"{tag}.{agency.pk}@bench.ninhbinh.gov.vn",
                    "first_name": f"Cán bộ {tag} {agency.short_name or agency.name}"[:150],
                },
            )
            Membership.objects.get_or_create(user=user, agency=agency, role=role)
    for agency_id, user_id, role in Membership.objects.filter(
        agency__in=directory.agencies, role__in=[Role.HANDLER, Role.LEAD]
    ).values_list("agency_id", "user_id", "role"):
        target = directory.handlers if role == Role.HANDLER else directory.leads
        target.setdefault(agency_id, []).append(user_id)
