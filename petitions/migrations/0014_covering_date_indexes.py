"""The date indexes of the figures' live part (migration 0013) cover what the ended
cases' arms read (petitions/figures.py `_arms`), so each arm is an index-only scan.

At 1,000,000 petitions an arm over the two days of a period's last partial month read
~2,800 heap pages through a bitmap (10 ms of the 26 ms the edges cost each figure, six
times on a dashboard page); covered, it reads the index alone. PostgreSQL only, as the
facts are.
"""

from django.db import migrations

# Every column a figure's condition reads (the petition_period index's), by key date.
COVERED = (
    "ended_on",
    "received_on",
    "handling_agency_id",
    "handled_on",
    "handling_due_on",
    "accepted_on",
    "resolved_on",
    "resolution_due_on",
    "suspended_on",
    "commune_id",
    "field",
    "kind",
    "channel",
    "id",  # what the arms count
)
INDEXES = {
    "petition_handled_day": "handled_on",
    "petition_accepted_day": "accepted_on",
    "petition_resolved_day": "resolved_on",
}


def _create(cursor, name: str, column: str, include: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    cursor.execute(f"DROP INDEX IF EXISTS {name}")
    covered = f" INCLUDE ({', '.join(include)})" if include else ""
    cursor.execute(
        f"CREATE INDEX {name} ON petitions_petition ({column}){covered} WHERE {column} IS NOT NULL"
    )


def cover(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, column in INDEXES.items():
            _create(cursor, name, column, tuple(c for c in COVERED if c != column))


def uncover(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, column in INDEXES.items():
            _create(cursor, name, column, ())


class Migration(migrations.Migration):
    dependencies = [("petitions", "0013_figure_date_indexes")]

    operations = [migrations.RunPython(cover, uncover)]
