"""The mediation clocks as deadline policies; provinces edit them in the admin."""

from datetime import date

from django.db import migrations

# key, name, days, working days, due soon (working days left), effective from, basis
POLICIES = [
    ("mediation.start", "Bắt đầu hòa giải ở cơ sở sau khi được phân công", 3, False, 1,
     date(2014, 1, 1), "Luật Hòa giải ở cơ sở 2013, Điều 20 khoản 2"),
    ("mediation.land", "Hòa giải tranh chấp đất đai tại Ủy ban nhân dân cấp xã", 30, False, 5,
     date(2024, 8, 1), "Luật Đất đai 2024, Điều 235 [chưa xác minh]"),
]


def create(apps, schema_editor):
    DeadlinePolicy = apps.get_model("agencies", "DeadlinePolicy")
    for key, name, days, working, soon, start, basis in POLICIES:
        DeadlinePolicy.objects.get_or_create(
            key=key,
            effective_from=start,
            defaults={
                "name": name,
                "days": days,
                "working_days": working,
                "due_soon_days": soon,
                "legal_basis": basis,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("agencies", "DeadlinePolicy").objects.filter(
        key__in={p[0] for p in POLICIES}
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("mediation", "0001_initial"), ("agencies", "0003_default_deadline_policies")]
    operations = [migrations.RunPython(create, remove)]
