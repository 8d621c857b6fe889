"""Factories for voter recommendations.

Terms, sessions and meetings are plain rows; recommendations and everything after
them are made through the real services, so each has its events, sources and clocks.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import factory

from agencies.models import Agency
from recommendations import services
from recommendations.models import (
    CouncilSession,
    Forwarding,
    Recommendation,
    ResultCategory,
    Term,
    VoterMeeting,
)
from tests.factories import AgencyFactory, CommuneFactory


class CouncilFactory(AgencyFactory):
    name = factory.Sequence(lambda n: f"Hội đồng nhân dân tỉnh Thử Nghiệm {n}")
    short_name = "HĐND tỉnh"
    kind = Agency.Kind.PEOPLES_COUNCIL


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    council = factory.SubFactory(CouncilFactory)
    start_year = 2026
    end_year = 2031
    elected_on = date(2026, 3, 15)


class CouncilSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilSession

    term = factory.SubFactory(TermFactory)
    council = factory.SelfAttribute("term.council")
    number = factory.Sequence(lambda n: n + 2)
    kind = CouncilSession.Kind.REGULAR
    opens_on = date(2026, 7, 15)
    closes_on = date(2026, 7, 17)


class VoterMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VoterMeeting

    session = factory.SubFactory(CouncilSessionFactory)
    timing = VoterMeeting.Timing.BEFORE
    held_on = date(2026, 6, 20)
    place = "Nhà văn hóa thôn Đông"
    commune = factory.SubFactory(
        CommuneFactory, parent=factory.SelfAttribute("..session.council.unit")
    )
    deputies = "Đại biểu Nguyễn Văn Bình, đại biểu Trần Thị Mai"
    voters_count = 120


ROAD = (
    "Cử tri đề nghị sớm sửa chữa tuyến đường liên xã Gia Viễn – Gia Hưng bị xuống cấp, "
    "nhiều ổ gà, mất an toàn giao thông."
)


def collect(
    meeting: VoterMeeting, actor: Any, *, content: str = ROAD, voters: int = 5, **kw: Any
) -> Recommendation:
    kw.setdefault("field", "transport")
    return services.recommendation_collect(
        actor=actor, meeting=meeting, content=content, voters_count=voters, **kw
    )


def consolidated(meeting: VoterMeeting, actor: Any, **kw: Any) -> Recommendation:
    item = collect(meeting, actor, **kw)
    return services.recommendation_consolidate(actor=actor, keeper=item)


def forwarded(
    meeting: VoterMeeting,
    actor: Any,
    agencies: list[Agency],
    *,
    dispatched_on: date | None = None,
    number: str = "125/HĐND-VP",
    **kw: Any,
) -> Recommendation:
    item = consolidated(meeting, actor, **kw)
    services.recommendation_forward(
        actor=actor,
        recommendation=item,
        agencies=agencies,
        dispatch_number=number,
        dispatched_on=dispatched_on,
    )
    return item


def forwarding_of(item: Recommendation, agency: Agency) -> Forwarding:
    return Forwarding.objects.select_related(
        "recommendation__session", "current_answer", "agency"
    ).get(recommendation=item, agency=agency)


def answer(
    forwarding: Forwarding,
    lead: Any,
    *,
    category: str = ResultCategory.RESOLVED,
    answered_on: date | None = None,
    **kw: Any,
):
    kw.setdefault("text", "Sở đã bố trí kinh phí và hoàn thành sửa chữa tuyến đường.")
    kw.setdefault("document_number", "412/SXD-QLCL")
    if category == ResultCategory.NOT_RESOLVED:
        kw.setdefault("reason", "Chưa cân đối được nguồn vốn.")
    if category == ResultCategory.PLANNED:
        kw.setdefault("planned_by", date(2027, 6, 30))
    return services.forwarding_answer(
        actor=lead, forwarding=forwarding, category=category, answered_on=answered_on, **kw
    )


def settled(
    meeting: VoterMeeting,
    staff: Any,
    agency: Agency,
    lead: Any,
    *,
    category: str | None,
    dispatched_on: date,
    answered_on: date | None = None,
    accept: bool = True,
    **kw: Any,
) -> Recommendation:
    """An item forwarded to `agency`, answered with `category` (None: unanswered) and,
    unless told otherwise, accepted by the council."""
    item = forwarded(meeting, staff, [agency], dispatched_on=dispatched_on, **kw)
    if category is None:
        return item
    answer(forwarding_of(item, agency), lead, category=category, answered_on=answered_on)
    if accept:
        services.forwarding_accept(actor=staff, forwarding=forwarding_of(item, agency))
    item.refresh_from_db()
    return item
