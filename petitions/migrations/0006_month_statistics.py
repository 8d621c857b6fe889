# The monthly trend (dashboards.selectors.trend) groups the cases by the months of
# received_on, accepted_on and resolved_on at once. Without statistics on those three
# expressions together PostgreSQL multiplies the distinct dates of each (hundreds of
# thousands of groups expected, a few hundred real), so it neither hashes the groups
# in its parallel workers nor keeps the sort in memory: the trend took ~350 ms at a
# million petitions instead of ~200 (`make bench`). Extended statistics on expressions
# need PostgreSQL 14; other databases and older servers go without.

from django.db import migrations

MONTH = "(date_trunc('month', {}::timestamp))"  # as dashboards.selectors._Month writes it
COLUMNS = ("received_on", "accepted_on", "resolved_on")


def create_statistics(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or connection.pg_version < 140000:
        return
    expressions = ", ".join(MONTH.format(column) for column in COLUMNS)
    schema_editor.execute(
        f"CREATE STATISTICS IF NOT EXISTS petition_months (ndistinct) ON {expressions}"
        " FROM petitions_petition"
    )
    schema_editor.execute("ANALYZE petitions_petition")


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP STATISTICS IF EXISTS petition_months")


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0005_figure_period_index"),
    ]

    operations = [
        migrations.RunPython(create_statistics, drop_statistics, elidable=False),
    ]
