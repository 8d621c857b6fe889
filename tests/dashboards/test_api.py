"""The stats API on the hand-computed dataset of tests/petitions/test_figures.py."""

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.authtoken.models import Token

from agencies.models import Role
from tests.factories import AgencyFactory, member, submit_petition
from tests.petitions.conftest import at

pytestmark = pytest.mark.django_db

MARCH = {"from": "01/03/2026", "to": "31/03/2026"}
# The median is its own aggregate on PostgreSQL; elsewhere a COUNT and a slice.
MEDIAN_QUERIES = 1 if connection.vendor == "postgresql" else 2
# PostgreSQL keeps the facts of ended petitions (petitions/facts.py): each figure reads
# them beside the open cases and the ended cases' edges (petitions/figures.py: three
# queries for the one live count), and the median reads its days beside its live part.
FACTS = 1 if connection.vendor == "postgresql" else 0


def _get(client, name, params=None, **kwargs):
    return client.get(reverse(f"stats:{name}", kwargs=kwargs or None), params or {})


def test_the_summary_through_the_api_equals_the_hand_computed_figures(client, dataset, lead):
    client.force_login(lead)
    response = _get(client, "summary", MARCH)
    assert response.status_code == 200
    data = response.json()
    assert data["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    assert data["received"] == 3  # B, C, D
    assert data["handled"] == 2  # B accepted 05/03, C guided 05/03
    assert data["handled_on_time"] == 2
    assert data["handled_on_time_rate"] == 100.0
    assert data["pending_at_start"] == 2  # A, E
    assert data["accepted"] == 1  # B
    assert data["in_competence"] == 3
    assert data["resolved"] == 2  # A, E
    assert data["resolved_on_time"] == 1  # A
    assert data["resolution_rate"] == 66.7
    assert data["on_time_rate"] == 50.0
    assert data["overdue"] == 1  # D
    assert data["median_days_to_resolve"] == 33.5  # 18 and 49 days


def test_iso_dates_are_accepted_as_well(client, dataset, lead):
    client.force_login(lead)
    data = _get(client, "summary", {"from": "2026-03-01", "to": "2026-03-31"}).json()
    assert data["received"] == 3


def test_the_breakdown_by_agency_gives_each_agency_its_own_figures(
    client, dataset, monitor, agency, other_agency
):
    client.force_login(monitor)
    data = _get(client, "by", MARCH, dimension="agency").json()
    assert data["dimension"] == "agency"
    assert data["min_ranked"] == 10
    rows = {row["key"]: row for row in data["results"]}
    assert set(rows) == {str(agency.pk), str(other_agency.pk)}
    mine = rows[str(agency.pk)]
    assert mine["label"] == "Sở Nông nghiệp và Môi trường"
    assert (mine["received"], mine["resolved"], mine["in_competence"]) == (3, 2, 3)
    assert mine["resolution_rate"] == 66.7
    # three cases in competence: listed, but too few to be ranked
    assert mine["ranked"] is False and mine["rank"] is None
    theirs = rows[str(other_agency.pk)]
    assert (theirs["received"], theirs["overdue"], theirs["resolution_rate"]) == (1, 1, None)


@pytest.mark.parametrize(
    ("dimension", "key", "received"),
    [("kind", "complaint", 3), ("field", "land", 3), ("channel", "online", 3)],
)
def test_the_breakdowns_by_kind_field_and_channel(client, dataset, lead, dimension, key, received):
    client.force_login(lead)
    rows = _get(client, "by", MARCH, dimension=dimension).json()["results"]
    assert [(row["key"], row["received"]) for row in rows] == [(key, received)]
    assert rows[0]["label"]  # the choice's label, in the request's language


def test_the_breakdown_by_commune_has_a_row_for_cases_without_one(client, dataset, lead):
    client.force_login(lead)
    rows = _get(client, "by", MARCH, dimension="commune").json()["results"]
    assert [(row["key"], row["received"]) for row in rows] == [(None, 3)]


def test_an_unknown_dimension_is_a_404(client, lead):
    client.force_login(lead)
    assert _get(client, "by", MARCH, dimension="handler").status_code == 404


def test_the_monthly_trend_counts_each_measure_in_its_own_month(client, dataset, lead):
    client.force_login(lead)
    data = _get(client, "trend", {"from": "01/02/2026", "to": "30/04/2026"}).json()
    months = {row["month"]: row for row in data["results"]}
    assert list(months) == ["2026-02-01", "2026-03-01", "2026-04-01"]
    # February: A and E received and accepted; March as in the summary; April: B resolved late
    assert {k: months["2026-02-01"][k] for k in ("received", "accepted", "resolved")} == {
        "received": 2,
        "accepted": 2,
        "resolved": 0,
    }
    march = months["2026-03-01"]
    assert (march["received"], march["accepted"], march["resolved"]) == (3, 1, 2)
    assert (march["resolved_on_time"], march["on_time_rate"]) == (1, 50.0)
    april = months["2026-04-01"]
    assert (april["resolved"], april["resolved_on_time"]) == (1, 0)


def test_the_months_add_up_to_the_summary_of_the_same_period(client, dataset, monitor):
    client.force_login(monitor)
    params = {"from": "15/01/2026", "to": "30/04/2026"}
    summary = _get(client, "summary", params).json()
    rows = _get(client, "trend", params).json()["results"]
    for measure in ("received", "accepted", "resolved", "resolved_on_time"):
        assert sum(row[measure] for row in rows) == summary[measure], measure


def test_filters_narrow_every_figure(client, dataset, monitor, agency):
    client.force_login(monitor)
    assert _get(client, "summary", MARCH).json()["received"] == 4
    assert _get(client, "summary", {**MARCH, "agency": agency.pk}).json()["received"] == 3
    assert _get(client, "summary", {**MARCH, "kind": "denunciation"}).json()["received"] == 0
    assert _get(client, "summary", {**MARCH, "field": "land"}).json()["received"] == 4
    assert _get(client, "summary", {**MARCH, "channel": "post"}).json()["received"] == 0
    assert (
        _get(client, "summary", {**MARCH, "province": agency.province_id}).json()["received"] == 4
    )
    assert _get(client, "summary", {**MARCH, "commune": 987654}).json()["received"] == 0


def test_the_default_period_is_the_current_year_to_date(client, dataset, lead):
    client.force_login(lead)
    with at(2026, 5, 15):
        data = _get(client, "summary").json()
    assert data["period"] == {"from": "2026-01-01", "to": "2026-05-15"}
    assert data["received"] == 5  # A, B, C, D, E


def test_a_period_ending_in_the_future_ends_today(client, dataset, lead):
    client.force_login(lead)
    with at(2026, 3, 20):
        data = _get(client, "summary", {"from": "01/03/2026", "to": "31/12/2026"}).json()
    assert data["period"]["to"] == "2026-03-20"


# --- who sees what -------------------------------------------------------------------


def test_a_lead_sees_only_their_agencys_figures(client, dataset, other_lead):
    client.force_login(other_lead)
    assert _get(client, "summary", MARCH).json()["received"] == 1
    rows = _get(client, "by", MARCH, dimension="agency").json()["results"]
    assert [row["label"] for row in rows] == ["Sở Xây dựng"]


def test_a_lead_cannot_ask_for_another_agency(client, dataset, other_lead, agency):
    client.force_login(other_lead)
    response = _get(client, "summary", {**MARCH, "agency": agency.pk})
    assert response.status_code == 400
    assert response.json() == {"agency": ["Cơ quan này không thuộc phạm vi bạn được xem."]}


def test_a_monitor_sees_the_whole_province(client, dataset, monitor):
    client.force_login(monitor)
    data = _get(client, "summary", MARCH).json()
    assert (data["received"], data["overdue"]) == (4, 2)


def test_a_monitor_sees_nothing_of_another_province(client, dataset):
    outsider = member(Role.MONITOR, AgencyFactory(), username="giamsat.khac")
    client.force_login(outsider)
    assert _get(client, "summary", MARCH).json()["received"] == 0


@pytest.mark.parametrize("name", ["summary", "by", "trend", "recommendations"])
def test_a_handler_is_refused_every_stats_endpoint(client, handler, name):
    client.force_login(handler)
    kwargs = {"dimension": "agency"} if name == "by" else {}
    response = _get(client, name, **kwargs)
    assert response.status_code == 403
    assert "giám sát" in response.json()["detail"]


@pytest.mark.parametrize("name", ["summary", "by", "trend", "recommendations"])
def test_an_anonymous_caller_is_refused_every_stats_endpoint(client, name):
    kwargs = {"dimension": "agency"} if name == "by" else {}
    assert _get(client, name, **kwargs).status_code in (401, 403)


def test_a_token_works_as_well_as_a_session(client, dataset, lead):
    token = Token.objects.create(user=lead)
    response = client.get(reverse("stats:summary"), MARCH, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["received"] == 3


# --- bad input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "31/02/2026"}, "from"),
        ({"from": "hôm qua"}, "from"),
        ({"to": "2026-13-01"}, "to"),
        ({"from": "01/05/2026", "to": "01/03/2026"}, "from"),
        ({"from": "01/01/1900"}, "from"),
        ({"from": "01/01/2001", "to": "01/02/2021"}, "from"),
        ({"agency": "abc"}, "agency"),
        ({"agency": "-3"}, "agency"),
        ({"agency": "99999999999999999999999"}, "agency"),
        ({"commune": "1.5"}, "commune"),
        ({"province": "x"}, "province"),
        ({"kind": "lawsuit"}, "kind"),
        ({"field": "<script>"}, "field"),
        ({"channel": "fax"}, "channel"),
    ],
)
def test_bad_filters_are_a_400_naming_the_field_never_a_500(client, lead, params, field):
    client.force_login(lead)
    for name, kwargs in (("summary", {}), ("by", {"dimension": "agency"}), ("trend", {})):
        response = _get(client, name, params, **kwargs)
        assert response.status_code == 400, (name, params)
        assert field in response.json(), (name, response.json())


