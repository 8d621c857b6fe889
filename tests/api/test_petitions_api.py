"""The petitions API: scope, the transition matrix, confidentiality, errors, auth, lists."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agencies.models import Role
from casework.uploads import CheckedFile
from petitions import moves, services
from petitions.api import API_MOVES, PetitionViewSet
from petitions.identity import tracking_code_matches
from petitions.models import IdentityReveal, Petition, PetitionEvent, Status
from petitions.views import STAFF_FORMS
from tests.factories import AgencyFactory, CommuneFactory, member, submit_petition
from tests.petitions.conftest import at

pytestmark = pytest.mark.django_db

LIST = "/api/v1/petitions/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def detail_url(pk: int) -> str:
    return reverse("api:petition-detail", args=[pk])


def move_url(pk: int, move: str) -> str:
    return reverse(f"api:petition-{move.replace('_', '-')}", args=[pk])


def test_the_urls_are_where_the_readme_says():
    assert reverse("api:petition-list") == LIST
    assert move_url(7, "not_accept") == "/api/v1/petitions/7/not_accept/"


def _case(state: str, agency, lead, kind: str = "recommendation", **fields) -> Petition:
    """A petition of `agency` brought to `state` through the services."""
    petition = submit_petition(agency=agency, kind=kind, **fields).petition
    if state in {"accepted", "suspended", "resolved"}:
        services.petition_accept(petition=petition, actor=lead)
    if state == "suspended":
        services.petition_suspend(
            petition=petition, actor=lead, reason="Chờ giám định", decision_number="01/QĐ-TĐC"
        )
    if state == "resolved":
        services.petition_resolve(
            petition=petition,
            actor=lead,
            outcome="wrong" if kind == "complaint" else "adopted",
            decision_number="15/QĐ-GQ",
            result_summary="Giữ nguyên quyết định đã ban hành.",
        )
    return Petition.objects.get(pk=petition.pk)


# --- the permission matrix of transitions ---------------------------------------------------

DECISION = {"reason": "Cần xác minh thêm tại địa phương", "decision_number": "12/QĐ-UBND"}
MOVES = {
    # move: (state, kind, body, roles of the case's own agency that may, success code)
    "accept": ("received", "recommendation", {}, {Role.LEAD}, 200),
    "transfer": (
        "received",
        "recommendation",
        {"to_agency": "OTHER_AGENCY"},
        {Role.HANDLER, Role.LEAD},
        201,
    ),
    "guide": (
        "received",
        "recommendation",
        {"guided_to": "Tòa án nhân dân tỉnh"},
        {Role.HANDLER, Role.LEAD},
        200,
    ),
    "not_accept": ("received", "recommendation", {"reason": "time_limit"}, {Role.LEAD}, 200),
    "file": ("received", "recommendation", {"note": "Đơn trùng"}, {Role.HANDLER, Role.LEAD}, 200),
    "suspend": ("accepted", "recommendation", DECISION, {Role.LEAD}, 200),
    "resume": ("suspended", "recommendation", {}, {Role.LEAD}, 200),
    "extend": ("accepted", "recommendation", DECISION, {Role.LEAD}, 200),
    "resolve": (
        "accepted",
        "recommendation",
        {"outcome": "adopted", "decision_number": "20/TB", "result_summary": "Đã sửa đường."},
        {Role.LEAD},
        200,
    ),
    "close": ("resolved", "recommendation", {}, {Role.LEAD}, 200),
    "appeal": (
        "resolved",
        "complaint",
        {"content": "Tôi không đồng ý với quyết định giải quyết lần đầu."},
        {Role.HANDLER, Role.LEAD},
        201,
    ),
    "withdraw": ("received", "recommendation", {"reason": "Đã tự hòa giải"}, {Role.LEAD}, 200),
    "terminate": ("received", "recommendation", {"reason": "Người gửi đã chết"}, {Role.LEAD}, 200),
    "assign": ("received", "recommendation", {"handler": "HANDLER"}, {Role.LEAD}, 200),
    "note": (
        "received",
        "recommendation",
        {"note": "Gọi điện cho công dân"},
        {Role.HANDLER, Role.LEAD},
        200,
    ),
}
ROLES = [Role.HANDLER, Role.LEAD, Role.MONITOR, Role.COUNCIL_STAFF]


def _acting_user(role: str, own: bool, agency, other_agency, province):
    if role == Role.MONITOR:
        # A monitor reads a whole province: "own" is the case's province, "other" another.
        return member(role, AgencyFactory(unit=province) if own else AgencyFactory())
    return member(role, agency if own else other_agency)


@pytest.mark.parametrize("move", sorted(MOVES))
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("own", [True, False], ids=["own-agency", "other-agency"])
def test_the_permission_matrix_of_transitions_over_the_api(
    api, agency, other_agency, province, lead, handler, move, role, own
):
    state, kind, body, allowed, success = MOVES[move]
    petition = _case(state, agency, lead, kind)
    placeholders = {"OTHER_AGENCY": other_agency.pk, "HANDLER": handler.pk}
    body = {key: placeholders.get(value, value) for key, value in body.items()}
    api.force_login(_acting_user(role, own, agency, other_agency, province))
    events_before = PetitionEvent.objects.count()
    own_events_before = petition.events.count()

    response = api.post(move_url(petition.pk, move), body, format="json")

    if own and role in allowed:
        assert response.status_code == success, response.json()
        assert petition.events.count() == own_events_before + 1
        if success == 201:  # transfer and appeal answer with the new case
            assert response.json()["id"] != petition.pk
            assert response["Location"].endswith(detail_url(response.json()["id"]))
        else:
            assert response.json()["id"] == petition.pk
    else:
        # a case the user can read but not act on is 403; anyone else's is 404
        assert response.status_code == (403 if own else 404), response.json()
        assert PetitionEvent.objects.count() == events_before
        assert Petition.objects.get(pk=petition.pk).status == petition.status


def test_a_refused_role_is_told_why_in_vietnamese(api, agency, handler):
    petition = submit_petition(agency=agency).petition
    api.force_login(handler)
    response = api.post(move_url(petition.pk, "accept"), {}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Vai trò của bạn không được phép thực hiện thao tác này."}


def test_the_answer_to_a_move_is_the_updated_case_with_its_new_event(api, agency, lead):
    petition = submit_petition(agency=agency).petition
    api.force_login(lead)
    response = api.post(move_url(petition.pk, "accept"), {"is_complex": True}, format="json")
    data = response.json()
    assert data["status"] == "accepted" and data["status_display"] == "Đã thụ lý"
    assert data["clock"] == "resolution" and data["resolution_due_on"] == data["clock_due_on"]
    assert data["is_complex"] is True
    assert [e["action"] for e in data["events"]] == ["submit", "accept"]
    assert data["events"][-1]["actor_name"] == lead.get_full_name()
    assert "accept" not in data["available_actions"] and "resolve" in data["available_actions"]


def test_another_agencys_case_is_404_for_the_detail_and_every_action(
    api, agency, other_handler, other_lead
):
    petition = submit_petition(agency=agency).petition
    for user in (other_handler, other_lead):
        api.force_login(user)
        assert api.get(detail_url(petition.pk)).status_code == 404
        for move in MOVES:
            assert api.post(move_url(petition.pk, move), {}, format="json").status_code == 404
    assert petition.events.count() == 1


def test_unknown_ids_are_404_not_500(api, lead):
    api.force_login(lead)
    assert api.get(detail_url(999_999)).status_code == 404
    assert api.get(f"{LIST}99999999999999999999999999/").status_code == 404
    assert api.get(f"{LIST}abc/").status_code == 404
    assert api.post(move_url(999_999, "accept"), {}, format="json").status_code == 404


# --- scope of the lists ------------------------------------------------------------------------


def test_a_monitor_lists_every_case_of_their_province_and_nothing_of_another(
    api, agency, other_agency, monitor, handler
):
    mine = submit_petition(agency=agency, subject="Của sở nông nghiệp").petition
    neighbour = submit_petition(agency=other_agency, subject="Của sở xây dựng").petition
    foreign = submit_petition(agency=AgencyFactory(), subject="Của tỉnh khác").petition
    api.force_login(monitor)
    listed = {row["id"] for row in api.get(LIST).json()["results"]}
    assert listed == {mine.pk, neighbour.pk}
    assert api.get(detail_url(neighbour.pk)).status_code == 200
    assert api.get(detail_url(foreign.pk)).status_code == 404
    api.force_login(handler)
    assert {row["id"] for row in api.get(LIST).json()["results"]} == {mine.pk}


# --- confidentiality -----------------------------------------------------------------------------

DENOUNCER = "Lê Văn Tố"
DENOUNCER_SECRETS = (
    DENOUNCER,
    "Le Van To",
    "to.lv@example.vn",
    "0912345678",  # the phone and address the factory gives every petitioner
    "Thôn Đông",
)
MASK = "Người tố cáo (được bảo mật)"


def _pdf(name: str) -> CheckedFile:
    upload = SimpleUploadedFile(name, PDF, content_type="application/pdf")
    return CheckedFile(upload, "application/pdf", name)


@pytest.fixture
def denunciation(agency, handler, lead):
    petition = submit_petition(
        agency=agency,
        kind="denunciation",
        name=DENOUNCER,
        email="to.lv@example.vn",
        subject="Tố cáo cán bộ địa chính nhận tiền",
        files=[_pdf("bien-ban.pdf")],
    ).petition
    services.petition_assign(petition=petition, actor=lead, handler=handler)
    return Petition.objects.get(pk=petition.pk)


def _assert_no_denouncer(response) -> None:
    body = response.content.decode()
    for secret in DENOUNCER_SECRETS:
        assert secret not in body, (secret, response.request["PATH_INFO"])


def test_the_denouncer_appears_in_no_api_response_to_anyone(
    api, agency, other_agency, province, denunciation, handler, lead, monitor, council_staff
):
    colleague = member(Role.HANDLER, agency, username="dongnghiep")
    for user in (handler, lead, colleague, monitor, council_staff):
        api.force_login(user)
        listed = api.get(LIST)
        _assert_no_denouncer(listed)
        assert listed.json()["results"][0]["display_name"] == MASK
        # the name is not even searchable: it never reaches the search column
        assert api.get(LIST, {"q": DENOUNCER}).json()["count"] == 0
        detail = api.get(detail_url(denunciation.pk))
        _assert_no_denouncer(detail)
        assert detail.json()["display_name"] == MASK
        assert detail.json()["petitioner"] is None
        assert "reveal" not in detail.json()["available_actions"]
    for user, move, body in [
        (handler, "note", {"note": "Đã xác minh sơ bộ"}),
        (lead, "assign", {"handler": colleague.pk}),
        (lead, "accept", {}),
        (lead, "extend", {**DECISION, "especially_complex": True}),
    ]:
        api.force_login(user)
        response = api.post(move_url(denunciation.pk, move), body, format="json")
        assert response.status_code == 200, response.json()
        _assert_no_denouncer(response)
    assert IdentityReveal.objects.count() == 0


def test_a_transferred_denunciation_keeps_the_denouncer_hidden_on_both_sides(
    api, agency, other_agency, denunciation, handler
):
    api.force_login(handler)
    response = api.post(
        move_url(denunciation.pk, "transfer"), {"to_agency": other_agency.pk}, format="json"
    )
    assert response.status_code == 201
    _assert_no_denouncer(response)
    assert response.json()["display_name"] == MASK
    receiver = member(Role.LEAD, other_agency, username="lanhdao.nhan")
    api.force_login(receiver)
    new_pk = response.json()["id"]
    for answer in (
        api.get(LIST),
        api.get(detail_url(new_pk)),
        api.post(move_url(new_pk, "accept"), {}, format="json"),
    ):
        assert answer.status_code == 200
        _assert_no_denouncer(answer)
    assert api.get(detail_url(denunciation.pk)).status_code == 404  # the sender's own row


def test_identifying_attachments_are_listed_only_for_those_who_may_reveal(
    api, agency, denunciation, handler, monitor
):
    api.force_login(handler)  # the assigned handler
    # Before the logged reveal even the file names stay hidden: they may name the denouncer.
    data = api.get(detail_url(denunciation.pk)).json()
    assert data["attachments"] == [] and data["hidden_attachments"] == 1
    services.petition_reveal_identity(
        petition=denunciation, actor=handler, reason="Mời người tố cáo làm việc"
    )
    data = api.get(detail_url(denunciation.pk)).json()
    assert [(a["name"], a["is_identifying"]) for a in data["attachments"]] == [
        ("bien-ban.pdf", True)
    ]
    assert data["attachments"][0]["download_url"].endswith(
        reverse("petitions:attachment", args=[denunciation.pk, data["attachments"][0]["id"]])
    )
    assert data["hidden_attachments"] == 0
    colleague = member(Role.HANDLER, agency, username="dongnghiep")
    for user in (colleague, monitor):
        api.force_login(user)
        data = api.get(detail_url(denunciation.pk)).json()
        assert data["attachments"] == [] and data["hidden_attachments"] == 1


def test_the_mask_follows_the_request_language(api, denunciation, handler):
    api.force_login(handler)
    english = api.get(detail_url(denunciation.pk), HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["display_name"] == "Denouncer (confidential)"
    assert english["kind_display"] == "Denunciation"


def test_a_complainants_contact_is_shown_to_those_who_may_see_the_case(
    api, agency, handler, monitor, other_handler
):
    petition = submit_petition(agency=agency, name="Nguyễn Văn An", email="an.nv@example.vn")
    pk = petition.petition.pk
    for user in (handler, monitor):
        api.force_login(user)
        assert api.get(LIST).json()["results"][0]["display_name"] == "Nguyễn Văn An"
        petitioner = api.get(detail_url(pk)).json()["petitioner"]
        assert petitioner["name"] == "Nguyễn Văn An"
        assert petitioner["email"] == "an.nv@example.vn"
        assert petitioner["phone"] == "0912345678"
    api.force_login(other_handler)
    response = api.get(detail_url(pk))
    assert response.status_code == 404 and "Nguyễn Văn An" not in response.content.decode()
    assert "Nguyễn Văn An" not in api.get(LIST).content.decode()


# --- conflicts and bad input -------------------------------------------------------------------


def test_an_illegal_move_is_409_with_the_reason_in_the_request_language(api, agency, handler, lead):
    petition = submit_petition(agency=agency).petition
    services.petition_guide(petition=petition, actor=handler, guided_to="Tòa án nhân dân")
    api.force_login(lead)
    response = api.post(move_url(petition.pk, "accept"), {}, format="json")
    assert response.status_code == 409
    assert response.json() == {
        "detail": "Không thể “Thụ lý” khi đơn đang ở trạng thái “Đã hướng dẫn”."
    }
    response = api.post(
        move_url(petition.pk, "accept"), {}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": "“Accept for resolution” is not possible while the petition is "
        "“Guided elsewhere”."
    }
    assert Petition.objects.get(pk=petition.pk).status == Status.GUIDED


def test_a_second_transfer_of_a_denunciation_is_409(api, agency, other_agency, lead):
    first = submit_petition(agency=other_agency, kind="denunciation").petition
    new = services.petition_transfer(
        petition=first, actor=member(Role.HANDLER, other_agency), to_agency=agency
    )
    api.force_login(lead)
    response = api.post(move_url(new.pk, "transfer"), {"to_agency": other_agency.pk}, format="json")
    assert response.status_code == 409
    assert "chỉ được chuyển một lần" in response.json()["detail"]


def test_a_lost_race_is_409_and_writes_nothing(api, agency, handler, lead, monkeypatch):
    petition = submit_petition(agency=agency).petition
    load = PetitionViewSet.get_object

    def load_then_someone_else_moves(view):
        loaded = load(view)
        # Another official guides the case between this request's read and its write.
        services.petition_guide(
            petition=Petition.objects.get(pk=loaded.pk), actor=handler, guided_to="Tòa án"
        )
        return loaded

    monkeypatch.setattr(PetitionViewSet, "get_object", load_then_someone_else_moves)
    api.force_login(lead)
    response = api.post(move_url(petition.pk, "accept"), {}, format="json")
    assert response.status_code == 409
    assert "vừa được người khác cập nhật" in response.json()["detail"]
    assert Petition.objects.get(pk=petition.pk).status == Status.GUIDED
    assert list(petition.events.values_list("action", flat=True)) == ["submit", "guide"]


def test_bad_input_is_400_with_the_errors_of_each_field_and_changes_nothing(
    api, agency, other_agency, lead, other_handler
):
    petition = _case("accepted", agency, lead)
    api.force_login(lead)
    events = petition.events.count()

    response = api.post(move_url(petition.pk, "resolve"), {"outcome": "nonsense"}, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"outcome", "decision_number", "result_summary"}
    assert errors["decision_number"] == ["Trường này là bắt buộc."]

    # The service's own checks answer the same way: an outcome that does not fit the kind.
    response = api.post(
        move_url(petition.pk, "resolve"),
        {"outcome": "correct", "decision_number": "1/TB", "result_summary": "Đã giải quyết"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"outcome": ["Chọn kết quả phù hợp với loại đơn này."]}

    response = api.post(
        move_url(petition.pk, "assign"), {"handler": other_handler.pk}, format="json"
    )
    assert response.status_code == 400 and set(response.json()) == {"handler"}

    for body in ([], "", {"decision_number": "x" * 61, "reason": "a"}):
        response = api.post(move_url(petition.pk, "suspend"), body, format="json")
        assert response.status_code == 400, body
    response = api.post(
        move_url(petition.pk, "suspend"), "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert petition.events.count() == events
    assert Petition.objects.get(pk=petition.pk).status == Status.ACCEPTED


def test_a_transfer_to_the_same_agency_is_400_from_the_service(api, agency, handler):
    petition = submit_petition(agency=agency).petition
    api.force_login(handler)
    response = api.post(move_url(petition.pk, "transfer"), {"to_agency": agency.pk}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"to_agency"}


def test_a_guidance_longer_than_its_column_is_400_not_a_database_error(api, agency, handler):
    petition = submit_petition(agency=agency).petition
    api.force_login(handler)
    response = api.post(move_url(petition.pk, "guide"), {"guided_to": "x" * 301}, format="json")
    assert response.status_code == 400
    assert response.json() == {"guided_to": ["Trường này không được dài quá 300 ký tự."]}


def test_field_errors_follow_the_request_language(api, agency, lead):
    petition = _case("accepted", agency, lead)
    api.force_login(lead)
    response = api.post(
        move_url(petition.pk, "suspend"), {}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json() == {
        "reason": ["This field is required."],
        "decision_number": ["This field is required."],
    }


# --- recording a petition --------------------------------------------------------------------------


def _record(agency, **extra):
    data = {
        "kind": "complaint",
        "field": "land",
        "channel": "post",
        "handling_agency": agency.pk,
        "subject": "Khiếu nại về bồi thường giải phóng mặt bằng",
        "content": "Gia đình tôi bị thu hồi 300 m² đất nhưng mức bồi thường chưa đúng.",
        "received_on": "2026-03-02",
        "name": "Trần Thị Bình",
        "phone": "0987 654 321",
        "email": "binh@example.vn",
        "address": "Xóm 3, xã Gia Viễn",
        "co_signers": ["Trần Văn Cường", "Lê Thị Dung"],
    }
    data.update(extra)
    return data


def test_a_handler_records_a_petition_received_by_post_and_gets_the_code_once(api, agency, handler):
    api.force_login(handler)
    response = api.post(LIST, _record(agency), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    petition = Petition.objects.get()
    assert data["reference"] == petition.reference and data["id"] == petition.pk
    assert tracking_code_matches(data["tracking_code"], petition.tracking_hash)
    assert response["Location"].endswith(detail_url(petition.pk))
    assert (petition.channel, petition.received_on) == ("post", date(2026, 3, 2))
    assert petition.co_signers_count == 2
    assert data["petitioner"]["co_signers"] == ["Trần Văn Cường", "Lê Thị Dung"]
    assert PetitionEvent.objects.get().actor == handler
    assert "tracking_code" not in api.get(detail_url(petition.pk)).json()


def test_a_denunciation_recorded_over_the_api_does_not_echo_the_denouncer(api, agency, handler):
    api.force_login(handler)
    response = api.post(
        LIST,
        _record(agency, kind="denunciation", name=DENOUNCER, email="to.lv@example.vn"),
        format="json",
    )
    assert response.status_code == 201
    _assert_no_denouncer(response)
    assert response.json()["petitioner"] is None
    assert response.json()["display_name"] == MASK


@pytest.mark.parametrize("who", ["other-agency handler", "monitor", "council staff"])
def test_only_officials_of_the_agency_may_record_its_petitions(
    api, agency, other_handler, monitor, council_staff, who
):
    user = {"other-agency handler": other_handler, "monitor": monitor}.get(who, council_staff)
    api.force_login(user)
    response = api.post(LIST, _record(agency), format="json")
    assert response.status_code == 403
    assert Petition.objects.count() == 0


@pytest.mark.parametrize(
    ("extra", "fields"),
    [
        ({"subject": "", "content": "ngắn"}, {"subject", "content"}),
        ({"phone": "12ab", "id_number": "123"}, {"phone", "id_number"}),
        ({"channel": "online", "kind": "gossip"}, {"channel", "kind"}),
        ({"handling_agency": 10**30, "commune": "abc"}, {"handling_agency", "commune"}),
        ({"received_on": "2999-01-01"}, {"received_on"}),  # the service: not in the future
        ({"received_on": "2000-01-01"}, {"received_on"}),  # no deadline rule then
        ({"kind": "recommendation", "received_on": "2021-01-04"}, {"received_on"}),
        ({"co_signers": "Một người"}, {"co_signers"}),
    ],
)
def test_a_bad_record_is_400_naming_each_field_and_saves_nothing(
    api, agency, handler, extra, fields
):
    api.force_login(handler)
    response = api.post(LIST, _record(agency, **extra), format="json")
    assert response.status_code == 400
    assert set(response.json()) == fields
    assert Petition.objects.count() == 0


def test_record_errors_speak_vietnamese(api, agency, handler):
    api.force_login(handler)
    errors = api.post(LIST, _record(agency, phone="12ab", kind="x"), format="json").json()
    assert errors["phone"] == ["Nhập số điện thoại từ 8 đến 15 chữ số."]
    assert errors["kind"] == ["“x” không phải là một lựa chọn hợp lệ."]


# --- authentication ---------------------------------------------------------------------------------


def test_other_systems_authenticate_with_a_token_and_need_no_csrf(agency, handler):
    petition = submit_petition(agency=agency).petition
    token = Token.objects.create(user=handler)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(LIST).json()["count"] == 1
    response = client.post(move_url(petition.pk, "note"), {"note": "Đã gọi"}, format="json")
    assert response.status_code == 200
    assert petition.events.last().actor == handler


def test_a_token_older_than_api_token_days_is_refused_with_a_reason(agency, handler, settings):
    settings.API_TOKEN_DAYS = 180
    token = Token.objects.create(user=handler)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=179))
    assert client.get("/api/v1/petitions/").status_code == 200
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=181))
    response = client.get("/api/v1/petitions/")
    assert response.status_code == 401
    assert "hết hạn" in response.json()["detail"]
    assert client.post("/api/v1/petitions/", {}).status_code == 401
    settings.API_TOKEN_DAYS = 0  # never expire
    assert client.get("/api/v1/petitions/").status_code == 200


def test_a_browser_session_needs_the_csrf_token_to_post(agency, handler):
    petition = submit_petition(agency=agency).petition
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(handler)
    assert client.get(detail_url(petition.pk)).status_code == 200
    response = client.post(move_url(petition.pk, "note"), {"note": "Đã gọi"}, format="json")
    assert response.status_code == 403
    assert petition.events.count() == 1


@pytest.mark.parametrize(
    "url",
    [LIST, "/api/v1/petitions/1/", "/api/v1/agencies/", "/api/v1/units/", "/api/v1/"],
)
def test_anonymous_calls_are_refused(api, url):
    response = api.get(url)
    assert response.status_code in {401, 403}
    assert response.json() == {"detail": "Thông tin xác thực chưa được cung cấp."}


def test_anonymous_and_bad_token_moves_are_refused(api, agency):
    petition = submit_petition(agency=agency).petition
    assert api.post(move_url(petition.pk, "note"), {"note": "x"}, format="json").status_code in {
        401,
        403,
    }
    api.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    response = api.get(LIST)
    assert response.status_code in {401, 403}
    assert response.json() == {"detail": "Token không hợp lệ."}
    assert petition.events.count() == 1


# --- filters, ordering, search, pagination -----------------------------------------------------------


def test_the_list_is_paginated_and_the_page_size_is_capped(api, agency, handler):
    for i in range(55):
        submit_petition(agency=agency, subject=f"Đơn số {i}")
    api.force_login(handler)
    first = api.get(LIST).json()
    assert first["count"] == 55 and len(first["results"]) == 50
    assert first["next"].endswith("?page=2") and first["previous"] is None
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 5
    assert {r["id"] for r in first["results"]}.isdisjoint({r["id"] for r in second["results"]})
    assert len(api.get(LIST, {"page_size": 10}).json()["results"]) == 10
    assert len(api.get(LIST, {"page_size": 100_000}).json()["results"]) == 55
    assert api.get(LIST, {"page": 9}).status_code == 404


@pytest.fixture
def varied(agency, other_agency, handler, lead, other_handler):
    """Five cases that differ in every filtered column."""
    commune = CommuneFactory(name="Xã Gia Viễn")
    with at(2026, 1, 5):
        old = submit_petition(
            agency=agency, subject="Ô nhiễm tiếng ồn từ xưởng gỗ", commune=commune
        )
    post = submit_petition(
        agency=agency,
        kind="recommendation",
        field="transport",
        subject="Đường giao thông xuống cấp",
        actor=handler,
        channel="post",
    )
    services.petition_assign(petition=post.petition, actor=lead, handler=handler)
    accepted = _case("accepted", agency, lead, subject="Cấp giấy chứng nhận chậm")
    closed = _case("received", agency, lead, subject="Đơn đã lưu")
    services.petition_file(petition=closed, actor=handler, note="Trùng")
    neighbour = submit_petition(agency=other_agency, kind="denunciation", subject="Tố cáo")
    return {
        "old": old.petition,
        "post": post.petition,
        "accepted": accepted,
        "filed": closed,
        "neighbour": neighbour.petition,
    }


def _ids(api, **params) -> set[int]:
    response = api.get(LIST, params)
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_the_filters_narrow_the_list(api, varied, handler, monitor, other_agency):
    v = {name: p.pk for name, p in varied.items()}
    api.force_login(handler)
    assert _ids(api) == {v["old"], v["post"], v["accepted"], v["filed"]}
    assert _ids(api, status="accepted") == {v["accepted"]}
    assert _ids(api, status=["accepted", "filed"]) == {v["accepted"], v["filed"]}
    assert _ids(api, open="true") == {v["old"], v["post"], v["accepted"]}
    assert _ids(api, open="false") == {v["filed"]}
    assert _ids(api, kind="complaint") == {v["old"]}
    assert _ids(api, field="transport") == {v["post"]}
    assert _ids(api, channel="post") == {v["post"]}
    assert _ids(api, commune=varied["old"].commune_id) == {v["old"]}
    assert _ids(api, round=2) == set()
    assert _ids(api, received_on_before="2026-01-31") == {v["old"]}
    assert _ids(api, received_on_after="2026-02-01") == {v["post"], v["accepted"], v["filed"]}
    assert _ids(api, phase="long_overdue") == {v["old"]}
    assert _ids(api, phase="on_track") == {v["post"], v["accepted"]}
    assert _ids(api, assigned_to_me="true") == {v["post"]}
    api.force_login(monitor)
    assert _ids(api, handling_agency=other_agency.pk) == {v["neighbour"]}


def test_the_list_shows_each_case_phase(api, varied, handler):
    api.force_login(handler)
    rows = {row["id"]: row for row in api.get(LIST).json()["results"]}
    old = rows[varied["old"].pk]
    assert (old["phase"], old["phase_display"]) == ("long_overdue", "Quá hạn lâu")
    assert rows[varied["filed"].pk]["phase"] is None


@pytest.mark.parametrize("query", ["ô nhiễm", "o nhiem", "O NHIEM", "gia viễn", "GIA VIEN"])
def test_search_works_with_and_without_diacritics(api, varied, handler, query):
    api.force_login(handler)
    assert _ids(api, q=query) == {varied["old"].pk}


def test_the_list_orders_by_due_date_received_date_or_reference(api, varied, handler):
    api.force_login(handler)

    def order(ordering: str) -> list[str]:
        return [r["reference"] for r in api.get(LIST, {"ordering": ordering}).json()["results"]]

    references = order("reference")
    assert references == sorted(references)
    assert order("-reference") == sorted(references, reverse=True)
    assert order("received_on")[0] == varied["old"].reference
    assert order("-received_on")[-1] == varied["old"].reference
    dues = [
        r["clock_due_on"]
        for r in api.get(LIST, {"ordering": "clock_due_on", "open": "true"}).json()["results"]
    ]
    assert dues == sorted(dues)
    # the default: newest first
    assert [r["reference"] for r in api.get(LIST).json()["results"]][-1] == varied["old"].reference


@pytest.mark.parametrize(
    "params",
    [
        {"commune": "abc"},
        {"commune": "99999999999999999999999999"},
        {"handling_agency": "-1"},
        {"status": "zzz"},
        {"kind": "1' OR 1=1"},
        {"round": "3"},
        {"phase": "soon"},
        {"received_on_after": "2026-13-45"},
        {"q": "x" * 101},
        {"q": "\x00"},
    ],
)
def test_bad_filters_are_400_never_500(api, handler, params):
    api.force_login(handler)
    response = api.get(LIST, params)
    assert response.status_code == 400, response.content


@pytest.mark.parametrize(
    "params",
    [{"ordering": "identity"}, {"ordering": "-search_text,reference"}, {"page_size": "abc"}],
)
def test_orderings_outside_the_list_are_ignored(api, agency, handler, params):
    submit_petition(agency=agency)
    api.force_login(handler)
    assert api.get(LIST, params).status_code == 200


# --- query counts --------------------------------------------------------------------------------


def _cases_with_links(n, *, agency, other_agency, handler, lead, other_handler):
    """n cases of `agency`, each transferred in from the other agency, assigned, in a commune."""
    for _ in range(n):
        first = submit_petition(agency=other_agency, commune=CommuneFactory()).petition
        new = services.petition_transfer(petition=first, actor=other_handler, to_agency=agency)
        services.petition_assign(petition=new, actor=lead, handler=handler)


def test_the_petition_list_costs_the_same_queries_for_3_or_30_cases(
    api, agency, other_agency, handler, lead, other_handler, django_assert_num_queries
):
    make = {"agency": agency, "other_agency": other_agency, "handler": handler}
    make |= {"lead": lead, "other_handler": other_handler}
    _cases_with_links(3, **make)
    api.force_login(handler)
    # 1 session, 2 user, 3 memberships (scope), 4 count, 5 the page with agency, commune,
    # assigned handler and the linked cases with their agencies joined.
    with django_assert_num_queries(5):
        assert api.get(LIST).json()["count"] == 3
    _cases_with_links(27, **make)
    with django_assert_num_queries(5):
        assert api.get(LIST).json()["count"] == 30


def test_a_monitors_list_costs_the_same_queries_for_3_or_30_cases(
    api, agency, other_agency, handler, lead, other_handler, monitor, django_assert_num_queries
):
    make = {"agency": agency, "other_agency": other_agency, "handler": handler}
    make |= {"lead": lead, "other_handler": other_handler}
    _cases_with_links(3, **make)
    api.force_login(monitor)
    # 1 session, 2 user, 3 memberships, 4 the agencies of the monitor's province (scope),
    # 5 count, 6 the page with everything joined.
    with django_assert_num_queries(6):
        assert api.get(LIST).json()["count"] == 6
    _cases_with_links(27, **make)
    with django_assert_num_queries(6):
        assert api.get(LIST).json()["count"] == 60


def test_a_token_list_costs_the_same_queries_for_3_or_30_cases(
    agency, other_agency, handler, lead, other_handler, django_assert_num_queries
):
    make = {"agency": agency, "other_agency": other_agency, "handler": handler}
    make |= {"lead": lead, "other_handler": other_handler}
    _cases_with_links(3, **make)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=handler).key}")
    # 1 token with its user, 2 memberships (scope), 3 count, 4 the page.
    with django_assert_num_queries(4):
        client.get(LIST)
    _cases_with_links(27, **make)
    with django_assert_num_queries(4):
        client.get(LIST)


def test_the_case_detail_costs_the_same_queries_with_few_or_many_events(api, agency, handler, lead):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    petition = submit_petition(agency=agency, files=[_pdf("a.pdf")]).petition
    api.force_login(lead)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(detail_url(petition.pk)).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(15):
        services.petition_add_note(petition=petition, actor=handler, note=f"Ghi chú {i}")
        services.petition_add_information(petition=petition, text=f"Bổ sung {i}")
    assert count() == few


# --- one machine, one mapping ------------------------------------------------------------------


def test_every_move_of_an_official_is_an_api_action_and_a_form_on_the_case_page():
    assert API_MOVES == moves.STAFF_MOVES
    assert set(STAFF_FORMS) == {*moves.STAFF_MOVES, moves.REVEAL}


def test_a_denunciation_at_its_extension_cap_is_offered_no_extension(api, denunciation, lead):
    api.force_login(lead)
    assert api.post(move_url(denunciation.pk, "accept"), {}, format="json").status_code == 200
    first = api.post(
        move_url(denunciation.pk, "extend"), {**DECISION, "especially_complex": True}, format="json"
    )
    assert "extend" in first.json()["available_actions"]
    second = api.post(move_url(denunciation.pk, "extend"), DECISION, format="json")
    assert second.status_code == 200
    assert "extend" not in second.json()["available_actions"]
    third = api.post(move_url(denunciation.pk, "extend"), DECISION, format="json")
    assert third.status_code == 409
    assert third.json() == {"detail": "Không được gia hạn thêm: đã gia hạn 2/2 lần."}
