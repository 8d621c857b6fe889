"""Issue 15, target 7: the mediation register is read in chunks (parties and sessions
prefetched per chunk) and streamed from a spooled file."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from casework import exports

from .conftest import in_progress

pytestmark = pytest.mark.django_db


def _export(client, world):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("mediation:register_xlsx", args=[world.team.pk]))
    assert response.status_code == 200 and response.streaming
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    return [row for row in rows[3:] if row[0]], queries


def test_the_register_is_read_a_chunk_at_a_time(client, world, monkeypatch):
    # Chunks of 2: each chunk brings its parties and its sessions in one query each.
    monkeypatch.setattr(exports, "CHUNK_ROWS", 2)
    client.force_login(world.leader.user)
    for _ in range(2):
        in_progress(world)
    few, few_queries = _export(client, world)
    for _ in range(4):
        in_progress(world)
    many, many_queries = _export(client, world)
    assert [row[0] for row in few] == [1, 2]
    assert [row[0] for row in many] == list(range(1, 7))
    # Two chunks more, two prefetch queries each.
    assert len(many_queries) - len(few_queries) == 4


def test_the_register_costs_the_same_queries_within_a_chunk(client, world):
    client.force_login(world.leader.user)
    in_progress(world)
    one, one_queries = _export(client, world)
    for _ in range(3):
        in_progress(world)
    four, four_queries = _export(client, world)
    assert len(one) == 1 and len(four) == 4
    assert len(one_queries) == len(four_queries)
