"""The running tallies of the voter-recommendation figures (recommendations/tallies.py)
equal the counts over the items themselves: after the demo term is seeded through the
services, and after items, carry-overs and forwardings change, move and go."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q

from agencies.demo import AGENCIES, DEMO_PROVINCE_CODE, seed_directory
from agencies.models import Agency
from dashboards import selectors
from recommendations import demo, tallies
from recommendations.models import (
    CarryOver,
    CouncilSession,
    Forwarding,
    Recommendation,
    ResultCategory,
)
from tests.factories import CommuneFactory, ProvinceFactory

from .conftest import at

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="tallies: PostgreSQL"),
]


@pytest.fixture
def seeded():
    province = ProvinceFactory(code=DEMO_PROVINCE_CODE, name="Tỉnh Ninh Bình")
    names = {a[4] for a in AGENCIES if a[4]} | {m[3] for m in demo.MEETINGS}
    names |= {i.commune for i in demo.ITEMS if i.commune}
    for name in sorted(names):
        CommuneFactory(parent=province, name=name)
    directory = seed_directory()
    with at(2026, 11, 22):
        demo.seed(directory)
    return directory


def _everything() -> Q:
    return Q(session_id__in=CouncilSession.objects.values("pk"))


def _nonzero(rows: dict) -> dict:
    return {k: v for k, v in rows.items() if any(v.values())}


def _assert_same() -> None:
    own, carried = selectors._session_counts(_everything())
    live_own, live_carried = selectors.session_counts_live(_everything())
    assert _nonzero(own) == _nonzero(live_own)
    assert _nonzero(carried) == _nonzero(live_carried)
    ids = frozenset(Agency.objects.values_list("pk", flat=True))
    terms = [None, *CouncilSession.objects.values_list("term_id", flat=True).distinct()]
    for term in terms:
        assert list(selectors._forwarding_counts(ids, term)) == list(
            selectors.forwarding_counts_live(ids, term)
        )


def test_the_tallies_of_the_demo_term_equal_the_counts_over_the_items(seeded):
    assert Recommendation.objects.exists() and Forwarding.objects.exists()
    _assert_same()


def test_changes_moves_and_deletions_keep_them_equal(seeded):
    items = list(Recommendation.objects.order_by("pk"))
    sessions = list(CouncilSession.objects.order_by("pk"))
    Recommendation.objects.filter(pk=items[0].pk).update(
        status=Recommendation.Status.FORWARDED, result=ResultCategory.PLANNED
    )
    Recommendation.objects.filter(pk=items[1].pk).update(status=Recommendation.Status.MERGED)
    Recommendation.objects.filter(pk=items[2].pk).update(session=sessions[-1])
    CarryOver.objects.create(
        recommendation=items[3], session=sessions[-1], carried_on=sessions[-1].opens_on
    )
    CarryOver.objects.filter(pk__in=CarryOver.objects.values("pk")[:1]).delete()
    forwarding = Forwarding.objects.order_by("pk").first()
    Forwarding.objects.filter(pk=forwarding.pk).update(
        result=ResultCategory.NOT_RESOLVED, answered_on=None
    )
    Forwarding.objects.filter(pk__in=Forwarding.objects.order_by("-pk").values("pk")[:1]).delete()
    _assert_same()
    rows = tallies.SessionTally.objects.count()
    tallies.compact()
    assert tallies.SessionTally.objects.count() < rows
    _assert_same()
    tallies.rebuild()
    _assert_same()
