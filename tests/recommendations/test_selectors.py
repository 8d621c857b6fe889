from datetime import date

import pytest
from django.http import Http404
from django.urls import reverse

from agencies.models import Role
from recommendations import selectors, services
from recommendations.models import ResultCategory
from tests.factories import AgencyFactory, member

from .conftest import at
from .factories import (
    CouncilSessionFactory,
    VoterMeetingFactory,
    collect,
    consolidated,
    forwarded,
    forwarding_of,
    settled,
)

pytestmark = pytest.mark.django_db

R = ResultCategory


@pytest.fixture
def later_meeting(next_session, commune):
    return VoterMeetingFactory(session=next_session, commune=commune, held_on=date(2026, 11, 10))


def _spread(meeting, staff, agency, lead, spread, *, dispatched_on, answered_on, late=0):
    """Items answered per `spread` ({category or None: count}); the first `late` answered
    after their due date."""
    items = []
    for category, count in spread.items():
        for _ in range(count):
            when = answered_on
            if category is not None and late:
                when, late = date(2026, 10, 1), late - 1
            items.append(
                settled(
                    meeting,
                    staff,
                    agency,
                    lead,
                    category=category,
                    dispatched_on=dispatched_on,
                    answered_on=when,
                )
            )
    return items


def test_71_forwarded_40_resolved_is_a_56_3_percent_resolution_rate_for_the_term(
    staff, lead, department, meeting, later_meeting, session, next_session, term
):
    with at(2026, 12, 1):
        # session 2: 60 forwarded on 25/07 (due 24/08); 3 answers late
        _spread(
            meeting,
            staff,
            department,
            lead,
            {
                R.RESOLVED: 35,
                R.EXPLAINED: 5,
                R.IN_PROGRESS: 8,
                R.PLANNED: 4,
                R.NOT_RESOLVED: 3,
                None: 5,
            },
            dispatched_on=date(2026, 7, 25),
            answered_on=date(2026, 8, 10),
            late=3,
        )
        # session 3: 11 forwarded on 15/11, 5 resolved already; 2 collected, not forwarded
        _spread(
            later_meeting,
            staff,
            department,
            lead,
            {R.RESOLVED: 5, None: 6},
            dispatched_on=date(2026, 11, 15),
            answered_on=date(2026, 11, 25),
        )
        collect(later_meeting, staff)
        consolidated(later_meeting, staff)
        carried = services.session_carry_over(actor=staff, session=next_session)

    assert carried == 20  # 8 in progress + 4 planned + 3 not resolved + 5 unanswered

    term_figures = selectors.term_figures(term)
    assert (term_figures.forwarded, term_figures.resolved) == (71, 40)
    assert str(term_figures.resolution_rate) == "56.3"
    assert term_figures.total == 73
    assert term_figures.answered == 60
    assert term_figures.answered_on_time == 57
    assert term_figures.explained == 5 and term_figures.not_resolved == 3
    assert term_figures.awaiting_answer == 11

    first = selectors.session_figures(session)
    assert (first.forwarded, first.resolved, first.answered, first.answered_on_time) == (
        60,
        35,
        55,
        52,
    )
    assert str(first.resolution_rate) == "58.3"
    assert str(first.on_time_rate) == "94.5"
    assert first.carried_over == 0

    # session 3 counts its own 11 and the 20 carried over from session 2
    second = selectors.session_figures(next_session)
    assert (second.forwarded, second.resolved, second.carried_over) == (31, 5, 20)
    assert str(second.resolution_rate) == "16.1"
    assert second.in_progress == 8 and second.awaiting_answer == 11


def test_each_figure_is_one_query_whatever_the_data(
    django_assert_num_queries, staff, lead, department, meeting, session, term
):
    settled(meeting, staff, department, lead, category=R.RESOLVED, dispatched_on=date(2026, 7, 25))
    # the aggregate over the session's items and those carried onto it
    with django_assert_num_queries(1):
        selectors.session_figures(session)
    # the aggregate over the term's items
    with django_assert_num_queries(1):
        selectors.term_figures(term)


def test_figures_of_an_empty_session_have_no_rates(session):
    figures = selectors.session_figures(session)
    assert figures.forwarded == 0
    assert figures.resolution_rate is None and figures.on_time_rate is None


def test_merged_duplicates_are_not_counted_twice(staff, meeting, session):
    keeper, duplicate = collect(meeting, staff), collect(meeting, staff)
    services.recommendation_consolidate(actor=staff, keeper=keeper, duplicates=[duplicate])
    assert selectors.session_figures(session).total == 1


def test_the_public_figures_are_cached_until_the_next_committed_change(
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
    staff,
    department,
    meeting,
    session,
):
    forwarded(meeting, staff, [department])
    assert selectors.public_session_figures(session).forwarded == 1
    with django_assert_num_queries(0):
        assert selectors.public_session_figures(session).forwarded == 1
    with django_capture_on_commit_callbacks(execute=True):
        forwarded(meeting, staff, [department])
    assert selectors.public_session_figures(session).forwarded == 2


