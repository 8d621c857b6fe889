import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Role
from agencies.scope import forget_scope
from petitions import services
from petitions.models import CITIZEN, IdentityReveal, Petition, PetitionEvent, Status
from tests.factories import CommuneFactory, member, submit_petition
from tests.petitions.conftest import at

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _form(agency, **extra):
    data = {
        "kind": "complaint",
        "field": "land",
        "handling_agency": agency.pk,
        "subject": "Khiếu nại về bồi thường giải phóng mặt bằng",
        "content": "Gia đình tôi bị thu hồi 300 m² đất nhưng mức bồi thường chưa đúng quy định.",
        "name": "Trần Thị Bình",
        "phone": "0987 654 321",
        "email": "binh@example.vn",
        "address": "Xóm 3, xã Gia Viễn",
        "truthful": "on",
    }
    data.update(extra)
    return data


# --- the citizen's form -----------------------------------------------------------------------


def test_the_form_explains_each_kind_in_plain_vietnamese(client, agency):
    body = client.get(reverse("petitions:submit")).content.decode()
    assert "Khiếu nại" in body and "Tố cáo" in body and "Phản ánh" in body
    assert "được giữ bí mật" in body


def test_a_citizen_submits_with_attachments_and_sees_the_code_once(client, agency):
    files = [
        SimpleUploadedFile("quyet-dinh.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("anh.png", PNG, content_type="image/png"),
        SimpleUploadedFile("don.docx", _docx(), content_type="application/octet-stream"),
    ]
    response = client.post(reverse("petitions:submit"), _form(agency, files=files))
    assert response.status_code == 302
    petition = Petition.objects.get()
    assert [a.content_type for a in petition.attachments.order_by("id")] == [
        "application/pdf",
        "image/png",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]
    code = client.session["submitted_petition"]["code"]
    page = client.get(response.url).content.decode()
    assert petition.reference in page
    assert code in page
    # shown once: the next visitor of this browser does not find it
    again = client.get(response.url)
    assert again.status_code == 302 and "submitted_petition" not in client.session


def test_missing_fields_are_explained_beside_each_field_and_nothing_is_saved(client, agency):
    response = client.post(reverse("petitions:submit"), _form(agency, subject="", truthful=""))
    body = response.content.decode()
    assert response.status_code == 400
    assert "Trường này là bắt buộc" in body
    assert "Vui lòng xác nhận nội dung là đúng sự thật" in body
    assert Petition.objects.count() == 0


def test_an_executable_renamed_pdf_is_refused_and_nothing_is_saved(client, agency):
    exe = SimpleUploadedFile(
        "hoa-don.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf"
    )
    response = client.post(reverse("petitions:submit"), _form(agency, files=[exe]))
    assert response.status_code == 400
    assert "không phải tệp PDF, JPEG, PNG hoặc DOCX" in response.content.decode()
    assert Petition.objects.count() == 0
    assert PetitionEvent.objects.count() == 0


def test_an_11_mb_file_is_refused_and_nothing_is_saved(client, agency, settings, tmp_path):
    big = SimpleUploadedFile(
        "scan.pdf", PDF + b"0" * (11 * 1024 * 1024), content_type="application/pdf"
    )
    response = client.post(reverse("petitions:submit"), _form(agency, files=[big]))
    assert response.status_code == 400
    assert "tối đa 10 MB" in response.content.decode()
    assert Petition.objects.count() == 0
    media = settings.MEDIA_ROOT
    assert not any(media.rglob("*.pdf")) if media.exists() else True


def test_a_zip_dressed_as_a_docx_is_refused(client, agency):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<x/>")
        archive.writestr("setup.exe", b"MZ" + b"\0" * 100)
    fake = SimpleUploadedFile("don.docx", buffer.getvalue(), content_type="application/zip")
    response = client.post(reverse("petitions:submit"), _form(agency, files=[fake]))
    assert response.status_code == 400
    assert Petition.objects.count() == 0


def test_more_than_five_files_are_refused(client, agency):
    files = [SimpleUploadedFile(f"{i}.pdf", PDF, content_type="application/pdf") for i in range(6)]
    response = client.post(reverse("petitions:submit"), _form(agency, files=files))
    assert response.status_code == 400
    assert "tối đa 5 tệp" in response.content.decode()


def test_submissions_are_rate_limited_per_client(client, agency, settings):
    settings.SUBMISSION_RATE_LIMIT = 2
    for _ in range(2):
        response = client.post(reverse("petitions:submit"), _form(agency))
        assert response.status_code == 302, response.context["form"].errors
    response = client.post(reverse("petitions:submit"), _form(agency))
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "Quá nhiều đơn" in response.content.decode()
    assert Petition.objects.count() == 2


def test_the_honeypot_stops_bots(client, agency):
    response = client.post(reverse("petitions:submit"), _form(agency, website="http://spam"))
    assert response.status_code == 400
    assert Petition.objects.count() == 0


# --- tracking ---------------------------------------------------------------------------------


def test_tracking_needs_the_right_code_and_shows_the_public_timeline_only(client, agency, lead):
    submitted = submit_petition(agency=agency)
    petition = submitted.petition
    services.petition_add_note(petition=petition, actor=lead, note="Ghi chú nội bộ: xác minh lại")
    services.petition_accept(petition=petition, actor=lead)
    wrong = client.post(
        reverse("petitions:track"), {"reference": petition.reference, "code": "AAAA"}
    )
    assert wrong.status_code == 400
    assert "Không tìm thấy" in wrong.content.decode()
    assert (
        client.get(reverse("petitions:track_detail", args=[petition.reference])).status_code == 404
    )
    response = client.post(
        reverse("petitions:track"),
        {"reference": petition.reference.lower(), "code": submitted.tracking_code.lower()},
        follow=True,
    )
    body = response.content.decode()
    assert "Đã thụ lý" in body
    assert "Ghi chú nội bộ" not in body
    assert lead.first_name not in body


def test_guessing_tracking_codes_is_slowed_down(client, agency):
    submitted = submit_petition(agency=agency)
    ref = submitted.petition.reference
    for _ in range(30):
        client.post(reverse("petitions:track"), {"reference": ref, "code": "WRONGCODE1"})
    response = client.post(
        reverse("petitions:track"), {"reference": ref, "code": submitted.tracking_code}
    )
    # As the login pages answer: 429, and when to come back (issue 16).
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "Quá nhiều lần thử" in response.content.decode()


def test_the_citizen_follows_a_transferred_case_with_the_same_code(
    client, agency, other_agency, handler
):
    submitted = submit_petition(agency=agency)
    services.petition_transfer(petition=submitted.petition, actor=handler, to_agency=other_agency)
    response = client.post(
        reverse("petitions:track"),
        {"reference": submitted.petition.reference, "code": submitted.tracking_code},
        follow=True,
    )
    body = response.content.decode()
    assert "Sở Xây dựng" in body
    assert "Đã chuyển" in body or "Chuyển đơn" in body


def test_the_citizen_withdraws_from_the_tracking_page(client, agency):
    submitted = submit_petition(agency=agency)
    ref = submitted.petition.reference
    client.post(reverse("petitions:track"), {"reference": ref, "code": submitted.tracking_code})
    bad = client.post(reverse("petitions:track_action", args=[ref, "withdraw"]), {})
    assert bad.status_code == 400
    client.post(reverse("petitions:track_action", args=[ref, "withdraw"]), {"confirm": "on"})
    assert Petition.objects.get(pk=submitted.petition.pk).status == Status.WITHDRAWN


# --- staff pages: the permission matrix ---------------------------------------------------------

STAFF_MOVES = {
    # move: (post data, roles of the case's own agency that may make it)
    "accept": ({}, {Role.LEAD}),
    "guide": ({"guided_to": "Tòa án nhân dân tỉnh"}, {Role.HANDLER, Role.LEAD}),
    "file": ({"note": "Đơn trùng"}, {Role.HANDLER, Role.LEAD}),
    "not_accept": ({"reason": "time_limit"}, {Role.LEAD}),
    "terminate": ({"reason": "Người khiếu nại đã chết"}, {Role.LEAD}),
    "note": ({"note": "Gọi điện cho công dân"}, {Role.HANDLER, Role.LEAD}),
}
ROLES = [Role.HANDLER, Role.LEAD, Role.MONITOR, Role.COUNCIL_STAFF]


@pytest.mark.parametrize("move", sorted(STAFF_MOVES))
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("own", [True, False], ids=["own-agency", "other-agency"])
def test_the_permission_matrix_of_staff_moves(
    client, agency, other_agency, province, move, role, own
):
    petition = submit_petition(agency=agency).petition
    if role == Role.MONITOR:
        from tests.factories import AgencyFactory

        user = member(role, AgencyFactory(unit=province) if own else AgencyFactory())
    else:
        user = member(role, agency if own else other_agency)
    client.force_login(user)
    data, allowed = STAFF_MOVES[move]
    before = PetitionEvent.objects.count()
    response = client.post(reverse("petitions:action", args=[petition.pk, move]), data)
    may = own and role in allowed
    if may:
        assert response.status_code == 302
        assert PetitionEvent.objects.count() == before + 1
    else:
        # a case the user can read answers with a message; anyone else gets 404
        assert response.status_code == (302 if own else 404)
        assert PetitionEvent.objects.count() == before


@pytest.mark.parametrize("role", ROLES)
def test_the_case_page_shows_only_the_actions_the_role_allows(client, agency, role):
    petition = submit_petition(agency=agency).petition
    user = member(role, agency)
    client.force_login(user)
    response = client.get(reverse("petitions:detail", args=[petition.pk]))
    if role == Role.COUNCIL_STAFF:
        assert response.status_code == 200  # council staff read their own agency's cases
    body = response.content.decode()
    has_accept = 'name="submit-accept"' in body
    has_guide = 'name="submit-guide"' in body
    assert has_accept == (role == Role.LEAD)
    assert has_guide == (role in {Role.HANDLER, Role.LEAD})


def test_another_agency_gets_404_for_the_case_page_and_the_attachment(
    client, agency, other_handler
):
    petition = submit_petition(agency=agency, files=[]).petition
    client.force_login(other_handler)
    assert client.get(reverse("petitions:detail", args=[petition.pk])).status_code == 404
    assert client.get(reverse("petitions:attachment", args=[petition.pk, 1])).status_code == 404


def test_an_invalid_action_form_says_why_and_changes_nothing(client, agency, lead):
    petition = submit_petition(agency=agency).petition
    services.petition_accept(petition=petition, actor=lead)
    client.force_login(lead)
    response = client.post(
        reverse("petitions:action", args=[petition.pk, "resolve"]), {"outcome": "correct"}
    )
    assert response.status_code == 400
    assert "Trường này là bắt buộc" in response.content.decode()
    assert Petition.objects.get(pk=petition.pk).status == Status.ACCEPTED


def test_a_lost_race_shows_a_clear_message(client, agency, lead, handler):
    petition = submit_petition(agency=agency).petition
    services.petition_guide(petition=petition, actor=handler, guided_to="Tòa án")
    client.force_login(lead)
    response = client.post(
        reverse("petitions:action", args=[petition.pk, "accept"]), {}, follow=True
    )
    assert (
        "Không thể “Thụ lý” khi đơn đang ở trạng thái “Đã hướng dẫn”" in response.content.decode()
    )


def test_unknown_actions_and_bad_ids_are_404_not_500(client, lead):
    client.force_login(lead)
    assert client.get(reverse("petitions:detail", args=[999999])).status_code == 404
    assert client.post(reverse("petitions:action", args=[999999, "accept"])).status_code == 404
    assert (
        client.get(reverse("petitions:inbox") + "?commune=abc&page=xyz&phase=zzz").status_code
        == 200
    )


def test_a_handler_records_a_petition_received_by_post(client, agency, handler):
    client.force_login(handler)
    data = _form(agency, channel="post", received_on="2026-03-02")
    data.pop("truthful")
    response = client.post(reverse("petitions:record"), data)
    assert response.status_code == 302
    petition = Petition.objects.get()
    assert petition.channel == "post" and str(petition.received_on) == "2026-03-02"
    assert PetitionEvent.objects.get().actor == handler


def test_a_handler_cannot_record_for_another_agency(client, agency, other_agency, handler):
    client.force_login(handler)
    response = client.post(
        reverse("petitions:record"), _form(other_agency, channel="post", received_on="2026-03-02")
    )
    assert response.status_code == 400
    assert Petition.objects.count() == 0


# --- inbox -------------------------------------------------------------------------------------------


def test_the_inbox_searches_with_and_without_diacritics(client, agency, handler):
    commune = CommuneFactory(name="Xã Gia Viễn")
    submit_petition(agency=agency, subject="Ô nhiễm tiếng ồn từ xưởng gỗ", commune=commune)
    submit_petition(agency=agency, subject="Đường giao thông xuống cấp")
    client.force_login(handler)
    for query in ["ô nhiễm", "o nhiem", "GIA VIEN", "gia viễn"]:
        body = client.get(reverse("petitions:inbox"), {"q": query}).content.decode()
        assert "Ô nhiễm tiếng ồn" in body, query
        assert "Đường giao thông" not in body, query


def test_the_inbox_filters_by_phase_and_marks_overdue_cases(client, agency, handler):
    from tests.petitions.conftest import at

    with at(2026, 1, 5):
        submit_petition(agency=agency, subject="Đơn cũ quá hạn")
    submit_petition(agency=agency, subject="Đơn mới trong hạn")
    client.force_login(handler)
    body = client.get(reverse("petitions:inbox"), {"phase": "long_overdue"}).content.decode()
    assert "Đơn cũ quá hạn" in body and "Đơn mới trong hạn" not in body
    assert "phase-long_overdue" in body


def test_the_inbox_shows_only_the_users_agencies(client, agency, other_agency, handler):
    submit_petition(agency=agency, subject="Của sở mình")
    submit_petition(agency=other_agency, subject="Của sở khác")
    client.force_login(handler)
    body = client.get(reverse("petitions:inbox")).content.decode()
    assert "Của sở mình" in body and "Của sở khác" not in body


def test_the_inbox_query_count_does_not_grow_with_the_cases(
    client, agency, handler, django_assert_num_queries
):
    client.force_login(handler)
    for _ in range(3):
        submit_petition(agency=agency)
    forget_scope(handler)
    # 1 session, 2 user, 3 memberships (scope), 4 count, 5 the bell's unread count,
    # 6 page of petitions with agency, commune and handler joined.
    with django_assert_num_queries(6):
        client.get(reverse("petitions:inbox"))
    for _ in range(30):
        submit_petition(agency=agency)
    with django_assert_num_queries(6):
        client.get(reverse("petitions:inbox"))


def test_the_case_page_query_count_does_not_grow_with_events(
    client, agency, lead, handler, django_assert_num_queries
):
    petition = submit_petition(agency=agency).petition
    client.force_login(lead)
    client.get(reverse("petitions:detail", args=[petition.pk]))

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("petitions:detail", args=[petition.pk])).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(15):
        services.petition_add_note(petition=petition, actor=handler, note=f"Ghi chú {i}")
        services.petition_add_information(petition=petition, text=f"Bổ sung {i}")
    assert count() == few


