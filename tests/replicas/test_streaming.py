"""Against a real streaming replica of the test server (CI: bin/replica.sh starts one on
port 5442 and exports DATABASE_REPLICA_URL): a row written on the primary appears on the
replica once replayed, the replica refuses writes, and the dashboard is read from it.

The primary's test database (test_<name>) streams to the replica by itself, so the
`replica` alias (TEST MIRROR: the test database's name under the replica's host) and a raw
psycopg connection both reach it."""

from __future__ import annotations

import time
from datetime import timedelta

import psycopg2
import pytest
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from agencies.models import Agency
from casework import replicas
from casework.replicas import reading_from_replica
from tests.conftest import skip_or_fail
from tests.factories import AgencyFactory, submit_petition

from .conftest import real_replica

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


@pytest.fixture
def raw_replica():
    """A psycopg connection of its own to the replica's copy of the test database."""
    if not real_replica():
        skip_or_fail(
            "needs PostgreSQL and a streaming replica of it "
            "(DATABASE_URL=postgres://…, DATABASE_REPLICA_URL=…; bin/replica.sh starts one)"
        )
    params = connections["replica"].get_connection_params()
    params["connect_timeout"] = 5
    try:
        raw = psycopg2.connect(**params)
    except psycopg2.OperationalError as error:
        skip_or_fail(f"the replica of DATABASE_REPLICA_URL does not answer: {error}")
    raw.autocommit = True
    with raw.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        if not cursor.fetchone()[0]:
            raw.close()
            skip_or_fail("DATABASE_REPLICA_URL names a primary, not a replica")
    yield raw
    raw.close()


def _poll(raw, sql, params, timeout=15.0):
    deadline = time.monotonic() + timeout
    while True:
        with raw.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is not None or time.monotonic() > deadline:
            return row
        time.sleep(0.05)


def test_a_row_written_on_the_primary_is_on_the_replica_once_replayed(raw_replica):
    agency = AgencyFactory(name="Sở Tư pháp — bản sao")
    row = _poll(raw_replica, "SELECT name FROM agencies_agency WHERE id = %s", [agency.pk])
    assert row == ("Sở Tư pháp — bản sao",)
    # And a change after it, too.
    Agency.objects.filter(pk=agency.pk).update(name="Sở Tư pháp")
    row = _poll(
        raw_replica,
        "SELECT name FROM agencies_agency WHERE id = %s AND name = %s",
        [agency.pk, "Sở Tư pháp"],
    )
    assert row == ("Sở Tư pháp",)


def test_the_replica_refuses_writes(raw_replica, agency):
    with pytest.raises(psycopg2.Error) as refused, raw_replica.cursor() as cursor:
        cursor.execute("UPDATE agencies_agency SET name = 'x' WHERE id = %s", [agency.pk])
    assert refused.value.pgcode == "25006"  # read_only_sql_transaction
    # Through Django as well, should anything name the alias by hand.
    with pytest.raises(DatabaseError), transaction.atomic(using="replica"):
        Agency.objects.using("replica").filter(pk=agency.pk).update(name="x")
    assert Agency.objects.get(pk=agency.pk).name != "x"


def test_the_replica_says_how_recent_it_is(raw_replica, replica_on, caught_up):
    AgencyFactory()
    caught_up()
    with reading_from_replica():
        assert replicas.current_alias() == "replica"
        as_of = replicas.data_as_of()
    assert as_of is not None
    assert abs(timezone.now() - as_of) < timedelta(seconds=30)


def test_the_dashboard_is_read_from_the_streaming_replica(
    raw_replica, client, replica_on, queries, monitor, agency, caught_up
):
    for _ in range(3):
        submit_petition(agency=agency)
    caught_up()
    client.force_login(monitor)
    with queries() as q:
        response = client.get("/api/v1/stats/summary/")
    assert response.status_code == 200
    assert response.json()["received"] == 3
    assert [sql for sql in q.sql("replica") if '"petitions_petition"' in sql]
    assert not [sql for sql in q.sql("default") if '"petitions_petition"' in sql]
