"""What the staff pages cost in queries (issue 15): the inbox in each of its counting
modes and the case page, whose number of queries must not grow with its timeline."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.scope import forget_scope
from petitions import selectors, services
from tests.factories import submit_petition

pytestmark = pytest.mark.django_db

INBOX = reverse("petitions:inbox")


def _queries(client, url: str, params: dict[str, str] | None = None) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


# --- the inbox -------------------------------------------------------------------------


def test_the_inbox_costs_six_queries_and_reads_only_the_columns_of_a_row(
    client, agency, handler, django_assert_num_queries
):
    for _ in range(3):
        submit_petition(agency=agency)
    client.force_login(handler)
    forget_scope(handler)
    # 1 session, 2 user, 3 memberships (scope), 4 the exact count of the open cases,
    # 5 the bell's unread count, 6 the page with agency, commune and handler joined.
    with django_assert_num_queries(6) as captured:
        body = client.get(INBOX).content.decode()
    page = captured.captured_queries[-1]["sql"]
    # The row shows none of the texts or rules a case carries.
    for column in ("content", "identity", "search_text", "clock_rule", "handling_rule"):
        assert f'"petitions_petition"."{column}"' not in page
    assert "3 đơn" in body or "3 petitions" in body


def test_the_inbox_costs_the_same_queries_for_3_or_30_cases_with_words_or_closed_ones(
    client, agency, handler
):
    client.force_login(handler)
    for _ in range(3):
        submit_petition(agency=agency)
    forget_scope(handler)
    searches = [{"q": "thu hồi đất"}, {"q": "thu hoi dat", "all": "1"}, {"all": "1"}]
    few = [len(_queries(client, INBOX, params)) for params in searches]
    for _ in range(27):
        submit_petition(agency=agency)
    # The same six: the count is bounded (a sliced COUNT), not a query more.
    assert [len(_queries(client, INBOX, params)) for params in searches] == few == [6, 6, 6]


def test_a_search_counts_its_matches_no_further_than_the_bound(
    client, agency, handler, monkeypatch
):
    for _ in range(4):
        submit_petition(agency=agency)
    monkeypatch.setattr(selectors, "INBOX_COUNT_BOUND", 3)
    client.force_login(handler)
    response = client.get(INBOX, {"q": "thu hoi dat"})
    assert response.context["more_than"] == 3
    assert len(response.context["rows"]) == 4  # the page itself is whole
    # Without words the open cases are counted exactly, whatever the bound.
    response = client.get(INBOX)
    assert response.context["more_than"] is None
    assert response.context["page"].paginator.count == 4


def test_the_inbox_rows_carry_their_labels_and_phase(client, agency, handler):
    from tests.petitions.conftest import at

    with at(2026, 1, 5):
        submit_petition(agency=agency, subject="Đơn cũ quá hạn")
    client.force_login(handler)
    response = client.get(INBOX)
    row = response.context["rows"][0]
    assert row.phase == "long_overdue"
    assert row.status_label == str(row.petition.get_status_display())
    assert row.kind_label == str(row.petition.get_kind_display())
    assert 'class="phase-long_overdue"' in response.content.decode()


# --- the case page ---------------------------------------------------------------------


def _with_events(petition, handler, total: int) -> None:
    """Internal notes until the case has `total` events (the real service)."""
    for i in range(total - petition.events.count()):
        services.petition_add_note(petition=petition, actor=handler, note=f"Ghi chú {i}")


def test_the_case_page_costs_as_many_queries_with_50_events_as_with_1(client, agency, handler):
    one = submit_petition(agency=agency).petition
    many = submit_petition(agency=agency).petition
    _with_events(many, handler, 50)
    assert one.events.count() == 1 and many.events.count() == 50
    client.force_login(handler)
    _queries(client, reverse("petitions:detail", args=[one.pk]))  # the session settles
    few = _queries(client, reverse("petitions:detail", args=[one.pk]))
    lots = _queries(client, reverse("petitions:detail", args=[many.pk]))
    assert len(lots) == len(few)


def test_the_timeline_names_each_step_once(client, agency, handler):
    petition = submit_petition(agency=agency).petition
    _with_events(petition, handler, 3)
    client.force_login(handler)
    body = client.get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    from petitions.presentation import MOVE_LABELS

    # Two notes and the submission: the label of each move, as the loop printed it.
    assert body.count(f'<div class="fw-semibold">{MOVE_LABELS["note"]}') == 2
