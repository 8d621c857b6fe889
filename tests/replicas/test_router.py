"""The router: which alias each read and write goes to, in a replica scope and outside."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, router, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import Agency
from casework import replicas
from casework.replicas import reading_from_replica
from civic_portal.replica_urls import replica_databases
from petitions.models import Petition
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


def test_outside_a_scope_everything_is_the_primarys(replica_on, queries):
    with queries() as q:
        assert router.db_for_read(Petition) == DEFAULT_DB_ALIAS
        list(Petition.objects.all())
    assert q.sql("replica") == []
    assert q.tables("default", "petitions_petition")


def test_in_a_scope_reads_go_to_the_replica_and_writes_to_the_primary(replica_on, queries):
    with queries() as q, reading_from_replica():
        assert router.db_for_read(Petition) == "replica"
        list(Petition.objects.all())
        # Asking where a write goes is a write's first step: the rest is the primary's.
        assert router.db_for_write(Agency) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Petition) == DEFAULT_DB_ALIAS
    assert q.tables("replica", "petitions_petition")
    assert not q.tables("default", "petitions_petition")


def test_after_a_write_the_scope_reads_its_own_writes_from_the_primary(
    replica_on, queries, caught_up
):
    caught_up()  # the previous test's rows are gone on the replica too
    with queries() as q, reading_from_replica():
        assert Agency.objects.count() == 0  # the replica, before the write
        AgencyFactory(name="Sở Tài chính")
        assert Agency.objects.filter(name="Sở Tài chính").count() == 1
        assert replicas.current_alias() == DEFAULT_DB_ALIAS
    agency_reads = q.tables("replica", "agencies_agency")
    assert len(agency_reads) == 1 and "COUNT" in agency_reads[0].upper()
    assert not [sql for sql in q.sql("replica") if sql.lstrip().upper().startswith("INSERT")]
    assert any(sql.lstrip().upper().startswith("INSERT") for sql in q.sql("default"))


def test_a_row_read_from_the_replica_is_saved_on_the_primary(replica_on, queries, caught_up):
    agency = AgencyFactory(name="Sở Y tế")
    caught_up()
    with reading_from_replica():
        on_replica = Agency.objects.get(pk=agency.pk)
        assert on_replica._state.db == "replica"
    with queries() as q:
        on_replica.name = "Sở Y tế tỉnh"
        on_replica.save()
    assert q.sql("replica") == []
    assert Agency.objects.using(DEFAULT_DB_ALIAS).get(pk=agency.pk).name == "Sở Y tế tỉnh"


def test_inside_a_transaction_on_the_primary_the_scope_reads_the_primary(replica_on, queries):
    with queries() as q, reading_from_replica(), transaction.atomic():
        list(Petition.objects.all())
    assert q.sql("replica") == []


def test_who_one_is_is_always_the_primarys(replica_on):
    with reading_from_replica():
        assert router.db_for_read(get_user_model()) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Petition) == "replica"


def test_nested_scopes_are_one(replica_on):
    with reading_from_replica():
        AgencyFactory()
        with reading_from_replica():
            assert router.db_for_read(Petition) == DEFAULT_DB_ALIAS


def test_a_replica_that_refuses_the_connection_is_skipped_for_the_primary(
    replica_on, monkeypatch, caplog
):
    def refuse() -> None:
        raise OperationalError("connection refused")

    connections["replica"].close()
    monkeypatch.setattr(connections["replica"], "ensure_connection", refuse)
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as q, reading_from_replica():
        assert list(Petition.objects.all()) == []
        assert replicas.current_alias() == DEFAULT_DB_ALIAS
    assert [query for query in q.captured_queries if "petitions_petition" in query["sql"]]
    assert "refused the connection" in caplog.text
    # Left alone for a while: the next scope does not even try.
    monkeypatch.setattr(connections["replica"], "ensure_connection", lambda: pytest.fail("tried"))
    with reading_from_replica():
        assert router.db_for_read(Petition) == DEFAULT_DB_ALIAS
    # Once the pause is over it is tried again.
    replicas._down_until.clear()
    monkeypatch.undo()
    with reading_from_replica():
        assert router.db_for_read(Petition) == "replica"


def test_without_replicas_a_scope_reads_the_primary(settings, queries):
    settings.DATABASE_READ_REPLICAS = []
    with queries() as q, reading_from_replica():
        list(Petition.objects.all())
        assert replicas.data_as_of() is not None
    assert q.sql("replica") == []


def test_a_replica_is_never_migrated():
    assert router.allow_migrate("replica", "petitions") is False
    assert router.allow_migrate("replica_2", "petitions") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "petitions") is True


def test_the_data_is_as_of_now_on_the_primary_and_the_replay_time_on_a_replica(replica_on):
    before = timezone.now()
    with reading_from_replica():
        as_of = replicas.data_as_of()
    assert as_of is not None
    # A streaming replica that has replayed everything it received answers now() too.
    assert abs((as_of - before).total_seconds()) < 60


# --- DATABASE_REPLICA_URL ----------------------------------------------------------------


def test_no_url_no_replica():
    assert replica_databases("", conn_max_age=60, connect_timeout=2) == {}


def test_one_or_several_urls_make_replica_replica_2():
    databases = replica_databases(
        "postgres://portal@10.0.0.21:5432/civic, postgres://portal@10.0.0.22/civic",
        conn_max_age=60,
        connect_timeout=2,
    )
    assert list(databases) == ["replica", "replica_2"]
    first, second = databases["replica"], databases["replica_2"]
    assert (first["HOST"], first["PORT"], first["NAME"]) == ("10.0.0.21", 5432, "civic")
    assert second["HOST"] == "10.0.0.22"
    assert first["TEST"] == {"MIRROR": "default"}
    assert "default_transaction_read_only=on" in first["OPTIONS"]["options"]
    assert first["OPTIONS"]["connect_timeout"] == 2
    assert first["CONN_MAX_AGE"] == 60


def test_a_multi_host_url_stays_one_replica():
    databases = replica_databases(
        "postgres://portal@10.0.0.21:5432,10.0.0.22:5432/civic?target_session_attrs=standby",
        conn_max_age=0,
        connect_timeout=2,
    )
    assert list(databases) == ["replica"]
    assert databases["replica"]["HOST"] == "10.0.0.21,10.0.0.22"


def _settings_in(env: dict[str, str]) -> dict[str, object]:
    """DATABASES' aliases, the replicas and the routers as settings.py makes them."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'aliases': list(s.DATABASES), 'replicas': s.DATABASE_READ_REPLICAS, "
        "'routers': s.DATABASE_ROUTERS}))"
    )
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env={**base, "DJANGO_SETTINGS_MODULE": "civic_portal.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_settings_without_a_replica_url_read_the_default_database_only():
    found = _settings_in({"DATABASE_URL": "sqlite:////tmp/civic-replica-check.sqlite3"})
    assert found == {
        "aliases": ["default"],
        "replicas": [],
        "routers": ["casework.replicas.ReplicaRouter"],
    }


def test_settings_with_two_replica_urls_name_two_replicas():
    found = _settings_in(
        {
            "DATABASE_URL": "postgres://civic@db1.internal:5432/civic_portal",
            "DATABASE_REPLICA_URL": (
                "postgres://ro@db3.internal/civic_portal,postgres://ro@db4.internal/civic_portal"
            ),
        }
    )
    assert found["aliases"] == ["default", "replica", "replica_2"]
    assert found["replicas"] == ["replica", "replica_2"]
