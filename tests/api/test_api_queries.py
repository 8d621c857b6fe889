"""What the petitions API costs in queries (issue 15): the list reads its page in one
query without the columns it never shows, and one case costs as many queries with 50
events as with 1."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from petitions import services
from petitions.api.viewsets import LIST_DEFERRED
from petitions.models import Petition
from tests.factories import submit_petition

pytestmark = pytest.mark.django_db

LIST = "/api/v1/petitions/"


def _detail(pk: int) -> str:
    return reverse("api:petition-detail", args=[pk])


def _captured(api, url: str) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url)
    assert response.status_code == 200
    return response.json(), [q["sql"] for q in ctx.captured_queries]


def test_the_list_costs_five_queries_for_3_or_30_cases(
    api, agency, other_agency, handler, django_assert_num_queries
):
    def cases(n: int) -> None:
        for _ in range(n):
            submit_petition(agency=agency)
            submit_petition(agency=other_agency)  # outside the handler's scope

    cases(3)
    api.force_login(handler)
    # 1 session, 2 user, 3 memberships (scope), 4 the count, 5 the page with agency,
    # commune, handler and the linked cases with their agencies joined.
    with django_assert_num_queries(5):
        assert api.get(LIST).status_code == 200
    cases(27)
    with django_assert_num_queries(5):
        assert api.get(LIST).status_code == 200


def test_the_list_page_reads_none_of_the_texts_it_never_shows(api, agency, handler):
    submit_petition(agency=agency)
    api.force_login(handler)
    body, queries = _captured(api, LIST)
    page = queries[-1]
    for column in ("content", "identity", "search_text", "handling_rule", "clock_rule"):
        assert f'"petitions_petition"."{column}"' not in page
    # … and the rows it sends are whole: every field of the summary, as before.
    row = body["results"][0]
    assert row["status_display"] and row["kind_display"] and row["field_display"]
    assert row["phase"] is not None
    assert all("__" in name or hasattr(Petition, name) for name in LIST_DEFERRED)


def test_the_labels_of_a_row_are_the_models_own(api, agency, handler):
    petition = submit_petition(agency=agency).petition
    api.force_login(handler)
    row = api.get(LIST).json()["results"][0]
    assert row["kind_display"] == petition.get_kind_display()
    assert row["status_display"] == petition.get_status_display()
    assert row["field_display"] == petition.get_field_display()
    assert row["channel_display"] == petition.get_channel_display()
    assert row["clock_display"] == (petition.get_clock_display() or None)
    assert row["outcome_display"] is None and row["not_accepted_reason_display"] is None


def test_one_case_costs_as_many_queries_with_50_events_as_with_1(api, agency, handler):
    one = submit_petition(agency=agency).petition
    many = submit_petition(agency=agency).petition
    for i in range(49):
        services.petition_add_note(petition=many, actor=handler, note=f"Ghi chú {i}")
    assert one.events.count() == 1 and many.events.count() == 50
    api.force_login(handler)
    _captured(api, _detail(one.pk))  # the session settles
    _, few = _captured(api, _detail(one.pk))
    body, lots = _captured(api, _detail(many.pk))
    assert len(body["events"]) == 50
    assert len(lots) == len(few)
