"""The figures' facts of ended petitions (petitions/facts.py): two tables, and on
PostgreSQL the function and trigger that keep them, filled from the rows already there."""

from django.db import migrations, models


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    from petitions.facts import CONTRIBUTIONS_SQL, REBUILD_SQL, TRIGGER_SQL

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(CONTRIBUTIONS_SQL)
        cursor.execute(TRIGGER_SQL)
        cursor.execute(REBUILD_SQL)


def uninstall(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    from petitions.facts import DROP_SQL

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("petitions", "0010_identity_reveal_labels")]

    operations = [
        migrations.CreateModel(
            name="FigureFact",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "dimension",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "—"),
                            ("commune", "commune"),
                            ("field", "field"),
                            ("kind", "kind"),
                            ("channel", "channel"),
                        ],
                        max_length=10,
                    ),
                ),
                ("month", models.DateField()),
                ("agency_id", models.BigIntegerField()),
                ("value", models.CharField(blank=True, max_length=40)),
                ("received", models.IntegerField(default=0)),
                ("handled", models.IntegerField(default=0)),
                ("handled_on_time", models.IntegerField(default=0)),
                ("accepted", models.IntegerField(default=0)),
                ("resolved", models.IntegerField(default=0)),
                ("resolved_on_time", models.IntegerField(default=0)),
                ("pending_at_start", models.IntegerField(default=0)),
                ("overdue_at_end", models.IntegerField(default=0)),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["dimension", "month", "agency_id", "value"], name="figurefact_key"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ResolutionDays",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField()),
                ("agency_id", models.BigIntegerField()),
                ("days", models.IntegerField()),
                ("resolutions", models.IntegerField()),
            ],
            options={
                "indexes": [
                    models.Index(fields=["month", "agency_id", "days"], name="resolutiondays_key")
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
