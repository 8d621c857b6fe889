"""Issue 15, target 7: the reception register's export reads the visits in chunks and
streams the workbook; its queries do not grow with the visits."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from reception import services
from reception.models import Visit
from tests.reception.conftest import at, delegation, register

pytestmark = pytest.mark.django_db


def test_the_register_export_costs_the_same_queries_for_one_visit_or_ten(client, officer, agency):
    client.force_login(officer)
    url = reverse("reception:register") + "?format=xlsx"
    counted = []
    for visits in (1, 10):
        with at(2026, 11, 3):
            while Visit.objects.count() < visits:
                services.visit_register(actor=officer, details=delegation(agency))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200 and response.streaming
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        # The title, the day of export and the header, then one line per visit.
        assert [row[0] for row in rows[3:]] == list(range(1, visits + 1))
        counted.append(len(queries))
    assert counted[0] == counted[1]


def test_a_formula_typed_at_the_desk_stays_text_in_the_streamed_register(client, officer, agency):
    with at(2026, 11, 2):
        register(officer, agency, subject="@SUM(A1:A9)")
    client.force_login(officer)
    response = client.get(reverse("reception:register") + "?format=xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in ws.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    assert any(str(cell.value).startswith("'@SUM(A1:A9)") for cell in cells)
