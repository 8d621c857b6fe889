"""Voter-recommendation figures per term, session and agency, through the stats API.

The grouped queries of dashboards.selectors must give, for every session and term, what
recommendations.selectors.session_figures() / term_figures() give for it alone.
"""

import re
from dataclasses import asdict
from datetime import date

import pytest
from django.urls import reverse

from agencies.models import Agency, Role
from dashboards import selectors
from recommendations import selectors as rec_selectors
from recommendations import services
from recommendations.models import ResultCategory
from tests.factories import AgencyFactory, member
from tests.petitions.conftest import at
from tests.recommendations.factories import (
    CouncilFactory,
    CouncilSessionFactory,
    TermFactory,
    VoterMeetingFactory,
    collect,
    settled,
)

pytestmark = pytest.mark.django_db

R = ResultCategory


@pytest.fixture
def council(province):
    return CouncilFactory(unit=province, name="Hội đồng nhân dân tỉnh")


@pytest.fixture
def department(province):
    return AgencyFactory(unit=province, name="Sở Giao thông", kind=Agency.Kind.DEPARTMENT)


@pytest.fixture
def health(province):
    return AgencyFactory(unit=province, name="Sở Y tế", kind=Agency.Kind.DEPARTMENT)


@pytest.fixture
def staff(council):
    return member(Role.COUNCIL_STAFF, council, username="hdnd")


@pytest.fixture
def department_lead(department):
    return member(Role.LEAD, department, username="lanhdao.gt")


@pytest.fixture
def health_lead(health):
    return member(Role.LEAD, health, username="lanhdao.yt")


@pytest.fixture
def term(council):
    return TermFactory(council=council)


@pytest.fixture
def sessions(term, province):
    first = CouncilSessionFactory(term=term, number=2)
    second = CouncilSessionFactory(
        term=term, number=3, opens_on=date(2026, 12, 8), closes_on=date(2026, 12, 10)
    )
    return first, second


@pytest.fixture
def voters(sessions, staff, department, department_lead, health, health_lead, province):
    """Session 2: 6 items forwarded on 25/07 — to transport: 2 resolved, 1 in progress,
    1 not answered; to health: 1 explained, 1 planned (answered late). Session 3: 2 own
    items (1 resolved), 1 collected only; the 3 unresolved of session 2 carried over."""
    first, second = sessions
    meeting = VoterMeetingFactory(session=first, commune__parent=province)
    later = VoterMeetingFactory(
        session=second, commune__parent=province, held_on=date(2026, 11, 10)
    )
    with at(2026, 12, 1):
        july, answered = date(2026, 7, 25), date(2026, 8, 10)
        for category in (R.RESOLVED, R.RESOLVED, R.IN_PROGRESS, None):
            settled(
                meeting,
                staff,
                department,
                department_lead,
                category=category,
                dispatched_on=july,
                answered_on=answered,
            )
        for category, when in ((R.EXPLAINED, answered), (R.PLANNED, date(2026, 10, 1))):
            settled(
                meeting,
                staff,
                health,
                health_lead,
                category=category,
                dispatched_on=july,
                answered_on=when,
                field="health",
            )
        for category in (R.RESOLVED, None):
            settled(
                later,
                staff,
                department,
                department_lead,
                category=category,
                dispatched_on=date(2026, 11, 15),
                answered_on=date(2026, 11, 25),
            )
        collect(later, staff)
        services.session_carry_over(actor=staff, session=second)
    return first, second


def _figures(figures):
    return {
        **asdict(figures),
        "resolution_rate": figures.resolution_rate,
        "on_time_rate": figures.on_time_rate,
    }


def test_each_session_and_term_has_the_figures_the_recommendations_app_computes(
    voters, monitor, term
):
    first, second = voters
    stats = selectors.recommendation_stats(monitor)
    by_session = {s["id"]: s for s in stats.sessions}
    assert list(by_session) == [second.pk, first.pk]  # latest first
    for session in (first, second):
        expected = rec_selectors.session_figures(session)
        assert _figures(by_session[session.pk]["figures"]) == _figures(expected), session
    [term_row] = stats.terms
    assert _figures(term_row["figures"]) == _figures(rec_selectors.term_figures(term))
    assert _figures(stats.total) == _figures(rec_selectors.term_figures(term))


