"""The date indexes of the figures' live part on PostgreSQL (petitions/figures.py), and
the median's days read from their index alone.

The ended cases' flows on the days of a period's partial months, and the corrections of
the stocks, are found through one index per date (received_on has petition_newest;
ended_on is read through petition_period). Only the facts path reads them, and the
facts exist on PostgreSQL only, so they are created there (not in Meta.indexes, which
SQLite would build too). Each is partial: the rows that have the date.
"""

from django.db import migrations, models

INDEXES = {
    "petition_handled_day": "handled_on",
    "petition_accepted_day": "accepted_on",
    "petition_resolved_day": "resolved_on",
}


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, column in INDEXES.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON petitions_petition ({column})"
                f" WHERE {column} IS NOT NULL"
            )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("petitions", "0012_inbox_due_index")]

    operations = [
        migrations.RunPython(create, drop),
        # The median reads (days, resolutions) of a period's months from the index alone.
        migrations.RemoveIndex(model_name="resolutiondays", name="resolutiondays_key"),
        migrations.AddIndex(
            model_name="resolutiondays",
            index=models.Index(
                fields=["month", "agency_id", "days"],
                include=("resolutions",),
                name="resolutiondays_key",
            ),
        ),
    ]
