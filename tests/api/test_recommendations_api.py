"""The voter-recommendations API: scope, the transition matrix, conflicts, bad input,
lists (filters, search, ordering, pages) and their query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Agency, Role
from recommendations import api as recommendations_api
from recommendations import services
from recommendations.api import (
    CouncilSessionViewSet,
    ForwardingViewSet,
    RecommendationViewSet,
)
from recommendations.models import (
    Answer,
    CarryOver,
    CouncilSession,
    Forwarding,
    Recommendation,
    RecommendationEvent,
    ResultCategory,
)
from tests.factories import AgencyFactory, CommuneFactory, member

# The council, agencies, officials and session of the page tests; they replace the
# petition fixtures of tests/api/conftest.py in this module.
from tests.recommendations.conftest import *  # noqa: F403
from tests.recommendations.conftest import _fresh_cache, _today  # noqa: F401  (autouse)
from tests.recommendations.factories import (
    CouncilFactory,
    CouncilSessionFactory,
    TermFactory,
    VoterMeetingFactory,
    answer,
    collect,
    consolidated,
    forwarded,
    forwarding_of,
    settled,
)

pytestmark = pytest.mark.django_db

Event = RecommendationEvent.Action
CONFLICT = "Hồ sơ vừa được người khác cập nhật"
REFUSED = {"detail": "Vai trò của bạn không được phép thực hiện thao tác này."}
DYKE = "Đề nghị nâng cấp đê hữu sông Hoàng Long đoạn qua thôn Đông"
CLINIC = "Trạm y tế xã thiếu bác sĩ, đề nghị bổ sung nhân lực"


def url(name: str, *args: int) -> str:
    return reverse(f"api:{name}", args=args)


def post(api, address: str, body=None, **extra):
    return api.post(address, body if body is not None else {}, format="json", **extra)


def events() -> int:
    return RecommendationEvent.objects.count()


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def stranger():
    """Council staff of another province's council."""
    return member(Role.COUNCIL_STAFF, CouncilFactory(), username="hdnd.khac")


def test_the_urls_are_where_the_readme_says():
    assert url("term-list") == "/api/v1/terms/"
    assert url("council-session-publish", 3) == "/api/v1/council-sessions/3/publish/"
    assert url("council-session-forward", 3) == "/api/v1/council-sessions/3/forward/"
    assert url("voter-meeting-collect", 4) == "/api/v1/voter-meetings/4/collect/"
    assert url("recommendation-consolidate", 5) == "/api/v1/recommendations/5/consolidate/"
    assert url("recommendation-forward", 5) == "/api/v1/recommendations/5/forward/"
    assert url("forwarding-send-back", 6) == "/api/v1/forwardings/6/send_back/"
    assert url("answer-detail", 7) == "/api/v1/answers/7/"


# --- the permission matrix of transitions ---------------------------------------------------

ANSWER = {"text": "Sở đã bố trí vốn, khởi công tháng 9.", "category": "resolved"}
ANSWER |= {"document_number": "412/SXD-QLCL"}


def _target(move: str, w: dict) -> tuple[str, dict]:
    """The URL and body of `move`, on a row brought to the state the move starts from."""
    meeting, staff, department, lead = w["meeting"], w["staff"], w["department"], w["lead"]
    if move == "collect":
        body = {"content": DYKE, "field": "environment", "voters_count": 7}
        return url("voter-meeting-collect", meeting.pk), body
    if move == "consolidate":
        return url("recommendation-consolidate", collect(meeting, staff).pk), {}
    forward = {"agencies": [department.pk], "dispatch_number": "130/HĐND-VP"}
    if move == "forward":
        return url("recommendation-forward", consolidated(meeting, staff).pk), forward
    if move == "session_forward":
        item = consolidated(meeting, staff)
        return url("council-session-forward", meeting.session_id), {
            **forward,
            "recommendations": [item.pk],
        }
    if move == "publish":
        forwarded(meeting, staff, [department])
        return url("council-session-publish", meeting.session_id), {}
    forwarding = forwarding_of(forwarded(meeting, staff, [department]), department)
    if move in {"accept", "send_back"}:
        answer(forwarding, lead)
    body = {
        "draft": {"text": "Dự thảo: sẽ khảo sát trong tháng 8."},
        "answer": ANSWER,
        "accept": {"note": "Đạt"},
        "send_back": {"reason": "Chưa nêu rõ lộ trình và nguồn vốn."},
    }[move]
    return url(f"forwarding-{move.replace('_', '-')}", forwarding.pk), body


COUNCIL_MOVE = {"staff": 200, "monitor": 403}  # agency officials do not see these rows
MOVES = {
    # move: (the event it writes, who may (code), who reads but may not (403)); every
    # other user — another agency, another province's council — gets 404.
    "collect": (Event.COLLECT, {"staff": 201, "monitor": 403}),
    "consolidate": (Event.CONSOLIDATE, COUNCIL_MOVE),
    "forward": (Event.FORWARD, COUNCIL_MOVE),
    "session_forward": (Event.FORWARD, COUNCIL_MOVE),
    "publish": (Event.PUBLISH, COUNCIL_MOVE),
    "draft": (Event.DRAFT, {"handler": 200, "lead": 200, "staff": 403, "monitor": 403}),
    "answer": (Event.ANSWER, {"lead": 200, "handler": 403, "staff": 403, "monitor": 403}),
    "accept": (Event.ACCEPT, {"staff": 200, "lead": 403, "handler": 403, "monitor": 403}),
    "send_back": (Event.SEND_BACK, {"staff": 200, "lead": 403, "handler": 403, "monitor": 403}),
}
ROLES = ["staff", "lead", "handler", "other_agency", "monitor", "other_council"]


@pytest.fixture
def world(meeting, staff, department, lead, handler, other_lead, monitor, stranger):
    return {
        "meeting": meeting,
        "staff": staff,
        "department": department,
        "lead": lead,
        "handler": handler,
        "other_agency": other_lead,
        "monitor": monitor,
        "other_council": stranger,
    }


@pytest.mark.parametrize("move", list(MOVES))
@pytest.mark.parametrize("role", ROLES)
def test_the_permission_matrix_of_transitions_over_the_api(api, world, move, role):
    address, body = _target(move, world)
    action, codes = MOVES[move]
    api.force_login(world[role])
    before = events()

    response = post(api, address, body)

    expected = codes.get(role, 404)
    assert response.status_code == expected, response.content
    if expected in {200, 201}:
        assert events() == before + 1
        assert RecommendationEvent.objects.latest("id").action == action
        assert RecommendationEvent.objects.latest("id").actor == world[role]
    else:
        assert events() == before
        if expected == 403:
            assert response.json() == REFUSED


