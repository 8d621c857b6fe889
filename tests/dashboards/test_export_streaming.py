"""Issue 15, target 7: the dashboard's exports are streamed — the workbook from a spooled
file, the CSV from a generator that reads nothing more from the database."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

MARCH = {"from": "01/03/2026", "to": "31/03/2026"}


def test_the_csv_is_written_as_it_is_read_and_reads_no_more_from_the_database(
    client, dataset, monitor, agency
):
    client.force_login(monitor)
    response = client.get(reverse("dashboards:export_csv"), MARCH)
    assert response.status_code == 200 and response.streaming
    with CaptureQueriesContext(connection) as while_sent:
        body = b"".join(response.streaming_content)
    assert len(while_sent) == 0  # the rows were read in the view, from the replica
    rows = list(csv.reader(io.StringIO(body.decode("utf-8").lstrip("\ufeff"))))
    assert rows[0][:2] == ["STT", "Cơ quan"]
    assert agency.name in [row[1] for row in rows[1:]]


def test_the_workbook_is_streamed_from_a_file_with_its_layout(client, dataset, monitor):
    client.force_login(monitor)
    response = client.get(reverse("dashboards:export_xlsx"), MARCH)
    assert response.status_code == 200 and response.streaming
    assert int(response["Content-Length"]) == len(response.content)
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.freeze_panes == "C5" and ws.print_title_rows == "$4:$4"
    assert ws["A4"].font.bold and ws.page_setup.orientation == "landscape"
