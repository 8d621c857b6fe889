"""The demo province's directory: agencies of Ninh Bình and one user per role.

Called by `seed_demo`; idempotent (existing rows are reused).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, Permission

from .models import AdministrativeUnit, Agency, Membership, Role

DEMO_PROVINCE_CODE = "37"  # Tỉnh Ninh Bình, after the 2025 merger with Hà Nam and Nam Định
DEMO_PASSWORD = "demo-2026"  # noqa: S105 — printed on purpose: demo logins only

# (key, name, short name, kind, commune name or None for provincial, parent key)
AGENCIES: list[tuple[str, str, str, str, str | None, str | None]] = [
    (
        "ubnd",
        "Ủy ban nhân dân tỉnh Ninh Bình",
        "UBND tỉnh",
        Agency.Kind.PEOPLES_COMMITTEE,
        None,
        None,
    ),
    (
        "hdnd",
        "Hội đồng nhân dân tỉnh Ninh Bình",
        "HĐND tỉnh",
        Agency.Kind.PEOPLES_COUNCIL,
        None,
        None,
    ),
    (
        "tt_hdnd",
        "Thường trực Hội đồng nhân dân tỉnh Ninh Bình",
        "Thường trực HĐND",
        Agency.Kind.COUNCIL_STANDING,
        None,
        "hdnd",
    ),
    (
        "vp_ubnd",
        "Văn phòng Ủy ban nhân dân tỉnh Ninh Bình",
        "VP UBND tỉnh",
        Agency.Kind.OTHER,
        None,
        "ubnd",
    ),
    (
        "thanh_tra",
        "Thanh tra tỉnh Ninh Bình",
        "Thanh tra tỉnh",
        Agency.Kind.INSPECTORATE,
        None,
        "ubnd",
    ),
    (
        "so_nnmt",
        "Sở Nông nghiệp và Môi trường tỉnh Ninh Bình",
        "Sở NN&MT",
        Agency.Kind.DEPARTMENT,
        None,
        "ubnd",
    ),
    ("so_xd", "Sở Xây dựng tỉnh Ninh Bình", "Sở Xây dựng", Agency.Kind.DEPARTMENT, None, "ubnd"),
    ("so_yt", "Sở Y tế tỉnh Ninh Bình", "Sở Y tế", Agency.Kind.DEPARTMENT, None, "ubnd"),
    (
        "so_gddt",
        "Sở Giáo dục và Đào tạo tỉnh Ninh Bình",
        "Sở GD&ĐT",
        Agency.Kind.DEPARTMENT,
        None,
        "ubnd",
    ),
    ("so_tc", "Sở Tài chính tỉnh Ninh Bình", "Sở Tài chính", Agency.Kind.DEPARTMENT, None, "ubnd"),
    (
        "ubnd_hoa_lu",
        "Ủy ban nhân dân phường Hoa Lư",
        "UBND phường Hoa Lư",
        Agency.Kind.PEOPLES_COMMITTEE,
        "Phường Hoa Lư",
        "ubnd",
    ),
    (
        "ubnd_gia_vien",
        "Ủy ban nhân dân xã Gia Viễn",
        "UBND xã Gia Viễn",
        Agency.Kind.PEOPLES_COMMITTEE,
        "Xã Gia Viễn",
        "ubnd",
    ),
    (
        "ubnd_kim_son",
        "Ủy ban nhân dân xã Kim Sơn",
        "UBND xã Kim Sơn",
        Agency.Kind.PEOPLES_COMMITTEE,
        "Xã Kim Sơn",
        "ubnd",
    ),
    (
        "ubnd_cuc_phuong",
        "Ủy ban nhân dân xã Cúc Phương",
        "UBND xã Cúc Phương",
        Agency.Kind.PEOPLES_COMMITTEE,
        "Xã Cúc Phương",
        "ubnd",
    ),
    (
        "ubnd_phu_ly",
        "Ủy ban nhân dân phường Phủ Lý",
        "UBND phường Phủ Lý",
        Agency.Kind.PEOPLES_COMMITTEE,
        "Phường Phủ Lý",
        "ubnd",
    ),
    (
        "hdnd_gia_vien",
        "Hội đồng nhân dân xã Gia Viễn",
        "HĐND xã Gia Viễn",
        Agency.Kind.PEOPLES_COUNCIL,
        "Xã Gia Viễn",
        None,
    ),
]

# (username, full name, e-mail, [(agency key, role)], reference-data administrator).
# No superuser: a superuser reads every table in Django admin; the administrator gets
# the reference-data permissions only (REFERENCE_DATA_PERMISSIONS).
USERS: list[tuple[str, str, str, list[tuple[str, str]], bool]] = [
    ("xuly", "Nguyễn Thị Hoa", "hoa.nt@snmt.ninhbinh.gov.vn", [("so_nnmt", Role.HANDLER)], False),
    ("lanhdao", "Trần Văn Minh", "minh.tv@snmt.ninhbinh.gov.vn", [("so_nnmt", Role.LEAD)], False),
    (
        "xuly.xa",
        "Phạm Thu Trang",
        "trang.pt@giavien.ninhbinh.gov.vn",
        [("ubnd_gia_vien", Role.HANDLER)],
        False,
    ),
    (
        "lanhdao.xa",
        "Đinh Công Sơn",
        "son.dc@giavien.ninhbinh.gov.vn",
        [("ubnd_gia_vien", Role.LEAD)],
        False,
    ),
    ("xuly.xd", "Lê Hoàng Nam", "nam.lh@sxd.ninhbinh.gov.vn", [("so_xd", Role.HANDLER)], False),
    ("lanhdao.xd", "Vũ Thị Lan", "lan.vt@sxd.ninhbinh.gov.vn", [("so_xd", Role.LEAD)], False),
    (
        "hdnd",
        "Hoàng Minh Tuấn",
        "tuan.hm@hdnd.ninhbinh.gov.vn",
        [("tt_hdnd", Role.COUNCIL_STAFF), ("hdnd", Role.COUNCIL_STAFF)],
        False,
    ),
    (
        "giamsat",
        "Bùi Quang Huy",
        "huy.bq@thanhtra.ninhbinh.gov.vn",
        [("thanh_tra", Role.MONITOR)],
        False,
    ),
    ("quantri", "Đỗ Thanh Bình", "binh.dt@ninhbinh.gov.vn", [("vp_ubnd", Role.ADMIN)], True),
]


# What the admin role manages in Django admin (README "Who may do what"): reference
# data, users, calendars, deadline policies; never a case, the outbox or a group.
REFERENCE_DATA_GROUP = "Quản trị danh mục"
REFERENCE_DATA_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "agencies": ("administrativeunit", "agency", "membership", "calendarday", "deadlinepolicy"),
    "recommendations": ("term", "councilsession"),
    # The receiving leaders and the law's reception numbers (never a day or a booking).
    "schedules": ("leader", "receptionminimum", "onlinereception"),
    # Mediation teams and their members' terms of service (never a case).
    "mediation": ("team", "teammember"),
    "auth": ("user",),
}


def reference_data_group() -> Group:
    group, _created = Group.objects.get_or_create(name=REFERENCE_DATA_GROUP)
    wanted = Permission.objects.filter(
        content_type__app_label__in=REFERENCE_DATA_PERMISSIONS,
    ).select_related("content_type")
    group.permissions.set(
        [
            p
            for p in wanted
            if p.content_type.model in REFERENCE_DATA_PERMISSIONS[p.content_type.app_label]
        ]
    )
    return group


@dataclass
class DemoDirectory:
    province: AdministrativeUnit
    agencies: dict[str, Agency] = field(default_factory=dict)
    users: dict[str, AbstractUser] = field(default_factory=dict)
    communes: list[AdministrativeUnit] = field(default_factory=list)


def seed_directory() -> DemoDirectory:
    province = AdministrativeUnit.objects.get(
        level=AdministrativeUnit.Level.PROVINCE, code=DEMO_PROVINCE_CODE
    )
    communes = {
        u.name: u for u in AdministrativeUnit.objects.filter(parent=province).order_by("code")
    }
    directory = DemoDirectory(province=province, communes=list(communes.values()))
    for key, name, short, kind, commune, parent in AGENCIES:
        unit = communes[commune] if commune else province
        agency, _ = Agency.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "kind": kind,
                "unit": unit,
                "parent": directory.agencies.get(parent) if parent else None,
            },
        )
        directory.agencies[key] = agency
    user_model = get_user_model()
    admins = reference_data_group()
    for username, full_name, email, roles, administrator in USERS:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model.objects.create_user(
                username=username,
                email=email,
                password=DEMO_PASSWORD,
                # Vietnamese names read family name first: keep the whole name in
                # first_name so get_full_name() prints it in the right order.
                first_name=full_name,
                is_staff=administrator,
            )
        if user.is_superuser:  # a demo seeded before issue 16 made its admin one
            user.is_superuser = False
            user.save(update_fields=["is_superuser"])
        if administrator:
            user.groups.add(admins)
        for agency_key, role in roles:
            Membership.objects.get_or_create(
                user=user, agency=directory.agencies[agency_key], role=role
            )
        directory.users[username] = user
    return directory


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, password, what the login is for) for the README and `make run`."""
    described = []
    for username, full_name, _email, roles, administrator in USERS:
        agencies = {key: short for key, _n, short, *_rest in AGENCIES}
        what = ", ".join(f"{Role(role).label} — {agencies[key]}" for key, role in roles)
        if administrator:
            what += " (Django admin)"
        described.append((username, DEMO_PASSWORD, f"{full_name}: {what}"))
    return described
