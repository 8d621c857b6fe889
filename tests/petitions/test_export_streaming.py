"""Issue 15, target 7: the inbox export is read in chunks of the columns it prints and
written row by row to a streamed file; its queries do not grow with its rows."""

from __future__ import annotations

import io

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from agencies.scope import forget_scope
from casework import exports
from petitions import bulk, selectors
from petitions.models import Petition
from tests.factories import submit_petition

pytestmark = pytest.mark.django_db


def _grow(seed: Petition, total: int) -> None:
    """Copies of `seed` up to `total` petitions (bulk_create: the services would take
    minutes for what only the export reads)."""
    missing = total - Petition.objects.count()
    copies = []
    for n in range(missing):
        copy = Petition.objects.get(pk=seed.pk)
        copy.pk = None
        copy.reference = f"{seed.reference}-{Petition.objects.count() + n}"
        copy.subject = f"Đơn số {n}"
        copies.append(copy)
    Petition.objects.bulk_create(copies)


def _export_all(client):
    data = {"action": "export", "selection": "all", "query": "all=1"}
    return client.post(reverse("petitions:bulk"), data)


def _sheet_rows(response):
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_inbox_export_costs_the_same_queries_for_a_few_rows_and_many(
    client, agency, lead, monkeypatch
):
    # Chunks of 4 rows: 30 rows are read in 8 fetches of the one query.
    monkeypatch.setattr(exports, "CHUNK_ROWS", 4)
    seed = submit_petition(agency=agency, subject="=1+1").petition
    client.force_login(lead)

    def run(total: int):
        _grow(seed, total)
        forget_scope(lead)
        with CaptureQueriesContext(connection) as queries:
            response = _export_all(client)
        return response, queries

    few, few_queries = run(3)
    many, many_queries = run(30)
    assert few.status_code == many.status_code == 200
    assert few.streaming and many.streaming
    assert len(few_queries) == len(many_queries)
    assert len(_sheet_rows(few)) == 1 + 3
    rows = _sheet_rows(many)
    assert len(rows) == 1 + 30
    # The rows in the inbox's order, the formula neutralised.
    listed = selectors.inbox(
        lead, selectors.inbox_filters({"all": "1"}), today=timezone.localdate()
    ).values_list("reference", flat=True)
    assert [row[0] for row in rows[1:]] == list(listed)
    assert "'=1+1" in [row[2] for row in rows]


def test_the_inbox_export_reads_only_the_columns_it_prints(client, agency, lead):
    submit_petition(agency=agency, kind="denunciation", name="Lê Văn Tố")
    client.force_login(lead)
    with CaptureQueriesContext(connection) as queries:
        response = _export_all(client)
    read = [q["sql"] for q in queries if '"petitions_petition"."reference"' in q["sql"]]
    assert read and all('"identity"' not in sql and '"content"' not in sql for sql in read)
    assert "Lê Văn Tố" not in str(_sheet_rows(response))


def test_more_rows_than_the_export_takes_are_refused_before_anything_is_written(
    client, agency, lead, monkeypatch
):
    monkeypatch.setattr(bulk, "MAX_EXPORT", 2)
    for _ in range(3):
        submit_petition(agency=agency)
    client.force_login(lead)
    response = _export_all(client)
    assert response.status_code == 302
    assert "2" in " ".join(str(m) for m in get_messages(response.wsgi_request))
