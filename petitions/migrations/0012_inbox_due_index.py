"""The inbox's two slow lists at millions of petitions (issue 15).

1. Words in the inbox of one agency. The trigram index of migration 0004 held the open
   cases of every agency, so PostgreSQL found the words' cases province-wide and ANDed
   in the agency's entries of the foreign-key index — all its cases of every status
   (390,000 at 3,000,000 petitions: 350 ms). `petition_search_open_agency` puts the
   agency in the same GIN index (btree_gin's bigint class beside the trigrams; the scope
   sends its ids as bigint, selectors._AgencyIn), so one index scan yields only the
   agency's matching open cases (20 ms). Searches over several agencies read its trigram
   keys alone, as they read the old index, which it replaces. PostgreSQL only; btree_gin
   is a trusted extension (PostgreSQL 13+): the database owner may create it.
2. Every status in due order (Petition.Meta.indexes "petition_due"), for a monitor's
   search of the province with the closed cases included: page 1 is the first cases in
   due order that hold the words, not a sort of every match.

Built on 3,000,000 petitions in about a minute each (the GIN index covers the 5 % open
cases; maintenance_work_mem is raised for the build only).
"""

from django.db import migrations, models

OPEN = "'received', 'accepted', 'suspended'"  # models.OPEN_STATUSES


def create_agency_search_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS petition_search_open_agency ON petitions_petition"
        " USING gin (handling_agency_id, search_text gin_trgm_ops)"
        f" WHERE status IN ({OPEN})"
    )
    schema_editor.execute("DROP INDEX IF EXISTS petition_search_open")


def restore_open_search_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS petition_search_open ON petitions_petition"
        f" USING gin (search_text gin_trgm_ops) WHERE status IN ({OPEN})"
    )
    schema_editor.execute("DROP INDEX IF EXISTS petition_search_open_agency")


class Migration(migrations.Migration):
    dependencies = [("petitions", "0011_figure_facts")]

    operations = [
        migrations.RunPython(create_agency_search_index, restore_open_search_index, elidable=False),
        migrations.AddIndex(
            model_name="petition",
            index=models.Index(fields=["clock_due_on", "id"], name="petition_due"),
        ),
    ]
