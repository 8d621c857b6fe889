"""Every list page costs the same number of queries with 1 row or many.

Each test runs twice (`size`): a few rows, then several times more. The comment above
each count lists the queries. Logged-in pages also pay LAYOUT: the session row and the
user (middleware) and the notification bell that base.html shows to staff.
"""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from recommendations import services
from recommendations.models import Forwarding, ResultCategory, VoterMeeting

from .factories import VoterMeetingFactory, answer, collect, consolidated, forwarded, forwarding_of

pytestmark = pytest.mark.django_db

LAYOUT = 3  # django_session, auth_user, the notification bell (base.html)


@pytest.fixture(params=[1, 8], ids=["few", "many"])
def size(request):
    return request.param


@pytest.fixture
def data(size, staff, lead, department, other_department, other_lead, session, commune):
    """`size` meetings, each with a collected, a consolidated, an answered and an
    accepted item (the last forwarded to two agencies); the session is published."""
    for _ in range(size):
        meeting = VoterMeetingFactory(session=session, commune=commune)
        collect(meeting, staff)
        consolidated(meeting, staff)
        item = forwarded(meeting, staff, [department], dispatched_on=date(2026, 7, 27))
        answer(forwarding_of(item, department), lead, category=ResultCategory.IN_PROGRESS)
        both = forwarded(
            meeting, staff, [department, other_department], dispatched_on=date(2026, 7, 27)
        )
        for agency, signer in ((department, lead), (other_department, other_lead)):
            answer(forwarding_of(both, agency), signer)
            services.forwarding_accept(actor=staff, forwarding=forwarding_of(both, agency))
    services.session_publish(actor=staff, session=session)
    cache.clear()
    return session


def _get(client, user, address, expected, django_assert_num_queries):
    client.logout()
    if user is not None:
        client.force_login(user)
    with django_assert_num_queries(expected):
        response = client.get(address)
    assert response.status_code == 200
    return response


def test_the_sessions_list(client, staff, data, django_assert_num_queries):
    # scope (memberships); count; the sessions with term, council and item counts
    _get(client, staff, reverse("recommendations:sessions"), LAYOUT + 3, django_assert_num_queries)


def test_a_sessions_recommendations(client, staff, data, django_assert_num_queries):
    # scope; the session with term and council; count; the session's figures; the
    # term's figures; agencies for the filter; the page of items with commune and
    # session; their forwardings with agency and accepted answer; the voters' tally of
    # the accepted answers (verdict's partial)
    _get(
        client,
        staff,
        reverse("recommendations:session", args=[data.pk]),
        LAYOUT + 9,
        django_assert_num_queries,
    )


def test_a_sessions_meetings(client, staff, data, django_assert_num_queries):
    # scope; the session; count; the meetings with commune and item counts; the
    # communes of the province for the new-meeting form
    _get(
        client,
        staff,
        reverse("recommendations:meetings", args=[data.pk]),
        LAYOUT + 5,
        django_assert_num_queries,
    )


def test_a_meetings_items(client, staff, data, django_assert_num_queries):
    # scope; the meeting with session, term, council, commune; count; its sources with
    # the item each is part of; the communes for the form
    meeting = VoterMeeting.objects.filter(session=data).first()
    _get(
        client,
        staff,
        reverse("recommendations:meeting", args=[meeting.pk]),
        LAYOUT + 5,
        django_assert_num_queries,
    )


def test_the_consolidation_screen(client, staff, data, django_assert_num_queries):
    # scope; the session; count; the candidates with session and commune
    _get(
        client,
        staff,
        reverse("recommendations:consolidate", args=[data.pk]),
        LAYOUT + 4,
        django_assert_num_queries,
    )


def test_the_bulk_forwarding_screen(client, staff, data, django_assert_num_queries):
    # scope; the session; count; the consolidated items; the agencies for the form
    _get(
        client,
        staff,
        reverse("recommendations:forward", args=[data.pk]),
        LAYOUT + 5,
        django_assert_num_queries,
    )


def test_the_assessment_list(client, staff, data, django_assert_num_queries):
    # scope; the session; count; the answered forwardings with agency, item and answer
    _get(
        client,
        staff,
        reverse("recommendations:assessment", args=[data.pk]),
        LAYOUT + 4,
        django_assert_num_queries,
    )


def test_a_recommendation_page(client, staff, data, django_assert_num_queries):
    # scope; the item with session, term, council, commune; its sources with meetings;
    # its forwardings with agencies and answers; carry-overs; items merged into it;
    # events with actor and agency; the agencies for the forward form
    item = Forwarding.objects.filter(recommendation__session=data).first().recommendation
    _get(
        client,
        staff,
        reverse("recommendations:detail", args=[item.pk]),
        LAYOUT + 8,
        django_assert_num_queries,
    )


def test_a_forwarding_page(client, lead, data, django_assert_num_queries):
    # scope; the forwarding with agency, item, session, term, council, answers and
    # drafter; its answers with their authors; the item's sources; the timeline
    forwarding = Forwarding.objects.filter(status="answered").first()
    _get(
        client,
        lead,
        reverse("recommendations:forwarding", args=[forwarding.pk]),
        LAYOUT + 5,
        django_assert_num_queries,
    )


def test_the_agency_inbox(client, lead, data, django_assert_num_queries):
    # scope; count; the forwardings with agency, item, session and commune
    _get(
        client,
        lead,
        reverse("recommendations:inbox") + "?status=",
        LAYOUT + 3,
        django_assert_num_queries,
    )


def test_the_agency_inbox_of_a_monitor(client, monitor, data, django_assert_num_queries):
    # scope; the province's agencies (a monitor's scope); count; the agencies for the
    # filter; the forwardings
    _get(
        client,
        monitor,
        reverse("recommendations:inbox") + "?status=",
        LAYOUT + 5,
        django_assert_num_queries,
    )


def test_the_excel_export(client, staff, data, django_assert_num_queries):
    # scope; the session; its figures; the items; their forwardings with agency and
    # accepted answer (no notification bell: a file, not a page)
    _get(
        client,
        staff,
        reverse("recommendations:export", args=[data.pk]),
        2 + 5,
        django_assert_num_queries,
    )


def test_the_public_list_of_sessions(client, data, django_assert_num_queries):
    # count; the published sessions with term and council
    _get(client, None, reverse("recommendations:public_sessions"), 2, django_assert_num_queries)


def test_the_public_results_page(client, data, django_assert_num_queries):
    # the session; count; the session's figures and the term's (cached afterwards);
    # the items; their forwardings with agency and accepted answer
    address = reverse("recommendations:public_session", args=[data.pk])
    _get(client, None, address, 6, django_assert_num_queries)
    _get(client, None, address, 4, django_assert_num_queries)
    _get(client, None, address + "?print=1", 4, django_assert_num_queries)


def test_the_public_export(client, data, django_assert_num_queries):
    # the session; its figures; the items; their forwardings
    _get(
        client,
        None,
        reverse("recommendations:public_export", args=[data.pk]),
        4,
        django_assert_num_queries,
    )