# --- confidentiality -------------------------------------------------------------------------------


DENOUNCER = "Lê Văn Tố"


@pytest.fixture
def denunciation(agency, handler, lead):
    petition = submit_petition(
        agency=agency, kind="denunciation", name=DENOUNCER, email="to@example.vn"
    ).petition
    services.petition_assign(petition=petition, actor=lead, handler=handler)
    return Petition.objects.get(pk=petition.pk)


def test_the_denouncer_appears_in_no_response_to_an_unauthorised_user(
    client, agency, denunciation, monitor, province
):
    colleague = member(Role.HANDLER, agency, username="dongnghiep")
    for user in (monitor, colleague):
        client.force_login(user)
        for url in (
            reverse("petitions:inbox"),
            reverse("petitions:detail", args=[denunciation.pk]),
        ):
            body = client.get(url).content.decode()
            assert DENOUNCER not in body
            assert "to@example.vn" not in body
        response = client.post(
            reverse("petitions:action", args=[denunciation.pk, "reveal"]), {"reason": "tò mò"}
        )
        assert DENOUNCER not in response.content.decode()
    assert IdentityReveal.objects.count() == 0


def test_the_assigned_handler_reveals_the_identity_with_a_reason_and_it_is_logged(
    client, denunciation, handler
):
    client.force_login(handler)
    body = client.get(reverse("petitions:detail", args=[denunciation.pk])).content.decode()
    assert DENOUNCER not in body and "được bảo mật" in body
    response = client.post(
        reverse("petitions:action", args=[denunciation.pk, "reveal"]),
        {"reason": "Mời người tố cáo làm việc"},
    )
    assert DENOUNCER in response.content.decode()
    reveal = IdentityReveal.objects.get()
    assert (reveal.user, reveal.reason) == (handler, "Mời người tố cáo làm việc")