def test_the_hand_counted_figures_of_the_sessions(voters, monitor):
    first, second = voters
    stats = selectors.recommendation_stats(monitor)
    by_session = {s["id"]: s["figures"] for s in stats.sessions}
    one, two = by_session[first.pk], by_session[second.pk]
    assert (one.forwarded, one.answered, one.answered_on_time) == (6, 5, 4)
    assert (one.resolved, one.in_progress, one.explained, one.planned) == (2, 1, 1, 1)
    assert str(one.resolution_rate) == "33.3"
    # session 3: its 2 forwarded + 1 collected, and 3 carried over (in progress,
    # planned, not answered)
    assert (two.total, two.forwarded, two.carried_over, two.resolved) == (6, 5, 3, 1)
    assert str(two.resolution_rate) == "20.0"


def test_each_agency_answering_gets_its_own_forwardings(voters, monitor, department, health):
    stats = selectors.recommendation_stats(monitor)
    agencies = {a["name"]: a["figures"] for a in stats.agencies}
    transport, medical = agencies["Sở Giao thông"], agencies["Sở Y tế"]
    assert (transport.forwarded, transport.answered, transport.resolved) == (6, 4, 3)
    assert (medical.forwarded, medical.answered_on_time, medical.explained) == (2, 1, 1)


def test_a_department_lead_sees_only_their_agencys_answers(voters, health_lead):
    stats = selectors.recommendation_stats(health_lead)
    assert stats.sessions == [] and stats.terms == []  # not a council
    assert [a["name"] for a in stats.agencies] == ["Sở Y tế"]


def test_the_api_gives_the_figures_per_term_session_agency_and_category(
    client, voters, monitor, term
):
    client.force_login(monitor)
    response = client.get(reverse("stats:recommendations"))
    assert response.status_code == 200
    data = response.json()
    assert data["term"] is None
    assert data["total"]["forwarded"] == 8 and data["total"]["resolved"] == 3
    assert data["total"]["resolution_rate"] == 37.5
    categories = {c["category"]: c["count"] for c in data["by_category"]}
    assert categories == {
        "resolved": 3,
        "in_progress": 1,
        "planned": 1,
        "explained": 1,
        "not_resolved": 0,
    }
    assert [s["title"] for s in data["sessions"]] == ["Kỳ họp thứ 3", "Kỳ họp thứ 2"]
    assert data["sessions"][0]["figures"]["carried_over"] == 3
    assert data["terms"][0]["id"] == term.pk
    assert {a["name"] for a in data["agencies"]} == {"Sở Giao thông", "Sở Y tế"}
    narrowed = client.get(reverse("stats:recommendations"), {"term": term.pk + 1000}).json()
    assert narrowed["sessions"] == [] and narrowed["total"]["forwarded"] == 0


@pytest.mark.parametrize("extra", [0, 6])
def test_the_recommendation_figures_cost_the_same_queries_whatever_the_data(
    client, voters, monitor, staff, department, department_lead, extra, django_assert_num_queries
):
    first, _second = voters
    meeting = first.meetings.first()
    with at(2026, 12, 1):
        for _ in range(extra):
            settled(
                meeting,
                staff,
                department,
                department_lead,
                category=R.RESOLVED,
                dispatched_on=date(2026, 7, 25),
                answered_on=date(2026, 8, 10),
            )
    client.force_login(monitor)
    # 1 session, 2 user, 3 memberships, 4 the province's agencies (the scope),
    # 5 the sessions (labels), 6 per session (own items), 7 per session (carried-over items),
    # 8 per agency answering (its forwardings).
    with django_assert_num_queries(8):
        assert client.get(reverse("stats:recommendations")).status_code == 200


def _session_rows(body: str) -> list[str]:
    table = body[body.index('id="session-table"') :]
    table = table[: table.index("</table>")]
    return re.findall(r'<a href="/staff/recommendations/sessions/\d+/">([^<]+)</a>', table)


def test_the_dashboard_lists_the_most_recent_sessions_and_links_to_all(
    client, voters, monitor, monkeypatch
):
    """A province's councils hold hundreds of sessions in a term: the dashboard shows
    the most recent ones and says how many there are, with a link to every session."""
    from dashboards import views

    client.force_login(monitor)
    body = client.get(reverse("dashboards:dashboard")).content.decode()
    assert _session_rows(body) == ["Kỳ họp thứ 3", "Kỳ họp thứ 2"]
    assert 'id="session-table-more"' not in body

    monkeypatch.setattr(views, "DASHBOARD_SESSIONS", 1)
    body = client.get(reverse("dashboards:dashboard")).content.decode()
    assert _session_rows(body) == ["Kỳ họp thứ 3"]
    more = body[body.index('id="session-table-more"') :]
    more = more[: more.index("</p>")]
    assert "1" in more and "2" in more
    assert reverse("recommendations:sessions") in more
    # Everything else about the sessions is unchanged: the stats API gives them all.
    data = client.get(reverse("stats:recommendations")).json()
    assert len(data["sessions"]) == 2
