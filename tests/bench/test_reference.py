"""The bench's reference view (bench.surge, issue 15): mounted only on the bench's own
server, and otherwise a door no one can find."""

from __future__ import annotations

import importlib
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, clear_url_caches, reverse

import civic_portal.urls
from bench.surge import REFERENCE_TABLE

PATH = "/bench/reference/"


def _reload_urls() -> None:
    importlib.reload(civic_portal.urls)
    clear_url_caches()


@pytest.fixture
def reference_mounted(settings):
    settings.BENCH_REFERENCE_VIEW = True
    _reload_urls()
    yield
    # Before the settings fixture puts the value back: the URLs are built from it now.
    settings.BENCH_REFERENCE_VIEW = False
    _reload_urls()


@pytest.fixture
def reference_table(db):
    # The bench's own table on PostgreSQL (bench.surge creates it before a run); on
    # SQLite the same columns in its types (an integer key numbers itself).
    ddl = (
        REFERENCE_TABLE
        if connection.vendor == "postgresql"
        else "CREATE TABLE bench_reference (id integer PRIMARY KEY, at text, body text)"
    )
    with connection.cursor() as cursor:
        cursor.execute(ddl)
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_reference")


def _rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_reference")
        return int(cursor.fetchone()[0])


def test_the_reference_view_is_off_unless_the_bench_turns_it_on(settings, client):
    assert settings.BENCH_REFERENCE_VIEW is False
    with pytest.raises(NoReverseMatch):
        reverse("bench_reference")
    assert client.get(PATH).status_code == 404
    assert client.post(PATH, {"body": "x"}).status_code == 404


@pytest.mark.usefixtures("reference_mounted", "reference_table")
def test_the_reference_view_inserts_one_row_behind_the_csrf_check():
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(PATH)
    assert page.status_code == 200
    # The same middleware as every page (the policy header is set by one of them).
    assert "Content-Security-Policy" in page.headers
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None

    assert browser.post(PATH, {"body": "no token"}).status_code == 403
    assert _rows() == 0

    done = browser.post(PATH, {"body": "Đơn thư", "csrfmiddlewaretoken": token.group(1)})
    assert done.status_code == 200
    assert _rows() == 1