def test_after_a_transfer_the_sender_no_longer_sees_the_denouncer(
    client, denunciation, handler, lead, other_agency
):
    services.petition_transfer(petition=denunciation, actor=handler, to_agency=other_agency)
    client.force_login(lead)
    response = client.post(
        reverse("petitions:action", args=[denunciation.pk, "reveal"]), {"reason": "x"}
    )
    assert DENOUNCER not in response.content.decode()
    receiver_lead = member(Role.LEAD, other_agency)
    client.force_login(receiver_lead)
    new = Petition.objects.get(transferred_from=denunciation)
    response = client.post(
        reverse("petitions:action", args=[new.pk, "reveal"]), {"reason": "Xác minh"}
    )
    assert DENOUNCER in response.content.decode()


def test_the_identity_is_encrypted_at_rest(denunciation):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT identity, display_name, search_text FROM petitions_petition")
        row = cursor.fetchone()
    assert all(DENOUNCER not in str(value) for value in row)
    assert "le van to" not in row[2]


def test_opening_a_denouncers_attachment_is_logged_as_a_reveal(client, agency, handler, lead):
    petition = submit_petition(
        agency=agency,
        kind="denunciation",
        files=[],
    ).petition
    from petitions.models import Attachment

    item = Attachment.objects.create(
        petition=petition,
        file=SimpleUploadedFile("giay-to-tuy-than.pdf", PDF),
        original_name="giay-to-tuy-than.pdf",
        content_type="application/pdf",
        size=len(PDF),
        is_identifying=True,
    )
    client.force_login(handler)  # not assigned: may not open it
    assert (
        client.get(reverse("petitions:attachment", args=[petition.pk, item.pk])).status_code == 404
    )
    client.force_login(lead)
    response = client.get(reverse("petitions:attachment", args=[petition.pk, item.pk]))
    assert response.status_code == 200
    reveal = IdentityReveal.objects.get()
    assert reveal.user == lead and "giay-to-tuy-than.pdf" in reveal.reason


