"""The law's reception numbers as rows (Luật Tiếp công dân 42/2013/QH13 as amended by
Luật 136/2025/QH15 from 01/07/2026; see shared/reference/vn_legal_research.md §0, §3).
Administrators may add rows with a later effective date; these are the defaults."""

from datetime import date

from django.db import migrations

LAW_2013 = date(2014, 7, 1)
LAW_2025 = date(2026, 7, 1)

MINIMUMS = [
    # (kind of leader, days, period, effective from, legal basis)
    (
        "province_chair",
        1,
        "month",
        LAW_2013,
        "Luật Tiếp công dân 42/2013/QH13, Điều 12: ít nhất 01 ngày trong 01 tháng",
    ),
    (
        "commune_chair",
        1,
        "week",
        LAW_2013,
        "Luật Tiếp công dân 42/2013/QH13, Điều 15: ít nhất 01 ngày trong 01 tuần",
    ),
    (
        "commune_chair",
        2,
        "month",
        LAW_2025,
        "Luật 136/2025/QH15 sửa đổi Luật Tiếp công dân, Điều 15: ít nhất 02 ngày trong 01 tháng",
    ),
    (
        "agency_head",
        1,
        "month",
        LAW_2013,
        "Luật Tiếp công dân 42/2013/QH13, Điều 18 khoản 2: ít nhất 01 ngày trong 01 tháng",
    ),
    (
        "council_deputy",
        None,
        "arranged",
        LAW_2013,
        "Luật Tiếp công dân 42/2013/QH13, Điều 22: theo lịch do Thường trực HĐND bố trí",
    ),
]
ONLINE = (
    LAW_2025,
    "Luật 136/2025/QH15, Điều 3a Luật Tiếp công dân (tiếp công dân trực tuyến); "
    "NĐ 154/2026/NĐ-CP (chưa kiểm chứng)",
)


def create(apps, schema_editor):
    minimum = apps.get_model("schedules", "ReceptionMinimum")
    online = apps.get_model("schedules", "OnlineReception")
    for kind, days, period, effective_from, basis in MINIMUMS:
        minimum.objects.get_or_create(
            leader_kind=kind,
            effective_from=effective_from,
            defaults={"days": days, "period": period, "legal_basis": basis},
        )
    online.objects.get_or_create(effective_from=ONLINE[0], defaults={"legal_basis": ONLINE[1]})


def remove(apps, schema_editor):
    apps.get_model("schedules", "ReceptionMinimum").objects.all().delete()
    apps.get_model("schedules", "OnlineReception").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("schedules", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
