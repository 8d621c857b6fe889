import pytest
from django.db.models import Count

from agencies.demo import AGENCIES, DEMO_PROVINCE_CODE, seed_directory
from recommendations import demo, selectors
from recommendations.models import (
    Answer,
    CarryOver,
    CouncilSession,
    Forwarding,
    Recommendation,
    ResultCategory,
    Term,
)
from tests.factories import CommuneFactory, ProvinceFactory

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    province = ProvinceFactory(code=DEMO_PROVINCE_CODE, name="Tỉnh Ninh Bình")
    names = {a[4] for a in AGENCIES if a[4]} | {m[3] for m in demo.MEETINGS}
    names |= {i.commune for i in demo.ITEMS if i.commune}
    for name in sorted(names):
        CommuneFactory(parent=province, name=name)
    return seed_directory()


def test_the_demo_term_has_two_sessions_and_a_realistic_spread_of_results(directory):
    with at(2026, 11, 22):
        demo.seed(directory)
        demo.seed(directory)  # a second run changes nothing

    term = Term.objects.get()
    assert (term.start_year, term.end_year, str(term.elected_on)) == (2026, 2031, "2026-03-15")
    mid, end = CouncilSession.objects.order_by("opens_on")
    assert (mid.number, mid.status, end.number, end.status) == (2, "published", 3, "preparing")
    assert 40 <= Recommendation.objects.count() <= 70
    assert Recommendation.objects.filter(status="merged").count() >= 3

    results = dict(
        Recommendation.objects.exclude(result="").values_list("result").annotate(n=Count("id"))
    )
    assert set(results) == set(ResultCategory.values)
    assert Answer.objects.filter(on_time=False).count() >= 3  # some late answers
    assert CarryOver.objects.filter(session=end).count() >= 5
    assert Recommendation.objects.filter(times_raised=2).exists()  # raised again
    assert Forwarding.objects.filter(rounds=2).count() >= 2  # sent back
    assert Forwarding.objects.filter(recommendation__session=end, status="forwarded").exists()

    figures = selectors.term_figures(term)
    assert figures.forwarded > figures.answered > figures.resolved > 0
    assert figures.awaiting_answer > 0


def test_the_demo_agencies_answer_under_a_leads_name(directory):
    with at(2026, 11, 22):
        demo.seed(directory)
    answered_by = set(Answer.objects.values_list("answered_by__username", flat=True))
    assert {"lanhdao", "lanhdao.xd", "lanhdao.xa"} <= answered_by
    assert not Answer.objects.filter(answered_by__isnull=True).exists()
