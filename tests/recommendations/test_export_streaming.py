"""Issue 15, target 7: a session's results are read in chunks (the forwardings and
answers prefetched per chunk) and streamed; only the columns the sheet prints are read."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from casework import exports

from .factories import forwarded

pytestmark = pytest.mark.django_db


def _export(client, session):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("recommendations:export", args=[session.pk]))
    assert response.status_code == 200 and response.streaming
    return response, queries


def _numbered(response) -> list[int]:
    rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    return [row[0] for row in rows if isinstance(row[0], int)]


def _grow(meeting, staff, department, total: int) -> None:
    for n in range(total):
        forwarded(meeting, staff, [department], field="land", content=f"Kiến nghị {n}")


def test_the_results_cost_the_same_queries_for_two_items_and_eight(
    client, staff, department, meeting, session
):
    client.force_login(staff)
    _grow(meeting, staff, department, 2)
    few, few_queries = _export(client, session)
    _grow(meeting, staff, department, 6)
    many, many_queries = _export(client, session)
    assert len(few_queries) == len(many_queries)
    assert _numbered(few) == [1, 2] and _numbered(many) == list(range(1, 9))


def test_the_results_are_read_a_chunk_at_a_time(
    client, staff, department, meeting, session, monkeypatch
):
    # Chunks of 2: 8 items are 4 chunks, each with its one query of forwardings.
    monkeypatch.setattr(exports, "CHUNK_ROWS", 2)
    client.force_login(staff)
    _grow(meeting, staff, department, 2)
    _few, few_queries = _export(client, session)
    _grow(meeting, staff, department, 6)
    many, many_queries = _export(client, session)
    forwardings = [q for q in many_queries if 'FROM "recommendations_forwarding"' in q["sql"]]
    assert len(many_queries) - len(few_queries) == 3
    assert len(forwardings) >= 4
    assert _numbered(many) == list(range(1, 9))
    item_reads = [
        q["sql"] for q in many_queries if '"recommendations_recommendation"."content"' in q["sql"]
    ]
    assert item_reads and all('"search_text"' not in sql for sql in item_reads)