def test_errors_are_in_vietnamese_by_default_and_in_english_on_request(client, lead):
    client.force_login(lead)
    vietnamese = _get(client, "summary", {"from": "hôm qua"}).json()
    assert vietnamese == {"from": ["Nhập ngày theo dạng dd/mm/yyyy hoặc yyyy-mm-dd."]}
    english = client.get(
        reverse("stats:summary"), {"from": "hôm qua"}, HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert english == {"from": ["Enter a date as dd/mm/yyyy or yyyy-mm-dd."]}
    choice = client.get(
        reverse("stats:summary"), {"kind": "lawsuit"}, HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert choice == {"kind": ["“lawsuit” is not one of the allowed values."]}


def test_a_bad_term_for_the_recommendations_is_a_400(client, lead):
    client.force_login(lead)
    response = _get(client, "recommendations", {"term": "2026-2031"})
    assert response.status_code == 400
    assert "term" in response.json()


# --- query counts --------------------------------------------------------------------


def _more_petitions(agencies, n=12):
    with at(2026, 3, 9):
        for i in range(n):
            submit_petition(agency=agencies[i % len(agencies)], kind="denunciation")


def _assert_queries(client, django_assert_num_queries, expected, name, **kwargs):
    with django_assert_num_queries(expected):
        assert _get(client, name, MARCH, **kwargs).status_code == 200


@pytest.mark.parametrize("many", [False, True])
def test_the_summary_costs_the_same_queries_whatever_the_data(
    client, dataset, monitor, agency, other_agency, many, django_assert_num_queries
):
    if many:
        _more_petitions([agency, other_agency])
    client.force_login(monitor)
    # 1 session, 2 user, 3 memberships and 4 the province's agencies (the scope),
    # 5 the one aggregate of every count, then the median (PostgreSQL: one aggregate;
    # SQLite: a COUNT and a slice), and the citizens' verdict (one aggregate).
    _assert_queries(client, django_assert_num_queries, 6 + MEDIAN_QUERIES + 3 * FACTS, "summary")


@pytest.mark.parametrize("dimension", ["agency", "commune", "field", "kind", "channel"])
@pytest.mark.parametrize("many", [False, True])
def test_each_breakdown_is_one_query_whatever_the_data(
    client, dataset, monitor, agency, other_agency, many, dimension, django_assert_num_queries
):
    if many:
        _more_petitions([agency, other_agency])
    client.force_login(monitor)
    # 1 session, 2 user, 3 memberships, 4 the province's agencies,
    # 5 the grouped aggregate, 6 the agencies' or communes' names (choices need none;
    # these petitions name no commune, so there are no communes' names to read), and
    # the citizens' verdict grouped the same way.
    named = dimension == "agency"
    _assert_queries(
        client, django_assert_num_queries, 6 + named + 2 * FACTS, "by", dimension=dimension
    )


@pytest.mark.parametrize("many", [False, True])
def test_the_trend_is_one_query_whatever_the_data(
    client, dataset, monitor, agency, other_agency, many, django_assert_num_queries
):
    if many:
        _more_petitions([agency, other_agency])
    client.force_login(monitor)
    # 1 session, 2 user, 3 memberships, 4 the province's agencies,
    # 5 one aggregate grouped by the months of the three dates.
    with django_assert_num_queries(5 + 2 * FACTS):
        response = _get(client, "trend", {"from": "01/01/2025", "to": "31/10/2026"})
    assert len(response.json()["results"]) == 22


def test_a_leads_summary_skips_the_province_lookup(
    client, dataset, lead, django_assert_num_queries
):
    client.force_login(lead)
    # 1 session, 2 user, 3 memberships, 4 the aggregate (SQLite: the median, two more),
    # 5 the citizens' verdict.
    _assert_queries(client, django_assert_num_queries, 5 + MEDIAN_QUERIES + 3 * FACTS, "summary")


def test_the_summary_of_march_is_what_the_petitions_selectors_say(dataset, lead):
    # The API adds nothing of its own: the figures are petitions.selectors.figures.
    from agencies.scope import visible_agency_ids
    from petitions import selectors

    f = selectors.StatsFilter(
        start=date(2026, 3, 1), end=date(2026, 3, 31), agency_ids=visible_agency_ids(lead)
    )
    expected = selectors.figures(f)
    from django.test import Client

    client = Client()
    client.force_login(lead)
    data = _get(client, "summary", MARCH).json()
    assert {k: data[k] for k in expected} == expected
