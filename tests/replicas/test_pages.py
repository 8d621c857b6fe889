"""Both halves, through the real pages: the dashboard, the stats API, the exports and the
public pages read from the replica; case pages, inboxes, the case API, writes and reads
right after one's own change never do."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from petitions.models import Petition, Status
from recommendations.models import CouncilSession
from tests.factories import submit_petition
from tests.recommendations.factories import CouncilSessionFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

CASES = '"petitions_petition"'


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def petitions(agency, caught_up):
    made = [submit_petition(agency=agency).petition for _ in range(2)]
    caught_up()
    return made


def _reads(q, alias, table=CASES):
    return [sql for sql in q.sql(alias) if table in sql]


def _as_of(body: str) -> str:
    match = re.search(r'id="data-as-of">(.*?)</p>', body, re.S)
    assert match, "the page says how recent its figures are"
    return " ".join(match.group(1).split())


@pytest.mark.parametrize("name", ["dashboard", "cases", "export_xlsx", "export_csv"])
def test_the_dashboard_and_its_exports_read_from_the_replica(
    client, replica_on, queries, monitor, petitions, name
):
    client.force_login(monitor)
    params = {"measure": "received"} if name == "cases" else {}
    with queries() as q:
        response = client.get(reverse(f"dashboards:{name}"), params)
    assert response.status_code == 200
    assert _reads(q, "replica")
    assert not _reads(q, "default")
    # Who one is and what one may see: the primary's.
    assert _reads(q, "default", '"agencies_membership"')
    assert not _reads(q, "replica", '"agencies_membership"')


def test_the_dashboard_says_as_of_when_its_figures_are(client, replica_on, monitor, petitions):
    client.force_login(monitor)
    body = client.get(reverse("dashboards:dashboard")).content.decode()
    text = _as_of(body)
    now = timezone.localtime()
    assert re.search(r"\b\d\d:\d\d\b", text)
    assert now.strftime("%d/%m/%Y") in text


@pytest.mark.parametrize(
    "path", ["summary/", "by/agency/", "by/commune/", "trend/", "recommendations/"]
)
def test_the_stats_api_reads_from_the_replica(
    client, replica_on, queries, monitor, petitions, path
):
    client.force_login(monitor)
    with queries() as q:
        response = client.get(f"/api/v1/stats/{path}")
    assert response.status_code == 200, response.content
    assert q.sql("replica")
    assert not _reads(q, "default")
    assert not _reads(q, "default", '"recommendations_')


def test_the_public_transparency_page_reads_from_the_replica(
    client, replica_on, queries, petitions
):
    with queries() as q:
        response = client.get(reverse("dashboards:transparency"))
    assert response.status_code == 200
    assert _reads(q, "replica")
    assert not _reads(q, "default")
    assert re.search(r"\b\d\d:\d\d\b", _as_of(response.content.decode()))


def test_the_public_results_of_a_session_and_their_export_read_from_the_replica(
    client, replica_on, queries, caught_up
):
    session = CouncilSessionFactory(
        status=CouncilSession.Status.PUBLISHED, published_at=timezone.now()
    )
    caught_up()
    for url in (
        reverse("recommendations:public_sessions"),
        reverse("recommendations:public_session", args=[session.pk]),
        reverse("recommendations:public_export", args=[session.pk]),
    ):
        with queries() as q:
            response = client.get(url)
        assert response.status_code == 200, url
        assert _reads(q, "replica", '"recommendations_councilsession"'), url
        assert not _reads(q, "default", '"recommendations_'), url
    body = client.get(reverse("recommendations:public_session", args=[session.pk]))
    assert re.search(r"\b\d\d:\d\d\b", _as_of(body.content.decode()))


# --- the other half ----------------------------------------------------------------------


def test_case_pages_and_inboxes_never_read_from_the_replica(
    client, replica_on, queries, handler, petitions
):
    client.force_login(handler)
    with queries() as q:
        assert client.get(reverse("petitions:inbox")).status_code == 200
        assert client.get(reverse("petitions:detail", args=[petitions[0].pk])).status_code == 200
        assert client.get(reverse("api:petition-list")).status_code == 200
        detail = client.get(reverse("api:petition-detail", args=[petitions[0].pk]))
        assert detail.status_code == 200
    assert q.sql("replica") == []
    assert _reads(q, "default")


def test_a_move_and_the_page_after_it_are_the_primarys(
    client, replica_on, queries, lead, petitions
):
    petition = petitions[0]
    client.force_login(lead)
    with queries() as q:
        response = client.post(
            reverse("petitions:action", args=[petition.pk, "accept"]), {}, follow=True
        )
    assert response.status_code == 200
    assert Petition.objects.get(pk=petition.pk).status == Status.ACCEPTED
    assert q.sql("replica") == []


def test_the_citizens_form_never_touches_the_replica(client, replica_on, queries, agency):
    with queries() as q:
        client.get(reverse("petitions:submit"))
    assert q.sql("replica") == []


def test_a_replica_that_is_down_serves_the_dashboard_from_the_primary(
    client, replica_on, monitor, petitions, monkeypatch
):
    from django.db import OperationalError, connections

    def refuse() -> None:
        raise OperationalError("connection refused")

    client.force_login(monitor)
    connections["replica"].close()
    monkeypatch.setattr(connections["replica"], "ensure_connection", refuse)
    with _DefaultOnly() as q:
        response = client.get(reverse("dashboards:dashboard"))
    assert response.status_code == 200
    assert _reads(q, "default")
    _as_of(response.content.decode())


class _DefaultOnly:
    """The queries of the primary alone (the replica's connection is the one refused)."""

    def __enter__(self):
        from django.db import connections
        from django.test.utils import CaptureQueriesContext

        self.context = CaptureQueriesContext(connections["default"])
        self.context.__enter__()
        return self

    def __exit__(self, *exc):
        self.context.__exit__(*exc)

    def sql(self, alias):
        assert alias == "default"
        return [query["sql"] for query in self.context.captured_queries]


@pytest.fixture
def replica_unreachable():
    """The replica alias names a server that is not there (a closed port; on SQLite a file
    that cannot be opened), for real: the connection itself is refused."""
    from django.db import connections

    connection = connections["replica"]
    saved = dict(connection.settings_dict)
    if connection.vendor == "postgresql":
        connection.settings_dict["PORT"] = 1  # nothing listens there
    else:
        connection.settings_dict["NAME"] = "/nonexistent/civic/replica.sqlite3"
    # After the change: SQLite keeps a connection to an in-memory database open otherwise.
    connection.close()
    yield
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(saved)


def test_a_replica_that_refuses_for_real_is_skipped_and_the_page_served(
    client, replica_on, monitor, petitions, replica_unreachable, caplog
):
    client.force_login(monitor)
    response = client.get(reverse("dashboards:dashboard"))
    assert response.status_code == 200
    assert "refused the connection" in caplog.text
    _as_of(response.content.decode())
    response = client.get("/api/v1/stats/summary/")
    assert response.status_code == 200
    assert response.json()["received"] == 2