def test_search_finds_items_with_or_without_diacritics(staff, meeting, session):
    flood = collect(meeting, staff, content="Nạo vét kênh tiêu úng xứ đồng Đông Xoài")
    collect(meeting, staff, content="Cấp giấy chứng nhận quyền sử dụng đất")
    for text in ("kênh tiêu úng", "kenh tieu ung", "KENH Tiêu", "đông xoài"):
        found = selectors.consolidation_candidates(session, selectors.ListFilters(q=text))
        assert list(found) == [flood], text


def test_an_agency_sees_only_the_forwardings_to_itself(
    staff, lead, other_lead, department, other_department, meeting
):
    mine = forwarded(meeting, staff, [department])
    forwarded(meeting, staff, [other_department])
    inbox = selectors.agency_inbox(lead, selectors.InboxFilters(), today=date(2026, 8, 3))
    assert [f.recommendation_id for f in inbox] == [mine.pk]
    other = forwarding_of(mine, department)
    with pytest.raises(Http404):
        selectors.forwarding_for_user(other_lead, other.pk)
    with pytest.raises(Http404):
        selectors.recommendation_for_staff(other_lead, mine.pk)


def test_an_agency_does_not_see_the_council_sessions(lead, session):
    assert not selectors.visible_sessions(lead).exists()
    with pytest.raises(Http404):
        selectors.session_for_staff(lead, session.pk)


def test_a_monitor_reads_the_whole_province_and_another_council_reads_nothing(
    monitor, staff, department, meeting, session
):
    item = forwarded(meeting, staff, [department])
    assert list(selectors.visible_sessions(monitor)) == [session]
    assert (
        selectors.agency_inbox(monitor, selectors.InboxFilters(), today=date(2026, 8, 3)).count()
        == 1
    )
    assert selectors.recommendation_for_staff(monitor, item.pk) == item
    stranger = member(Role.COUNCIL_STAFF, AgencyFactory(kind="hdnd"))
    with pytest.raises(Http404):
        selectors.session_for_staff(stranger, session.pk)
    with pytest.raises(Http404):
        selectors.recommendation_for_staff(stranger, item.pk)


def test_the_inbox_filters_by_deadline_phase(staff, department, lead, meeting):
    on_track = forwarded(meeting, staff, [department], dispatched_on=date(2026, 8, 1))
    overdue = forwarded(meeting, staff, [department], dispatched_on=date(2026, 6, 25))
    today = date(2026, 8, 3)
    phase = lambda p: [  # noqa: E731
        f.recommendation_id
        for f in selectors.agency_inbox(lead, selectors.InboxFilters(phase=p), today=today)
    ]
    assert phase("on_track") == [on_track.pk]
    assert phase("overdue") == [overdue.pk]
    assert phase("long_overdue") == []


def test_a_sessions_list_includes_items_carried_over_onto_it(
    staff, lead, department, meeting, next_session, session
):
    item = settled(
        meeting, staff, department, lead, category=R.IN_PROGRESS, dispatched_on=date(2026, 7, 25)
    )
    with at(2026, 12, 1):
        services.session_carry_over(actor=staff, session=next_session)
    listed = selectors.session_recommendations(next_session, selectors.ListFilters())
    assert list(listed) == [item]
    assert list(
        selectors.session_recommendations(next_session, selectors.ListFilters(carried=True))
    ) == [item]
    assert list(selectors.session_recommendations(session, selectors.ListFilters())) == [item]


def test_the_age_of_an_item_counts_from_the_first_meeting(staff, department, lead, meeting):
    item = forwarded(meeting, staff, [department])
    assert item.age_days(date(2026, 8, 3)) == (date(2026, 8, 3) - meeting.held_on).days
    done = settled(
        meeting,
        staff,
        department,
        lead,
        category=R.RESOLVED,
        dispatched_on=date(2026, 7, 25),
        answered_on=date(2026, 7, 30),
    )
    # a resolved item stops ageing when its result is accepted (today, 03/08)
    assert done.age_days(date(2027, 1, 1)) == (date(2026, 8, 3) - meeting.held_on).days


def test_published_sessions_are_the_only_public_ones(staff, department, meeting, session):
    forwarded(meeting, staff, [department])
    draft = CouncilSessionFactory(term=session.term, number=9)
    services.session_publish(actor=staff, session=session)
    assert list(selectors.published_sessions()) == [session]
    with pytest.raises(Http404):
        selectors.public_session(draft.pk)


def test_9_of_16_resolved_reads_56_3_percent_rounded_half_up(
    client, staff, lead, department, meeting, session
):
    with at(2026, 12, 1):
        _spread(
            meeting,
            staff,
            department,
            lead,
            {R.RESOLVED: 9, R.IN_PROGRESS: 7},
            dispatched_on=date(2026, 7, 25),
            answered_on=date(2026, 8, 10),
            late=9,
        )
    services.session_publish(actor=staff, session=session)
    figures = selectors.session_figures(session)
    # 56.25 % rounds half up (official reports), to a plain number the API and pages print.
    assert figures.resolution_rate == 56.3 and isinstance(figures.resolution_rate, float)
    assert figures.on_time_rate == 43.8  # 7 of 16 on time
    assert figures.answer_rate == 100.0
    body = client.get(reverse("recommendations:public_session", args=[session.pk]))
    assert "56,3 %" in body.content.decode()