def test_a_long_guidance_text_is_refused_with_a_message_not_a_500(client, agency, handler):
    petition = submit_petition(agency=agency).petition
    client.force_login(handler)
    response = client.post(
        reverse("petitions:action", args=[petition.pk, "guide"]), {"guided_to": "x" * 301}
    )
    assert response.status_code == 400
    assert Petition.objects.get(pk=petition.pk).status == Status.RECEIVED


def test_the_cases_behind_a_figure_name_a_denouncer_by_the_mask(client, agency, lead):
    # The dashboards' list printed the stored display name, which a denunciation leaves
    # blank ("—"), instead of the petitions' one rule (Petition.public_name).
    with at(2026, 3, 9):
        submit_petition(agency=agency, kind="denunciation", name=DENOUNCER)
    client.force_login(lead)
    response = client.get(
        reverse("dashboards:cases"),
        {"from": "01/03/2026", "to": "31/03/2026", "measure": "received"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Người tố cáo (được bảo mật)" in body
    assert DENOUNCER not in body


# --- what a page offers is what the machine allows --------------------------------------------


def _extend(petition, lead, number, **extra):
    services.petition_extend(
        petition=Petition.objects.get(pk=petition.pk),
        actor=lead,
        reason="Cần xác minh thêm",
        decision_number=number,
        **extra,
    )


def test_the_case_page_stops_offering_an_extension_once_the_cap_is_reached(client, agency, lead):
    petition = submit_petition(agency=agency, kind="denunciation").petition
    services.petition_accept(petition=petition, actor=lead)
    client.force_login(lead)
    url = reverse("petitions:detail", args=[petition.pk])
    assert 'name="submit-extend"' in client.get(url).content.decode()
    _extend(petition, lead, "1/QĐ", especially_complex=True)
    _extend(petition, lead, "2/QĐ")
    assert 'name="submit-extend"' not in client.get(url).content.decode()


def test_the_tracking_page_offers_no_appeal_of_a_second_round_complaint(
    client, agency, parent_agency, lead
):
    submitted = submit_petition(agency=agency)
    first = submitted.petition
    services.petition_accept(petition=first, actor=lead)
    services.petition_resolve(
        petition=Petition.objects.get(pk=first.pk),
        actor=lead,
        outcome="wrong",
        decision_number="1",
        result_summary="Giữ nguyên quyết định.",
    )
    client.post(
        reverse("petitions:track"),
        {"reference": first.reference, "code": submitted.tracking_code},
    )
    track = reverse("petitions:track_detail", args=[first.reference])
    appeal = reverse("petitions:track_action", args=[first.reference, "appeal"])
    assert appeal in client.get(track).content.decode()
    second = services.petition_appeal(
        petition=Petition.objects.get(pk=first.pk),
        actor=CITIZEN,
        content="Tôi không đồng ý với quyết định giải quyết.",
    )
    parent_lead = member(Role.LEAD, parent_agency)
    services.petition_accept(petition=second, actor=parent_lead)
    services.petition_resolve(
        petition=Petition.objects.get(pk=second.pk),
        actor=parent_lead,
        outcome="wrong",
        decision_number="2",
        result_summary="Giữ nguyên quyết định.",
    )
    body = client.get(track).content.decode()
    assert "Đã giải quyết" in body and appeal not in body


# --- accessible errors ---------------------------------------------------------------------------


def _widget(body: str, element_id: str) -> str:
    return re.search(rf'<(?:input|textarea|select)[^>]*id="{element_id}"[^>]*>', body).group(0)


def test_an_invalid_field_is_marked_invalid_for_screen_readers_and_the_eye(client, agency, lead):
    response = client.post(reverse("petitions:submit"), _form(agency, subject=""))
    body = response.content.decode()
    assert response.status_code == 400
    subject = _widget(body, "id_subject")
    assert 'aria-invalid="true"' in subject and "is-invalid" in subject
    assert 'aria-invalid="true"' not in _widget(body, "id_content")
    # A staff action's form says the same.
    petition = submit_petition(agency=agency).petition
    services.petition_accept(petition=petition, actor=lead)
    client.force_login(lead)
    response = client.post(
        reverse("petitions:action", args=[petition.pk, "resolve"]), {"outcome": "correct"}
    )
    decision = _widget(response.content.decode(), "id_resolve_decision_number")
    assert 'aria-invalid="true"' in decision and "is-invalid" in decision
