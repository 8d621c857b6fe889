"""The answer to a citizen received at the desk: 10 working days (Luật Tiếp công dân 2013,
Điều 28), a deadline policy row like the others; provinces edit it in the admin."""

from datetime import date

from django.db import migrations

KEY = "reception.answer"


def create(apps, schema_editor):
    apps.get_model("agencies", "DeadlinePolicy").objects.get_or_create(
        key=KEY,
        effective_from=date(2014, 7, 1),
        defaults={
            "name": "Trả lời công dân sau khi tiếp",
            "days": 10,
            "working_days": True,
            "legal_basis": "Luật Tiếp công dân 2013, Điều 28",
        },
    )


def remove(apps, schema_editor):
    apps.get_model("agencies", "DeadlinePolicy").objects.filter(key=KEY).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reception", "0001_initial"),
        ("agencies", "0004_localities_reception_officer"),
    ]

    operations = [migrations.RunPython(create, remove)]