@pytest.mark.parametrize("move", list(MOVES))
def test_anonymous_moves_are_401_and_write_nothing(api, world, move):
    address, body = _target(move, world)
    before = events()
    response = post(api, address, body)
    assert response.status_code == 401
    assert response.json() == {"detail": "Thông tin xác thực chưa được cung cấp."}
    assert events() == before


# --- what each move answers -------------------------------------------------------------------


def test_collecting_answers_201_with_the_new_item_and_where_it_lives(api, staff, meeting, commune):
    api.force_login(staff)
    response = post(
        api,
        url("voter-meeting-collect", meeting.pk),
        {"content": DYKE, "field": "environment", "voters_count": 7, "locality": "Thôn Đông"},
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    item = Recommendation.objects.get()
    assert data["id"] == item.pk and data["status"] == "collected"
    assert response["Location"].endswith(url("recommendation-detail", item.pk))
    # the meeting's commune unless told otherwise, as on the page
    assert data["commune"]["id"] == commune.pk
    assert [s["meeting"]["id"] for s in data["sources"]] == [meeting.pk]
    assert [e["action"] for e in data["events"]] == ["collect"]
    assert data["available_actions"] == ["consolidate"]
    whole_province = post(
        api,
        url("voter-meeting-collect", meeting.pk),
        {"content": CLINIC, "field": "health", "voters_count": 2, "commune": None},
    )
    assert whole_province.json()["commune"] is None


def test_consolidating_merges_the_duplicates_and_keeps_every_source(
    api, staff, meeting, other_meeting
):
    keeper = collect(meeting, staff, voters=5)
    duplicate = collect(other_meeting, staff, voters=9)
    api.force_login(staff)
    response = post(
        api,
        url("recommendation-consolidate", keeper.pk),
        {"duplicates": [duplicate.pk], "content": "Sửa đường liên xã Gia Viễn – Gia Hưng"},
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "consolidated" and data["voters_count"] == 14
    assert data["content"] == "Sửa đường liên xã Gia Viễn – Gia Hưng"
    assert data["merged"] == [duplicate.pk]
    assert {s["meeting"]["id"] for s in data["sources"]} == {meeting.pk, other_meeting.pk}
    # one consolidate event for the keeper, one merge event for the duplicate
    assert list(keeper.events.values_list("action", flat=True)) == ["collect", "consolidate"]
    assert list(duplicate.events.values_list("action", flat=True)) == ["collect", "merge"]
    assert data["available_actions"] == ["consolidate", "forward"]


def test_forwarding_to_two_agencies_starts_two_answer_clocks(
    api, staff, meeting, department, other_department
):
    item = consolidated(meeting, staff)
    api.force_login(staff)
    response = post(
        api,
        url("recommendation-forward", item.pk),
        {
            "agencies": [department.pk, other_department.pk],
            "dispatch_number": "130/HĐND-VP",
            "dispatched_on": "2026-07-27",
        },
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "forwarded" and data["forwarded_on"] == "2026-07-27"
    assert [f["agency"]["id"] for f in data["forwardings"]] == sorted(
        [department.pk, other_department.pk],
        key=lambda pk: Agency.objects.get(pk=pk).name,
    )
    assert {f["dispatch_number"] for f in data["forwardings"]} == {"130/HĐND-VP"}
    assert all(f["answer_due_on"] > "2026-07-27" for f in data["forwardings"])
    assert item.events.filter(action=Event.FORWARD).count() == 1


def test_forwarding_many_items_under_one_dispatch(api, staff, meeting, department, session):
    items = [consolidated(meeting, staff, content=text) for text in (DYKE, CLINIC)]
    api.force_login(staff)
    response = post(
        api,
        url("council-session-forward", session.pk),
        {
            "recommendations": [i.pk for i in items],
            "agencies": [department.pk],
            "dispatch_number": "131/HĐND-VP",
        },
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["forwarded"] == 2
    assert {r["id"] for r in data["recommendations"]} == {i.pk for i in items}
    assert {r["status"] for r in data["recommendations"]} == {"forwarded"}
    assert Forwarding.objects.filter(dispatch_number="131/HĐND-VP").count() == 2
    # each item its own move and event
    assert RecommendationEvent.objects.filter(action=Event.FORWARD).count() == 2


def test_a_handler_saves_a_draft_that_only_the_agency_reads(
    api, staff, meeting, department, handler, lead, monitor
):
    forwarding = forwarding_of(forwarded(meeting, staff, [department]), department)
    api.force_login(handler)
    response = post(
        api,
        url("forwarding-draft", forwarding.pk),
        {"text": "Dự thảo trả lời", "category": "planned", "planned_by": "2027-06-30"},
    )
    assert response.status_code == 200, response.json()
    draft = response.json()["draft"]
    assert draft["text"] == "Dự thảo trả lời" and draft["category"] == "planned"
    assert draft["planned_by"] == "2027-06-30" and draft["saved_by_name"] == "Lê Hoàng Nam"
    assert response.json()["status"] == "forwarded"
    assert response.json()["available_actions"] == ["draft"]
    api.force_login(lead)
    detail = api.get(url("forwarding-detail", forwarding.pk)).json()
    assert detail["draft"]["text"] == "Dự thảo trả lời"
    assert detail["available_actions"] == ["draft", "answer"]
    for outsider in (staff, monitor):
        api.force_login(outsider)
        detail = api.get(url("forwarding-detail", forwarding.pk))
        assert detail.json()["draft"] is None
        assert "Dự thảo trả lời" not in detail.content.decode()


def test_the_lead_answers_and_the_answer_is_on_time(api, staff, meeting, department, lead):
    forwarding = forwarding_of(forwarded(meeting, staff, [department]), department)
    api.force_login(lead)
    response = post(
        api,
        url("forwarding-answer", forwarding.pk),
        {**ANSWER, "category": "planned", "planned_by": "2027-06-30"},
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "answered" and data["answered_on_time"] is True
    assert data["current_answer"]["category"] == "planned"
    assert data["current_answer"]["answered_by_name"] == "Vũ Thị Lan"
    assert data["current_answer"]["assessment"] == "pending"
    assert [a["round"] for a in data["answers"]] == [1]
    assert data["available_actions"] == []
    assert [e["action"] for e in data["events"]] == ["forward", "answer"]


def test_an_answer_may_carry_its_document_as_multipart(api, staff, meeting, department, lead):
    forwarding = forwarding_of(forwarded(meeting, staff, [department]), department)
    api.force_login(lead)
    document = SimpleUploadedFile("tra-loi.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    response = api.post(url("forwarding-answer", forwarding.pk), {**ANSWER, "document": document})
    assert response.status_code == 200, response.json()
    answer_row = Answer.objects.get()
    assert answer_row.document.name.endswith(".pdf")
    link = response.json()["current_answer"]["document_url"]
    assert link.endswith(
        reverse("recommendations:answer_document", args=[forwarding.pk, answer_row.pk])
    )
    assert api.get(link).status_code == 200


@pytest.mark.parametrize(
    "name, content",
    [("virus.exe", b"MZ"), ("tra-loi.pdf", b"MZ\x90\x00 an executable renamed")],
)
def test_a_document_of_another_type_is_400(api, staff, meeting, department, lead, name, content):
    forwarding = forwarding_of(forwarded(meeting, staff, [department]), department)
    api.force_login(lead)
    script = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = api.post(url("forwarding-answer", forwarding.pk), {**ANSWER, "document": script})
    assert response.status_code == 400
    assert set(response.json()) == {"document"}
    assert "đã kiểm tra nội dung" in str(response.json()["document"])
    assert Answer.objects.count() == 0


def test_the_council_accepts_an_answer_and_the_result_is_the_category(
    api, staff, meeting, department, lead
):
    item = forwarded(meeting, staff, [department])
    forwarding = forwarding_of(item, department)
    answer(forwarding, lead, category=ResultCategory.IN_PROGRESS)
    api.force_login(staff)
    response = post(api, url("forwarding-accept", forwarding.pk), {"note": "Đạt yêu cầu"})
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "accepted" and data["result"] == "in_progress"
    assert data["accepted_answer"]["assessment"] == "accepted"
    assert data["accepted_answer"]["assessment_note"] == "Đạt yêu cầu"
    # in progress does not close the matter: the council may still ask for an update
    assert data["available_actions"] == ["send_back"]
    item_data = api.get(url("recommendation-detail", item.pk)).json()
    assert item_data["result"] == "in_progress" and item_data["result_display"] == "Đang giải quyết"


def test_sending_back_starts_a_new_clock_to_the_councils_date(
    api, staff, meeting, department, lead
):
    forwarding = forwarding_of(forwarded(meeting, staff, [department]), department)
    answer(forwarding, lead)
    api.force_login(staff)
    response = post(
        api,
        url("forwarding-send-back", forwarding.pk),
        {"reason": "Chưa nêu rõ nguồn vốn.", "due_on": "2026-09-30"},
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "forwarded" and data["rounds"] == 2
    assert data["answer_due_on"] == "2026-09-30" and data["due_set_by_council"] is True
    assert data["current_answer"] is None
    assert data["answers"][0]["assessment"] == "sent_back"


def test_publishing_a_session_answers_the_published_session(
    api, staff, meeting, department, session
):
    forwarded(meeting, staff, [department])
    api.force_login(staff)
    response = post(api, url("council-session-publish", session.pk), {"note": "Kỳ họp thứ 2"})
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "published" and data["published_at"]
    assert data["status_display"] == "Đã công bố kết quả"
    assert data["available_actions"] == ["forward"]
    assert data["figures"]["forwarded"] == 1


# --- illegal moves and lost races ------------------------------------------------------------


def _illegal(move: str, w: dict) -> tuple[str, dict]:
    """A move on a row whose state does not allow it."""
    meeting, staff, department, lead = w["meeting"], w["staff"], w["department"], w["lead"]
    forward = {"agencies": [department.pk], "dispatch_number": "130/HĐND-VP"}
    if move == "consolidate":  # an item already merged into another one
        keeper, duplicate = collect(meeting, staff), collect(meeting, staff)
        services.recommendation_consolidate(actor=staff, keeper=keeper, duplicates=[duplicate])
        body = {"duplicates": [collect(meeting, staff).pk]}
        return url("recommendation-consolidate", duplicate.pk), body
    if move == "forward":  # collected, not consolidated yet
        return url("recommendation-forward", collect(meeting, staff).pk), forward
    if move == "session_forward":
        item = collect(meeting, staff)
        body = {**forward, "recommendations": [item.pk]}
        return url("council-session-forward", meeting.session_id), body
    if move == "publish":  # published already
        forwarded(meeting, staff, [department])
        services.session_publish(actor=staff, session=meeting.session)
        return url("council-session-publish", meeting.session_id), {}
    forwarding = forwarding_of(forwarded(meeting, staff, [department]), department)
    if move in {"draft", "answer"}:  # answered already
        answer(forwarding, lead)
    if move == "send_back":  # accepted as resolved: the matter is closed
        answer(forwarding, lead)
        services.forwarding_accept(
            actor=staff, forwarding=forwarding_of(forwarding.recommendation, department)
        )
    body = {
        "draft": {"text": "Dự thảo"},
        "answer": ANSWER,
        "accept": {},  # not answered yet
        "send_back": {"reason": "Cần cập nhật"},
    }[move]
    return url(f"forwarding-{move.replace('_', '-')}", forwarding.pk), body


# Collecting creates an item from a meeting: there is no state to refuse it in or to race
# on, so it appears in the matrix and the bad-input test only.
ILLEGAL = {
    # move: (who tries, words of the reason given)
    "consolidate": ("staff", "“Tổng hợp kiến nghị” không thực hiện được"),
    "forward": ("staff", "đang ở trạng thái “Đã ghi nhận”"),
    "session_forward": ("staff", "đang ở trạng thái “Đã ghi nhận”"),
    "publish": ("staff", "“Đã công bố kết quả”"),
    "draft": ("handler", "không còn chờ trả lời"),
    "answer": ("lead", "“Đã trả lời, chờ đánh giá”"),
    "accept": ("staff", "“Chờ trả lời”"),
    "send_back": ("staff", "đã khép lại"),
}


@pytest.mark.parametrize("move", list(ILLEGAL))
def test_an_illegal_move_is_409_with_the_reason_and_writes_nothing(api, world, move):
    address, body = _illegal(move, world)
    who, reason = ILLEGAL[move]
    api.force_login(world[who])
    before = events()
    response = post(api, address, body)
    assert response.status_code == 409, response.content
    assert reason in response.json()["detail"]
    assert events() == before


def test_illegal_move_reasons_follow_the_request_language(api, staff, meeting):
    item = collect(meeting, staff)
    api.force_login(staff)
    response = post(
        api,
        url("recommendation-forward", item.pk),
        {"agencies": [AgencyFactory().pk], "dispatch_number": "1/HĐND"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "“Forwarded” is not possible while it is “Collected”."}


def _race(move: str, w: dict):
    """The viewset, the move, and what another user does between our read and write."""
    meeting, staff, department, lead = w["meeting"], w["staff"], w["department"], w["lead"]
    other_department = w["other_department"]
    if move == "consolidate":
        item = collect(meeting, staff)
        return (
            RecommendationViewSet,
            url("recommendation-consolidate", item.pk),
            {},
            lambda: services.recommendation_consolidate(
                actor=staff, keeper=Recommendation.objects.get(pk=item.pk)
            ),
        )
    if move == "forward":
        item = consolidated(meeting, staff)
        return (
            RecommendationViewSet,
            url("recommendation-forward", item.pk),
            {"agencies": [department.pk], "dispatch_number": "130/HĐND-VP"},
            lambda: services.recommendation_forward(
                actor=staff,
                recommendation=Recommendation.objects.get(pk=item.pk),
                agencies=[other_department],
                dispatch_number="129/HĐND-VP",
            ),
        )
    if move == "publish":
        forwarded(meeting, staff, [department])
        return (
            CouncilSessionViewSet,
            url("council-session-publish", meeting.session_id),
            {},
            lambda: services.session_publish(
                actor=staff, session=CouncilSession.objects.get(pk=meeting.session_id)
            ),
        )
    forwarding = forwarding_of(forwarded(meeting, staff, [department]), department)

    def fresh() -> Forwarding:
        return forwarding_of(forwarding.recommendation, department)

    if move in {"accept", "send_back"}:
        answer(forwarding, lead)
    behind = {
        "draft": lambda: answer(fresh(), lead),
        "answer": lambda: answer(fresh(), member(Role.LEAD, department, username="pho.gd")),
        "accept": lambda: services.forwarding_send_back(
            actor=staff, forwarding=fresh(), reason="Bổ sung"
        ),
        "send_back": lambda: services.forwarding_accept(actor=staff, forwarding=fresh()),
    }[move]
    body = {
        "draft": {"text": "Dự thảo"},
        "answer": ANSWER,
        "accept": {},
        "send_back": {"reason": "Cần cập nhật"},
    }[move]
    return (
        ForwardingViewSet,
        url(f"forwarding-{move.replace('_', '-')}", forwarding.pk),
        body,
        behind,
    )


RACERS = {
    "consolidate": "staff",
    "forward": "staff",
    "publish": "staff",
    "draft": "handler",
    "answer": "lead",
    "accept": "staff",
    "send_back": "staff",
}


@pytest.mark.parametrize("move", list(RACERS))
def test_a_lost_race_is_409_and_writes_nothing_of_its_own(
    api, world, other_department, monkeypatch, move
):
    viewset, address, body, behind = _race(move, {**world, "other_department": other_department})
    load = viewset.get_object

    def load_then_someone_else_moves(view):
        loaded = load(view)
        behind()  # another official moves the same row between our read and our write
        return loaded

    monkeypatch.setattr(viewset, "get_object", load_then_someone_else_moves)
    api.force_login(world[RACERS[move]])
    before = events()
    response = post(api, address, body)
    assert response.status_code == 409, response.content
    assert CONFLICT in response.json()["detail"]
    assert events() == before + 1  # the other official's move, and nothing of ours


def test_a_lost_race_in_a_bulk_forward_forwards_none_of_the_items(
    api, staff, meeting, department, other_department, session, monkeypatch
):
    first, second = consolidated(meeting, staff), consolidated(meeting, staff)
    validate = recommendations_api.SessionForwardInput.validate

    def validate_then_someone_else_forwards(serializer, attrs):
        services.recommendation_forward(
            actor=staff,
            recommendation=Recommendation.objects.get(pk=second.pk),
            agencies=[other_department],
            dispatch_number="129/HĐND-VP",
        )
        return validate(serializer, attrs)

    monkeypatch.setattr(
        recommendations_api.SessionForwardInput, "validate", validate_then_someone_else_forwards
    )
    api.force_login(staff)
    response = post(
        api,
        url("council-session-forward", session.pk),
        {
            "recommendations": [first.pk, second.pk],
            "agencies": [department.pk],
            "dispatch_number": "130/HĐND-VP",
        },
    )
    assert response.status_code == 409
    assert CONFLICT in response.json()["detail"]
    # all or none: the first item, forwarded before the conflict, was rolled back
    assert Forwarding.objects.filter(agency=department).count() == 0
    assert Recommendation.objects.get(pk=first.pk).status == "consolidated"


# --- bad input -----------------------------------------------------------------------------------


def _foreign_meeting():
    """A meeting of another province's council, and that council's staff."""
    meeting = VoterMeetingFactory()
    return meeting, member(Role.COUNCIL_STAFF, meeting.session.council)


def _bad(move: str, w: dict):
    """(address, who, [(body, fields with errors), …]) for each move."""
    meeting, staff, department, lead = w["meeting"], w["staff"], w["department"], w["lead"]
    collect_body = {"content": DYKE, "field": "land", "voters_count": 3}
    if move == "collect":
        foreign = CommuneFactory()
        return (
            url("voter-meeting-collect", meeting.pk),
            "staff",
            [
                ({}, {"content", "field", "voters_count"}),
                (
                    {**collect_body, "field": "weather", "voters_count": 0},
                    {"field", "voters_count"},
                ),
                ({**collect_body, "content": "x" * 5001}, {"content"}),
                # the service's own checks: more voters than attended, a commune elsewhere
                ({**collect_body, "voters_count": 121}, {"voters_count"}),
                ({**collect_body, "commune": foreign.pk}, {"commune"}),
                ({**collect_body, "commune": 10**30}, {"commune"}),
            ],
        )
    if move == "consolidate":
        keeper = consolidated(meeting, staff)
        elsewhere = collect(*_foreign_meeting())
        return (
            url("recommendation-consolidate", keeper.pk),
            "staff",
            [
                ({"duplicates": "abc"}, {"duplicates"}),
                ({"duplicates": ["abc"]}, {"duplicates"}),
                ({"duplicates": [999_999]}, {"duplicates"}),
                ({"duplicates": [elsewhere.pk]}, {"duplicates"}),  # another council: unseen
                ({"duplicates": [keeper.pk]}, {"non_field_errors"}),  # the service
                ({}, {"non_field_errors"}),  # consolidated already: merge something
            ],
        )
    forward = {"agencies": [department.pk], "dispatch_number": "130/HĐND-VP"}
    if move == "forward":
        item = consolidated(meeting, staff)
        council = meeting.session.council
        return (
            url("recommendation-forward", item.pk),
            "staff",
            [
                ({}, {"agencies", "dispatch_number"}),
                ({**forward, "agencies": []}, {"agencies"}),
                ({**forward, "agencies": [council.pk]}, {"agencies"}),  # councils do not answer
                ({**forward, "agencies": [AgencyFactory().pk]}, {"agencies"}),  # another province
                ({**forward, "dispatched_on": "2999-01-01"}, {"dispatched_on"}),
                ({**forward, "dispatched_on": "01/08/2026"}, {"dispatched_on"}),
                ({**forward, "dispatch_number": "x" * 61}, {"dispatch_number"}),
            ],
        )
    if move == "session_forward":
        other = consolidated(*_foreign_meeting())
        return (
            url("council-session-forward", meeting.session_id),
            "staff",
            [
                ({}, {"recommendations", "agencies", "dispatch_number"}),
                ({**forward, "recommendations": [other.pk]}, {"recommendations"}),
                ({**forward, "recommendations": []}, {"recommendations"}),
            ],
        )
    if move == "publish":  # nothing forwarded yet
        return (
            url("council-session-publish", meeting.session_id),
            "staff",
            [
                ({"note": "x" * 2001}, {"note"}),
                ({}, {"non_field_errors"}),
            ],
        )
    forwarding = forwarding_of(forwarded(meeting, staff, [department]), department)
    if move in {"accept", "send_back"}:
        answer(forwarding, lead)
    address = url(f"forwarding-{move.replace('_', '-')}", forwarding.pk)
    cases = {
        "draft": ("handler", [({}, {"text"}), ({"text": "x", "category": "maybe"}, {"category"})]),
        "answer": (
            "lead",
            [
                ({}, {"text", "category", "document_number"}),
                ({**ANSWER, "category": "not_resolved"}, {"reason"}),
                ({**ANSWER, "category": "planned"}, {"planned_by"}),
                ({**ANSWER, "answered_on": "2026-08-20"}, {"answered_on"}),
                ({**ANSWER, "answered_on": "2026-07-01"}, {"answered_on"}),
            ],
        ),
        "accept": (
            "staff",
            [({"note": "x" * 2001}, {"note"}), ({"assessed_on": "2026-07-01"}, {"assessed_on"})],
        ),
        "send_back": (
            "staff",
            [({}, {"reason"}), ({"reason": "Bổ sung", "due_on": "2026-08-01"}, {"due_on"})],
        ),
    }
    who, bodies = cases[move]
    return address, who, bodies


@pytest.mark.parametrize("move", list(MOVES))
def test_bad_input_is_400_naming_each_field_and_changes_nothing(api, world, move):
    address, who, cases = _bad(move, world)
    api.force_login(world[who])
    before = (events(), Recommendation.objects.count(), Forwarding.objects.count())
    for body, fields in cases:
        response = post(api, address, body)
        assert response.status_code == 400, (body, response.content)
        assert set(response.json()) == fields, (body, response.json())
        assert (events(), Recommendation.objects.count(), Forwarding.objects.count()) == before


def test_a_body_that_is_not_an_object_is_400(api, staff, meeting):
    api.force_login(staff)
    for body in ([], "text"):
        assert post(api, url("voter-meeting-collect", meeting.pk), body).status_code == 400
    response = api.post(
        url("voter-meeting-collect", meeting.pk), "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert Recommendation.objects.count() == 0


def test_field_errors_speak_vietnamese_or_english(api, staff, meeting):
    api.force_login(staff)
    address = url("voter-meeting-collect", meeting.pk)
    body = {"content": DYKE, "field": "land", "voters_count": 121}
    assert post(api, address, body).json() == {
        "voters_count": ["Cuộc tiếp xúc chỉ có 120 cử tri tham dự."]
    }
    assert post(api, address, {}, HTTP_ACCEPT_LANGUAGE="en").json()["content"] == [
        "This field is required."
    ]
    assert post(api, address, {**body, "field": "x"}).json()["field"] == [
        "“x” không phải là một lựa chọn hợp lệ."
    ]


# --- scope ------------------------------------------------------------------------------------


@pytest.fixture
def two_agencies(staff, meeting, department, other_department, lead, other_lead, handler):
    """One item forwarded to both agencies; each answered; the other also drafted once."""
    item = forwarded(meeting, staff, [department, other_department], content=DYKE)
    answer(forwarding_of(item, department), lead, text="Sở Xây dựng sẽ khảo sát tuyến đê.")
    answer(forwarding_of(item, other_department), other_lead, text="Sở Y tế: bí mật của Sở Y tế.")
    services.forwarding_send_back(
        actor=staff, forwarding=forwarding_of(item, other_department), reason="Làm rõ"
    )
    services.forwarding_save_draft(
        actor=other_lead,
        forwarding=forwarding_of(item, other_department),
        text="Dự thảo nội bộ của Sở Y tế",
    )
    return item


def test_an_agency_reads_its_own_forwardings_and_nothing_of_another_agency(
    api, two_agencies, department, other_department, lead, handler
):
    item = two_agencies
    mine = forwarding_of(item, department)
    theirs = forwarding_of(item, other_department)
    for user in (lead, handler):
        api.force_login(user)
        assert ids(api.get(url("forwarding-list"))) == [mine.pk]
        assert api.get(url("forwarding-detail", theirs.pk)).status_code == 404
        assert [a["forwarding"]["id"] for a in api.get(url("answer-list")).json()["results"]] == [
            mine.pk
        ]
        # the recommendation's text, sources and only their own forwarding and events
        listed = api.get(url("recommendation-list")).json()["results"]
        assert [r["id"] for r in listed] == [item.pk]
        assert [f["id"] for f in listed[0]["forwardings"]] == [mine.pk]
        detail = api.get(url("recommendation-detail", item.pk))
        data = detail.json()
        assert data["content"] == DYKE and data["sources"]
        assert [f["id"] for f in data["forwardings"]] == [mine.pk]
        assert {e["forwarding"] for e in data["events"]} <= {None, mine.pk}
        assert {e["action"] for e in data["events"] if e["forwarding"] is None} == {"forward"}
        for response in (detail, api.get(url("forwarding-detail", mine.pk))):
            body = response.content.decode()
            assert "bí mật của Sở Y tế" not in body and "Dự thảo nội bộ" not in body
        # answered: nothing left for the agency to do until the council assesses it
        assert api.get(url("forwarding-detail", mine.pk)).json()["available_actions"] == []
        # the council's side is not theirs
        assert ids(api.get(url("council-session-list"))) == []
        assert ids(api.get(url("voter-meeting-list"))) == []
        assert ids(api.get(url("term-list"))) == []
        assert api.get(url("council-session-detail", item.session_id)).status_code == 404


def test_the_council_reads_every_forwarding_of_its_items_but_no_agency_draft(
    api, staff, two_agencies, department, other_department
):
    api.force_login(staff)
    data = api.get(url("recommendation-detail", two_agencies.pk)).json()
    assert {f["agency"]["id"] for f in data["forwardings"]} == {department.pk, other_department.pk}
    assert len(ids(api.get(url("forwarding-list")))) == 2
    theirs = api.get(url("forwarding-detail", forwarding_of(two_agencies, other_department).pk))
    assert theirs.json()["draft"] is None
    assert "Dự thảo nội bộ" not in theirs.content.decode()


def test_a_monitor_reads_the_province_and_nothing_of_another(
    api, monitor, staff, meeting, department, session, term
):
    item = forwarded(meeting, staff, [department])
    foreign_session = CouncilSessionFactory()
    foreign = forwarded(
        VoterMeetingFactory(session=foreign_session),
        member(Role.COUNCIL_STAFF, foreign_session.council),
        [AgencyFactory(unit=foreign_session.council.unit)],
    )
    api.force_login(monitor)
    assert ids(api.get(url("term-list"))) == [term.pk]
    assert ids(api.get(url("council-session-list"))) == [session.pk]
    assert ids(api.get(url("voter-meeting-list"))) == [meeting.pk]
    assert ids(api.get(url("recommendation-list"))) == [item.pk]
    assert len(ids(api.get(url("forwarding-list")))) == 1
    for name, pk in [
        ("term-detail", foreign_session.term_id),
        ("council-session-detail", foreign_session.pk),
        ("voter-meeting-detail", foreign.sources.get().meeting_id),
        ("recommendation-detail", foreign.pk),
        ("forwarding-detail", foreign.forwardings.get().pk),
    ]:
        assert api.get(url(name, pk)).status_code == 404, name
    assert api.get(url("council-session-detail", session.pk)).json()["available_actions"] == []


def test_another_councils_staff_get_404_for_every_detail_and_move(
    api, stranger, staff, meeting, department, lead, session, term
):
    item = forwarded(meeting, staff, [department])
    forwarding = forwarding_of(item, department)
    answer(forwarding, lead)
    answer_row = Answer.objects.get()
    api.force_login(stranger)
    for address in [
        url("term-detail", term.pk),
        url("council-session-detail", session.pk),
        url("voter-meeting-detail", meeting.pk),
        url("recommendation-detail", item.pk),
        url("forwarding-detail", forwarding.pk),
        url("answer-detail", answer_row.pk),
    ]:
        assert api.get(address).status_code == 404, address
    for name in ("term", "council-session", "voter-meeting", "recommendation", "forwarding"):
        assert ids(api.get(url(f"{name}-list"))) == [], name
    assert ids(api.get(url("answer-list"))) == []


def test_unknown_ids_are_404_not_500(api, staff):
    api.force_login(staff)
    for prefix in ("terms", "council-sessions", "voter-meetings", "recommendations"):
        assert api.get(f"/api/v1/{prefix}/999999/").status_code == 404
        assert api.get(f"/api/v1/{prefix}/99999999999999999999999/").status_code == 404
        assert api.get(f"/api/v1/{prefix}/abc/").status_code == 404
    assert post(api, url("forwarding-accept", 999_999)).status_code == 404


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/terms/",
        "/api/v1/council-sessions/",
        "/api/v1/council-sessions/1/",
        "/api/v1/voter-meetings/",
        "/api/v1/recommendations/",
        "/api/v1/recommendations/1/",
        "/api/v1/forwardings/",
        "/api/v1/forwardings/1/",
        "/api/v1/answers/",
    ],
)
def test_anonymous_reads_are_401(api, address):
    response = api.get(address)
    assert response.status_code == 401
    assert response.json() == {"detail": "Thông tin xác thực chưa được cung cấp."}


def test_no_official_is_named_where_the_pages_name_none(api, staff, meeting, department, lead):
    item = forwarded(meeting, staff, [department])
    answer(forwarding_of(item, department), lead)
    api.force_login(staff)
    # lists name agencies, never officials; the timeline and an answer's signer are on
    # the detail pages, for staff of the item's scope, as the staff pages show them
    for name in ("recommendation-list", "council-session-list", "voter-meeting-list"):
        body = api.get(url(name)).content.decode()
        assert "Hoàng Minh Tuấn" not in body and "hdnd" not in body, name
    assert "created_by" not in api.get(url("recommendation-detail", item.pk)).json()


# --- filters, search, ordering, pages ------------------------------------------------------------


@pytest.fixture
def varied(staff, lead, department, other_department, other_lead, session, next_session, meeting):
    """Items that differ in every filtered column, one carried over to the next session."""
    gia_vien = meeting.commune
    hoa_lu = CommuneFactory(parent=meeting.commune.parent, name="Phường Hoa Lư")
    collected = collect(meeting, staff, content=CLINIC, field="health", commune=hoa_lu)
    road = settled(
        meeting,
        staff,
        department,
        lead,
        category=ResultCategory.RESOLVED,
        dispatched_on=date(2026, 7, 20),
        content="Sửa đường liên xã bị xuống cấp",
        locality="Thôn Đông",
        commune=gia_vien,
    )
    dyke = settled(
        meeting,
        staff,
        other_department,
        other_lead,
        category=ResultCategory.IN_PROGRESS,
        dispatched_on=date(2026, 7, 20),
        content=DYKE,
        field="environment",
        locality="Xóm Đoài",
    )
    waiting = forwarded(
        meeting, staff, [department], content="Ô nhiễm tiếng ồn xưởng gỗ", field="environment"
    )
    services.session_carry_over(actor=staff, session=next_session)
    later = consolidated(
        VoterMeetingFactory(session=next_session, commune=gia_vien, held_on=date(2026, 8, 1)),
        staff,
        content="Thiếu phòng học trường tiểu học",
        field="education",
        commune=gia_vien,
    )
    return {
        "collected": collected,
        "road": road,
        "dyke": dyke,
        "waiting": waiting,
        "later": later,
        "gia_vien": gia_vien,
    }


def _set(api, **params) -> set[int]:
    return set(ids(api.get(url("recommendation-list"), params)))


def test_the_recommendation_filters_narrow_the_list(
    api, varied, staff, session, next_session, term, department, other_department, meeting
):
    v = {name: row.pk for name, row in varied.items() if hasattr(row, "content")}
    api.force_login(staff)
    assert _set(api) == set(v.values())
    assert _set(api, session=session.pk) == {v["collected"], v["road"], v["dyke"], v["waiting"]}
    # a session's agenda holds what was carried onto it
    carried = {v["dyke"], v["waiting"]}
    assert _set(api, session=next_session.pk) == {v["later"], *carried}
    assert _set(api, session=next_session.pk, carried_over="true") == carried
    assert _set(api, session=next_session.pk, carried_over="false") == {v["later"]}
    assert _set(api, carried_over="true") == carried
    assert _set(api, term=term.pk) == set(v.values())
    assert _set(api, field="environment") == {v["dyke"], v["waiting"]}
    assert _set(api, commune=varied["gia_vien"].pk) == {v["road"], v["later"]}
    assert _set(api, locality="thon dong") == {v["road"]}
    assert _set(api, locality="XÓM ĐOÀI") == {v["dyke"]}
    assert _set(api, status="collected") == {v["collected"]}
    assert _set(api, status=["consolidated", "collected"]) == {v["collected"], v["later"]}
    assert _set(api, result="resolved") == {v["road"]}
    assert _set(api, result="pending") == {v["waiting"]}
    assert _set(api, agency=department.pk) == {v["road"], v["waiting"]}
    assert _set(api, agency=other_department.pk) == {v["dyke"]}
    assert _set(api, meeting=meeting.pk) == {v["collected"], v["road"], v["dyke"], v["waiting"]}
    assert _set(api, first_raised_on_after="2026-07-01") == {v["later"]}


def test_merged_items_are_listed_only_when_asked_for(api, staff, meeting):
    keeper, duplicate = collect(meeting, staff), collect(meeting, staff)
    services.recommendation_consolidate(actor=staff, keeper=keeper, duplicates=[duplicate])
    api.force_login(staff)
    assert _set(api) == {keeper.pk}
    assert _set(api, status="merged") == {duplicate.pk}
    merged = api.get(url("recommendation-detail", duplicate.pk)).json()
    assert merged["merged_into"] == keeper.pk and merged["available_actions"] == []


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("ô nhiễm", "waiting"),
        ("o nhiem", "waiting"),
        ("O NHIEM TIENG ON", "waiting"),
        ("đê hữu", "dyke"),
        ("de huu", "dyke"),
        ("hoa lu", "collected"),  # the commune's name
        ("Phường Hoa Lư", "collected"),
    ],
)
def test_search_works_with_and_without_diacritics(
    api, varied, staff, lead, department, query, name
):
    api.force_login(staff)
    assert _set(api, q=query) == {varied[name].pk}
    api.force_login(lead)
    expected = {f.pk for f in varied[name].forwardings.filter(agency=department)}
    assert set(ids(api.get(url("forwarding-list"), {"q": query}))) == expected


def test_the_recommendation_list_orders_by_field_then_as_asked(api, varied, staff):
    api.force_login(staff)
    fields = [r["field"] for r in api.get(url("recommendation-list")).json()["results"]]
    # the council's order: land, environment, construction, social policy, health,
    # education, transport…
    assert fields == ["environment", "environment", "health", "education", "transport"]

    def order(ordering: str) -> list[int]:
        return ids(api.get(url("recommendation-list"), {"ordering": ordering}))

    assert order("-first_raised_on")[0] == varied["later"].pk
    voters = [
        r["voters_count"]
        for r in api.get(url("recommendation-list"), {"ordering": "voters_count"}).json()["results"]
    ]
    assert voters == sorted(voters)


def test_the_forwarding_filters_narrow_the_list(
    api, varied, staff, department, other_department, session, next_session
):
    road = forwarding_of(varied["road"], department).pk
    dyke = forwarding_of(varied["dyke"], other_department).pk
    waiting = forwarding_of(varied["waiting"], department).pk

    def listed(**params) -> set[int]:
        return set(ids(api.get(url("forwarding-list"), params)))

    api.force_login(staff)
    assert listed() == {road, dyke, waiting}
    assert listed(status="forwarded") == {waiting}
    assert listed(status=["accepted", "answered"]) == {road, dyke}
    assert listed(agency=department.pk) == {road, waiting}
    assert listed(result="in_progress") == {dyke}
    assert listed(result="pending") == {waiting}
    assert listed(phase="on_track") == {waiting}
    assert listed(phase="overdue") == set()
    assert listed(field="environment") == {dyke, waiting}
    assert listed(session=next_session.pk, carried_over="true") == {dyke, waiting}
    assert listed(dispatched_on_before="2026-07-31") == {road, dyke}
    assert listed(dispatch_number="125/HĐND-VP") == {road, dyke, waiting}
    assert listed(locality="xom doai") == {dyke}
    dues = [
        r["answer_due_on"]
        for r in api.get(url("forwarding-list"), {"ordering": "-answer_due_on"}).json()["results"]
    ]
    assert dues == sorted(dues, reverse=True)
    row = api.get(url("forwarding-detail", waiting)).json()
    assert (row["phase"], row["phase_display"]) == ("on_track", "Trong hạn")
    assert "ngày làm việc" in row["answer_explanation"]


def test_the_answer_filters_narrow_the_list(api, varied, staff, department, other_department):
    api.force_login(staff)

    def listed(**params) -> set[str]:
        rows = api.get(url("answer-list"), params).json()["results"]
        return {r["category"] for r in rows}

    assert listed() == {"resolved", "in_progress"}
    assert listed(category="resolved") == {"resolved"}
    assert listed(agency=other_department.pk) == {"in_progress"}
    assert listed(assessment="accepted") == {"resolved", "in_progress"}
    assert listed(assessment="pending") == set()
    assert listed(q="de huu") == {"in_progress"}
    assert listed(on_time="true") == {"resolved", "in_progress"}
    one = api.get(url("answer-list")).json()["results"][0]
    assert api.get(one["url"]).json() == one


def test_the_session_meeting_and_term_filters(
    api, staff, council, term, session, next_session, meeting, other_meeting, commune
):
    old_term = TermFactory(council=council, start_year=2021, end_year=2026)
    old = CouncilSessionFactory(
        term=old_term, number=9, kind="thematic", opens_on=date(2025, 12, 1)
    )
    old.closes_on = date(2025, 12, 2)
    old.save()
    api.force_login(staff)

    def listed(name: str, **params) -> list[int]:
        return ids(api.get(url(f"{name}-list"), params))

    assert listed("term") == [term.pk, old_term.pk]
    assert listed("term", council=council.pk) == [term.pk, old_term.pk]
    assert listed("council-session") == [next_session.pk, session.pk, old.pk]
    assert listed("council-session", term=term.pk) == [next_session.pk, session.pk]
    assert listed("council-session", kind="thematic") == [old.pk]
    assert listed("council-session", council=council.pk, opens_on_before="2026-01-01") == [old.pk]
    assert listed("council-session", opens_on_after="2026-07-01", ordering="opens_on") == [
        session.pk,
        next_session.pk,
    ]
    assert listed("council-session", status="published") == []
    assert listed("voter-meeting") == [meeting.pk, other_meeting.pk]
    assert listed("voter-meeting", session=session.pk, commune=commune.pk) == [meeting.pk]
    assert listed("voter-meeting", session=next_session.pk) == []
    assert listed("voter-meeting", held_on_after="2026-06-21") == [other_meeting.pk]


def test_details_carry_their_figures_and_what_was_raised(api, varied, staff, session, term):
    api.force_login(staff)
    data = api.get(url("council-session-detail", session.pk)).json()
    figures = data["figures"]
    assert (figures["total"], figures["forwarded"], figures["resolved"]) == (4, 3, 1)
    assert figures["resolution_rate"] == 33.3
    assert data["term_figures"]["total"] == 5
    assert data["available_actions"] == ["forward", "publish"]
    assert data["items"] == 4
    assert api.get(url("term-detail", term.pk)).json()["figures"]["forwarded"] == 3
    meeting_id = varied["road"].sources.get().meeting_id
    meeting_data = api.get(url("voter-meeting-detail", meeting_id)).json()
    assert meeting_data["items"] == 4 == len(meeting_data["sources"])
    assert meeting_data["deputies"].startswith("Đại biểu")
    assert meeting_data["available_actions"] == ["collect"]


def test_the_lists_are_paginated_and_the_page_size_is_capped(api, staff, meeting):
    for i in range(55):
        collect(meeting, staff, content=f"Kiến nghị số {i}")
    api.force_login(staff)
    first = api.get(url("recommendation-list")).json()
    assert first["count"] == 55 and len(first["results"]) == 50
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 5
    assert {r["id"] for r in first["results"]}.isdisjoint({r["id"] for r in second["results"]})
    assert len(api.get(url("recommendation-list"), {"page_size": 10}).json()["results"]) == 10
    assert len(api.get(url("recommendation-list"), {"page_size": 10**5}).json()["results"]) == 55
    assert api.get(url("recommendation-list"), {"page": 9}).status_code == 404


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("recommendation", {"session": "abc"}),
        ("recommendation", {"term": "99999999999999999999999999"}),
        ("recommendation", {"agency": "-1"}),
        ("recommendation", {"status": "zzz"}),
        ("recommendation", {"result": "maybe"}),
        ("recommendation", {"meeting": "1.5"}),
        ("recommendation", {"first_raised_on_after": "2026-13-45"}),
        ("recommendation", {"q": "x" * 101}),
        ("recommendation", {"locality": "\x00"}),
        ("forwarding", {"phase": "soon"}),
        ("forwarding", {"status": "lost"}),
        ("answer", {"category": "half"}),
        ("council-session", {"kind": "secret"}),
        ("voter-meeting", {"commune": "x"}),
        ("term", {"council": "0"}),
    ],
)
def test_bad_filters_are_400_never_500(api, staff, name, params):
    api.force_login(staff)
    assert api.get(url(f"{name}-list"), params).status_code == 400


# --- query counts -----------------------------------------------------------------------------


@pytest.fixture(params=[1, 6], ids=["few", "many"])
def size(request):
    return request.param


@pytest.fixture
def data(size, staff, lead, department, other_department, other_lead, session, next_session):
    """`size` meetings, each with a collected, a consolidated, an answered item and one
    forwarded to two agencies and accepted; unresolved items are carried over."""
    for _ in range(size):
        commune = CommuneFactory(parent=session.council.unit)
        meeting = VoterMeetingFactory(session=session, commune=commune)
        collect(meeting, staff)
        consolidated(meeting, staff)
        item = forwarded(meeting, staff, [department], dispatched_on=date(2026, 7, 27))
        answer(forwarding_of(item, department), lead, category=ResultCategory.IN_PROGRESS)
        services.forwarding_accept(actor=staff, forwarding=forwarding_of(item, department))
        both = forwarded(
            meeting, staff, [department, other_department], dispatched_on=date(2026, 7, 27)
        )
        for agency, signer in ((department, lead), (other_department, other_lead)):
            answer(forwarding_of(both, agency), signer)
    services.session_carry_over(actor=staff, session=next_session)
    assert CarryOver.objects.count() == 2 * size
    return size


# Every list below costs, for a logged-in official: 1 the session row, 2 the user,
# 3 their memberships (agencies.scope), 4 the count, 5 the page with its joins (LOGIN = 3);
# a monitor's scope adds the agencies of their province.
LOGIN = 3

LISTS = {
    # list: (user, extra queries after the page, how many rows per size)
    # the terms with their council
    "term": ("staff", 0, lambda n: 1),
    # the sessions with term, council and the count of their items
    "council-session": ("staff", 0, lambda n: 2),
    # the meetings with session, commune and the count of their sources
    "voter-meeting": ("staff", 0, lambda n: n),
    # the items with session and commune; their forwardings with agency; carry-overs
    # with their session
    "recommendation": ("staff", 2, lambda n: 4 * n),
    # the forwardings with agency, item, session, commune, current and accepted answers
    # and their signers
    "forwarding": ("lead", 0, lambda n: 2 * n),
    # the answers with forwarding, agency and signer
    "answer": ("lead", 0, lambda n: 2 * n),
}


@pytest.mark.parametrize("name", list(LISTS))
def test_each_list_costs_the_same_queries_for_few_or_many_rows(
    api, data, staff, lead, name, django_assert_num_queries
):
    who, extra, rows = LISTS[name]
    api.force_login({"staff": staff, "lead": lead}[who])
    with django_assert_num_queries(LOGIN + 2 + extra):
        response = api.get(url(f"{name}-list"), {"page_size": 200})
    assert response.json()["count"] == rows(data)


@pytest.mark.parametrize("name", list(LISTS))
def test_a_monitors_lists_cost_one_more_query_for_the_province(
    api, data, monitor, name, django_assert_num_queries
):
    _, extra, _ = LISTS[name]
    api.force_login(monitor)
    # … + the agencies of the monitor's province (their scope)
    with django_assert_num_queries(LOGIN + 1 + 2 + extra):
        assert api.get(url(f"{name}-list")).status_code == 200


def test_an_agencys_recommendation_list_costs_the_same_for_few_or_many(
    api, data, lead, django_assert_num_queries
):
    api.force_login(lead)
    # scope, count, the page, their forwardings, carry-overs
    with django_assert_num_queries(LOGIN + 2 + 2):
        assert api.get(url("recommendation-list")).json()["count"] == 2 * data
