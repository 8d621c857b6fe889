"""Voters' verdict on the answers of a published session: one vote per browser and
answer, no personal data kept, rate-limited; the council's tally beside its own
assessment."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recommendations import services as council
from recommendations.models import ResultCategory
from tests.recommendations.factories import answer, forwarded, forwarding_of
from verdict.models import VoterVote

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(meeting, staff, department, lead):
    item = forwarded(meeting, staff, [department])
    forwarding = forwarding_of(item, department)
    answer(forwarding, lead, category=ResultCategory.RESOLVED)
    council.forwarding_accept(actor=staff, forwarding=forwarding_of(item, department))
    return forwarding_of(item, department).accepted_answer


def _vote(client, answer_id, settled="yes", **extra):
    return client.post(
        reverse("verdict:vote", args=[answer_id]),
        {"settled": settled, "next": "/kien-nghi-cu-tri/"},
        **extra,
    )


def test_an_answer_of_an_unpublished_session_takes_no_vote(client, accepted):
    assert _vote(client, accepted.pk).status_code == 404
    assert not VoterVote.objects.exists()


def test_one_browser_has_one_vote_per_answer_and_may_change_it(client, accepted, staff, session):
    council.session_publish(actor=staff, session=session)
    page = client.get(reverse("recommendations:public_session", args=[session.pk]))
    assert reverse("verdict:vote", args=[accepted.pk]) in page.content.decode()
    assert _vote(client, accepted.pk, "yes").status_code == 302
    assert _vote(client, accepted.pk, "no").status_code == 302
    (vote,) = VoterVote.objects.all()
    assert vote.settled is False
    # No address, no cookie value: a 64-character keyed digest only.
    assert len(vote.voter) == 64 and client.cookies["voter_browser"].value not in vote.voter
    client.cookies.clear()  # another browser
    _vote(client, accepted.pk, "yes")
    assert VoterVote.objects.count() == 2


def test_votes_are_limited_per_connection(client, accepted, staff, session, settings):
    settings.VOTER_VOTE_RATE_LIMIT = 2
    council.session_publish(actor=staff, session=session)
    for _ in range(2):
        _vote(client, accepted.pk)
        client.cookies.clear()
    response = _vote(client, accepted.pk)
    assert response.status_code == 429 and VoterVote.objects.count() == 2


def test_a_bad_vote_or_answer_id_is_refused_without_a_server_error(
    client, accepted, staff, session
):
    council.session_publish(actor=staff, session=session)
    assert _vote(client, accepted.pk, "perhaps").status_code == 302
    assert client.post(f"/kien-nghi-cu-tri/tra-loi/{2**70}/y-kien/").status_code == 404
    assert not VoterVote.objects.exists()


def test_an_outside_next_address_is_not_followed(client, accepted, staff, session):
    council.session_publish(actor=staff, session=session)
    response = client.post(
        reverse("verdict:vote", args=[accepted.pk]),
        {"settled": "yes", "next": "https://evil.example/"},
    )
    assert "evil.example" not in response["Location"]


def test_the_council_sees_the_tally_beside_its_assessment(client, accepted, staff, session):
    council.session_publish(actor=staff, session=session)
    for settled in ("yes", "yes", "no"):
        _vote(client, accepted.pk, settled)
        client.cookies.clear()
    client.force_login(staff)
    body = client.get(reverse("recommendations:session", args=[session.pk])).content.decode()
    assert 'id="voters-verdict"' in body
    assert 'data-tally="settled">2<' in body and 'data-tally="unsettled">1<' in body
