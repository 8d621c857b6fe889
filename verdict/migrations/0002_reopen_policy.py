"""The period in which a citizen may reopen a resolved recommendation or reflection
(petitions.models.REOPEN_POLICY); provinces edit it under Admin → Deadline policies."""

from datetime import date

from django.db import migrations

KEY = "petition.reopen"


def create(apps, schema_editor):
    apps.get_model("agencies", "DeadlinePolicy").objects.get_or_create(
        key=KEY,
        effective_from=date(2021, 8, 15),
        defaults={
            "name": "Mở lại kiến nghị, phản ánh khi người dân chưa đồng ý với kết quả",
            "days": 30,
            "working_days": False,
            "legal_basis": "Quy định của tỉnh về lấy ý kiến người dân (không có quy định chung) "
            "[chưa xác minh]",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("agencies", "DeadlinePolicy").objects.filter(key=KEY).delete()


class Migration(migrations.Migration):
    dependencies = [("verdict", "0001_initial"), ("agencies", "0003_default_deadline_policies")]
    operations = [migrations.RunPython(create, remove)]
