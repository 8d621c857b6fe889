"""A `replica` alias for the router tests: CI's streaming replica (DATABASE_REPLICA_URL,
whose copy of the test database the primary streams to it) or, without one, a second
connection to the test database (TEST MIRROR), so which alias a query went to can be told
apart on SQLite as well."""

from __future__ import annotations

import copy
import os
import time

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext

from casework import replicas

if "replica" not in settings.DATABASES:
    _config = copy.deepcopy(settings.DATABASES["default"])
    _config["TEST"] = {"MIRROR": "default"}
    settings.DATABASES["replica"] = _config
    if "settings" in connections.__dict__:  # the handler read DATABASES already
        connections.settings["replica"] = connections.configure_settings(
            {"default": settings.DATABASES["default"], "replica": _config}
        )["replica"]

from tests.petitions.conftest import *  # noqa: F403 — the same agencies and people


@pytest.fixture
def replica_on(settings):
    """The router sends a scope's reads to the `replica` alias (tests/conftest.py turns it
    off for every other test)."""
    settings.DATABASE_READ_REPLICAS = ["replica"]
    replicas._down_until.clear()
    yield "replica"
    replicas._down_until.clear()


class Queries:
    """The SQL each alias ran, while the block runs."""

    def __init__(self) -> None:
        self.by_alias: dict[str, CaptureQueriesContext] = {
            alias: CaptureQueriesContext(connections[alias]) for alias in ("default", "replica")
        }

    def __enter__(self) -> Queries:
        for context in self.by_alias.values():
            context.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        for context in self.by_alias.values():
            context.__exit__(*exc)

    def sql(self, alias: str) -> list[str]:
        return [query["sql"] for query in self.by_alias[alias].captured_queries]

    def tables(self, alias: str, prefix: str) -> list[str]:
        """The queries of `alias` that read a table whose name starts with `prefix`."""
        return [sql for sql in self.sql(alias) if f'"{prefix}' in sql or f" {prefix}" in sql]


@pytest.fixture
def queries():
    return Queries


def real_replica() -> bool:
    """The `replica` alias is a real streaming replica (CI: bin/replica.sh), not a mirror."""
    return connections["default"].vendor == "postgresql" and bool(
        os.environ.get("DATABASE_REPLICA_URL")
    )


def wait_for_replay(timeout: float = 15.0) -> None:
    """Until the real replica has replayed everything the primary wrote so far (at once on
    a mirror): its readers see the rows the test just made."""
    if not real_replica():
        return
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        lsn = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError(f"the replica did not replay {lsn} within {timeout}s")


@pytest.fixture
def caught_up():
    return wait_for_replay
