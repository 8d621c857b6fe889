from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Role
from recommendations import services
from recommendations.models import (
    Answer,
    CouncilSession,
    Forwarding,
    Recommendation,
    RecommendationEvent,
    ResultCategory,
    VoterMeeting,
)
from tests.factories import AgencyFactory, member

from .factories import (
    CouncilFactory,
    answer,
    collect,
    consolidated,
    forwarded,
    forwarding_of,
    settled,
)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"recommendations:{name}", args=args)


def page_text(response):
    return response.content.decode()


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def as_staff(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def as_lead(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture
def stranger(province):
    """Council staff of another province's council."""
    return member(Role.COUNCIL_STAFF, CouncilFactory(), username="hdnd.khac")


# --- access -----------------------------------------------------------------------------------


def test_staff_pages_need_a_login(client, session):
    response = client.get(url("session", session.pk))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_council_staff_see_their_sessions_in_vietnamese(as_staff, session):
    response = as_staff.get(url("sessions"))
    body = page_text(response)
    assert response.status_code == 200
    assert "Các kỳ họp" in body
    assert "Kỳ họp thứ 2" in body
    assert "Nhiệm kỳ 2026–2031" in body


def test_an_agency_official_is_taken_to_the_forwardings_to_their_agency(as_lead):
    response = as_lead.get(url("sessions"))
    assert response.status_code == 302
    assert response.url == url("inbox")


def test_another_councils_staff_get_404_on_every_page(
    client, stranger, staff, lead, department, meeting, session
):
    item = forwarded(meeting, staff, [department])
    forwarding = forwarding_of(item, department)
    client.force_login(stranger)
    for address in [
        url("session", session.pk),
        url("meetings", session.pk),
        url("consolidate", session.pk),
        url("forward", session.pk),
        url("assessment", session.pk),
        url("export", session.pk),
        url("meeting", meeting.pk),
        url("detail", item.pk),
        url("forwarding", forwarding.pk),
    ]:
        assert client.get(address).status_code == 404, address
    response = client.post(url("accept", forwarding.pk))
    assert response.status_code == 404


def test_an_agency_sees_its_own_forwardings_and_gets_404_for_another_agencys(
    client, staff, lead, other_lead, department, other_department, meeting
):
    mine = forwarded(meeting, staff, [department], content="Nâng cấp đê hữu sông Hoàng Long")
    theirs = forwarded(meeting, staff, [other_department], content="Thiếu bác sĩ trạm y tế xã")
    client.force_login(lead)
    body = page_text(client.get(url("inbox")))
    assert "Nâng cấp đê hữu sông Hoàng Long" in body
    assert "Thiếu bác sĩ trạm y tế xã" not in body
    assert client.get(url("forwarding", forwarding_of(mine, department).pk)).status_code == 200
    other = forwarding_of(theirs, other_department)
    assert client.get(url("forwarding", other.pk)).status_code == 404
    assert client.post(url("answer", other.pk), {"text": "x"}).status_code == 404
    assert client.get(url("session", mine.session_id)).status_code == 404


def test_a_monitor_reads_the_session_but_may_not_act(
    client, monitor, staff, department, meeting, session
):
    item = forwarded(meeting, staff, [department])
    client.force_login(monitor)
    response = client.get(url("session", session.pk))
    assert response.status_code == 200
    assert "Công bố kết quả" not in page_text(response)
    assert client.get(url("consolidate", session.pk)).status_code == 403
    assert client.get(url("detail", item.pk)).status_code == 200
    response = client.post(url("publish", session.pk), follow=True)
    assert "Vai trò của bạn không được phép" in " ".join(messages_of(response))
    session.refresh_from_db()
    assert session.status == CouncilSession.Status.PREPARING


# --- meetings and collecting -----------------------------------------------------------------


def test_council_staff_record_a_meeting_then_what_voters_raised(as_staff, session, commune):
    response = as_staff.post(
        url("meetings", session.pk),
        {
            "timing": "before",
            "held_on": "2026-06-27",
            "commune": commune.pk,
            "place": "Nhà văn hóa thôn Đông",
            "deputies": "Nguyễn Văn Bình\nTrần Thị Mai",
            "voters_count": "140",
        },
        follow=True,
    )
    meeting = VoterMeeting.objects.get()
    assert response.redirect_chain[-1][0] == url("meeting", meeting.pk)
    assert "Đã ghi nhận cuộc tiếp xúc cử tri" in " ".join(messages_of(response))
    response = as_staff.post(
        url("meeting", meeting.pk),
        {
            "content": "Đề nghị cấp giấy chứng nhận quyền sử dụng đất cho 12 hộ thôn Đông",
            "field": "land",
            "commune": commune.pk,
            "locality": "Thôn Đông",
            "voters_count": "9",
        },
        follow=True,
    )
    item = Recommendation.objects.get()
    assert item.status == Recommendation.Status.COLLECTED
    assert "cấp giấy chứng nhận quyền sử dụng đất" in page_text(response)


def test_a_meeting_form_with_bad_input_says_what_is_wrong_beside_each_field(
    as_staff, session, commune
):
    response = as_staff.post(
        url("meetings", session.pk),
        {
            "timing": "before",
            "held_on": "2026-07-30",
            "commune": commune.pk,
            "place": "Nhà văn hóa",
            "deputies": "Nguyễn Văn Bình",
            "voters_count": "nhiều",
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "voters_count" in form.errors
    response = as_staff.post(
        url("meetings", session.pk),
        {
            "timing": "before",
            "held_on": "2026-07-30",
            "commune": commune.pk,
            "place": "Nhà văn hóa",
            "deputies": "Nguyễn Văn Bình",
            "voters_count": "50",
        },
    )
    assert response.status_code == 400
    assert "15/07/2026" in response.context["form"].errors["held_on"][0]
    assert 'id="id_held_on_error"' in page_text(response)
    assert not VoterMeeting.objects.exists()


# --- consolidation --------------------------------------------------------------------------


def test_the_consolidation_screen_merges_the_ticked_duplicates(
    as_staff, staff, meeting, other_meeting
):
    keeper = collect(meeting, staff, content="Sửa đường liên xã", voters=10)
    duplicate = collect(other_meeting, staff, content="Đường liên xã xuống cấp", voters=15)
    response = as_staff.get(url("consolidate", meeting.session_id) + "?q=duong lien xa")
    body = page_text(response)
    for tab in ("Tổng hợp", "Chuyển kiến nghị", "Đánh giá"):
        assert f">{tab}</a>" in body
    assert "Sửa đường liên xã" in body and "Đường liên xã xuống cấp" in body
    response = as_staff.post(
        url("consolidate", meeting.session_id) + "?q=duong lien xa",
        {"keeper": keeper.pk, "items": [keeper.pk, duplicate.pk], "content": ""},
        follow=True,
    )
    assert "giữ lại mọi nguồn" in " ".join(messages_of(response))
    keeper.refresh_from_db()
    assert (keeper.status, keeper.voters_count) == (Recommendation.Status.CONSOLIDATED, 25)
    assert (
        response.redirect_chain[-1][0].endswith("?q=duong%20lien%20xa")
        or "q=duong" in (response.redirect_chain[-1][0])
    )


def test_merging_without_choosing_the_item_to_keep_asks_for_it(as_staff, staff, meeting):
    first, second = collect(meeting, staff), collect(meeting, staff)
    response = as_staff.post(
        url("consolidate", meeting.session_id), {"items": [first.pk, second.pk]}
    )
    assert response.status_code == 400
    assert "Chọn kiến nghị giữ lại." in page_text(response)
    # the ticks survive the error
    assert f'value="{second.pk}" id="item-{second.pk}" ' in page_text(response)


def test_merging_an_item_that_is_not_a_candidate_is_refused_without_an_error_page(
    as_staff, staff, department, meeting
):
    done = forwarded(meeting, staff, [department])
    item = collect(meeting, staff)
    response = as_staff.post(
        url("consolidate", meeting.session_id), {"keeper": item.pk, "items": [done.pk, "abc"]}
    )
    assert response.status_code == 400


def test_a_later_duplicate_is_merged_into_an_item_already_forwarded(
    as_staff, staff, department, meeting, other_meeting
):
    sent = forwarded(meeting, staff, [department], content="Sửa đường liên xã", voters=10)
    duplicate = collect(other_meeting, staff, content="Đường liên xã xuống cấp", voters=15)
    body = page_text(as_staff.get(url("consolidate", meeting.session_id)))
    assert f'id="keep-{sent.pk}"' in body and f'id="keep-{duplicate.pk}"' in body
    response = as_staff.post(
        url("consolidate", meeting.session_id),
        {"keeper": sent.pk, "items": [sent.pk, duplicate.pk], "content": ""},
        follow=True,
    )
    assert "giữ lại mọi nguồn" in " ".join(messages_of(response))
    sent.refresh_from_db()
    duplicate.refresh_from_db()
    assert (sent.status, sent.voters_count) == (Recommendation.Status.FORWARDED, 25)
    assert duplicate.status == Recommendation.Status.MERGED
    assert sent.sources.count() == 2
    assert Forwarding.objects.filter(recommendation=sent).count() == 1
    # and it is not offered for forwarding again
    assert f'value="{duplicate.pk}"' not in page_text(
        as_staff.get(url("forward", meeting.session_id))
    )


def test_a_forwarded_item_is_kept_never_merged_into_another(as_staff, staff, department, meeting):
    sent = forwarded(meeting, staff, [department])
    item = collect(meeting, staff)
    response = as_staff.post(
        url("consolidate", meeting.session_id), {"keeper": item.pk, "items": [sent.pk, item.pk]}
    )
    assert response.status_code == 400
    sent.refresh_from_db()
    assert sent.status == Recommendation.Status.FORWARDED


# --- forwarding -------------------------------------------------------------------------------


def test_bulk_forwarding_sends_the_ticked_items_under_one_dispatch(
    as_staff, staff, meeting, department, other_department
):
    items = [consolidated(meeting, staff) for _ in range(3)]
    response = as_staff.post(
        url("forward", meeting.session_id),
        {
            "recommendations": [items[0].pk, items[1].pk],
            "agencies": [department.pk],
            "dispatch_number": "125/HĐND-VP",
            "dispatched_on": "2026-07-27",
        },
        follow=True,
    )
    assert "Đã chuyển 2 kiến nghị đến Sở Xây dựng tỉnh Ninh Bình." in messages_of(response)
    assert Forwarding.objects.filter(agency=department).count() == 2
    items[2].refresh_from_db()
    assert items[2].status == Recommendation.Status.CONSOLIDATED


def test_bulk_forwarding_with_nothing_ticked_or_a_future_date_re_shows_the_form(
    as_staff, staff, meeting, department
):
    item = consolidated(meeting, staff)
    response = as_staff.post(
        url("forward", meeting.session_id),
        {"agencies": [department.pk], "dispatch_number": "1/HĐND", "dispatched_on": "2026-08-01"},
    )
    assert response.status_code == 400
    assert "Đánh dấu ít nhất một kiến nghị." in page_text(response)
    response = as_staff.post(
        url("forward", meeting.session_id),
        {
            "recommendations": [item.pk],
            "agencies": [department.pk],
            "dispatch_number": "1/HĐND",
            "dispatched_on": "2027-01-01",
        },
    )
    assert response.status_code == 400
    assert "Ngày này không thể ở tương lai." in page_text(response)
    assert not Forwarding.objects.exists()


def test_one_item_can_be_forwarded_to_one_more_agency_from_its_page(
    as_staff, staff, meeting, department, other_department
):
    item = forwarded(meeting, staff, [department])
    response = as_staff.post(
        url("forward_one", item.pk),
        {
            "agencies": [other_department.pk],
            "dispatch_number": "9/HĐND",
            "dispatched_on": "2026-08-03",
        },
        follow=True,
    )
    assert "Đã chuyển kiến nghị." in messages_of(response)
    assert item.forwardings.count() == 2
    response = as_staff.post(
        url("forward_one", item.pk),
        {"agencies": [department.pk], "dispatch_number": "9/HĐND", "dispatched_on": "2026-08-03"},
    )
    assert response.status_code == 400
    assert "Đã chuyển đến Sở Xây dựng tỉnh Ninh Bình." in page_text(response)


# --- answering --------------------------------------------------------------------------------


@pytest.fixture
def sent(staff, meeting, department):
    item = forwarded(meeting, staff, [department], dispatched_on=date(2026, 7, 27))
    return forwarding_of(item, department)


def test_the_forwarding_page_explains_the_due_date(as_lead, sent):
    body = page_text(as_lead.get(url("forwarding", sent.pk)))
    assert "26/08/2026" in body
    assert "30 ngày (theo lịch), tính từ ngày tiếp theo sau 27/07/2026" in body
    assert "Gửi trả lời" in body


def test_a_lead_answers_with_a_document(as_lead, sent):
    response = as_lead.post(
        url("answer", sent.pk),
        {
            "text": "Sở đã đưa tuyến đường vào kế hoạch duy tu năm 2026.",
            "category": "planned",
            "planned_by": "2026-12-31",
            "document_number": "412/SXD-QLCL",
            "answered_on": "2026-08-03",
            "submit": "",
            "document": SimpleUploadedFile("tra-loi.pdf", b"%PDF-1.4 tra loi", "application/pdf"),
        },
        follow=True,
    )
    assert "Đã gửi câu trả lời đến Hội đồng nhân dân." in messages_of(response)
    given = Answer.objects.get()
    assert given.category == ResultCategory.PLANNED and given.document
    response = as_lead.get(url("answer_document", sent.pk, given.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 tra loi"


def test_an_answer_with_missing_details_is_shown_again_with_the_reasons(as_lead, sent):
    response = as_lead.post(
        url("answer", sent.pk),
        {
            "text": "Chưa có nguồn vốn.",
            "category": "not_resolved",
            "answered_on": "03/08/2026",
            "submit": "",
            "document": SimpleUploadedFile("tra-loi.pdf", b"MZ\x90\x00", "application/pdf"),
        },
    )
    assert response.status_code == 400
    errors = response.context["answer_form"].errors
    # an executable renamed .pdf: the type is read from the content, not the name
    assert "không phải tệp PDF" in str(errors["document"])
    response = as_lead.post(
        url("answer", sent.pk),
        {"text": "Chưa có nguồn vốn.", "category": "not_resolved", "answered_on": "03/08/2026"},
    )
    assert response.status_code == 400
    body = page_text(response)
    assert "Nêu lý do chưa giải quyết được." in body
    assert "Nhập số văn bản trả lời." in body
    response = as_lead.post(
        url("answer", sent.pk), {"text": "x", "category": "resolved", "answered_on": "32/13/2026"}
    )
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_a_handler_saves_a_draft_that_the_lead_finds_filled_in(client, handler, lead, sent):
    client.force_login(handler)
    body = page_text(client.get(url("forwarding", sent.pk)))
    assert "Gửi trả lời" not in body and "Lưu dự thảo" in body
    response = client.post(
        url("answer", sent.pk),
        {"text": "Dự thảo: sẽ sửa chữa trong quý IV.", "category": "", "draft": ""},
        follow=True,
    )
    assert "Đã lưu dự thảo để lãnh đạo xem xét." in messages_of(response)
    # a handler forging the submit button is refused with a message, not an error page
    response = client.post(
        url("answer", sent.pk),
        {"text": "x", "category": "resolved", "document_number": "1", "answered_on": "2026-08-03"},
        follow=True,
    )
    assert "Vai trò của bạn không được phép" in " ".join(messages_of(response))
    client.force_login(lead)
    body = page_text(client.get(url("forwarding", sent.pk)))
    assert "Dự thảo: sẽ sửa chữa trong quý IV." in body


def test_the_document_of_a_handlers_draft_reaches_the_answer(client, handler, lead, sent):
    client.force_login(handler)
    client.post(
        url("answer", sent.pk),
        {
            "text": "Dự thảo: sẽ sửa chữa trong quý IV.",
            "category": "in_progress",
            "document_number": "77/SXD",
            "draft": "",
            "document": SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4 du thao", "application/pdf"),
        },
    )
    sent.refresh_from_db()
    assert sent.draft_document
    client.force_login(lead)
    assert "data-draft-document" in client.get(url("forwarding", sent.pk)).content.decode()
    response = client.post(
        url("answer", sent.pk),
        {
            "text": "Sẽ sửa chữa trong quý IV.",
            "category": "in_progress",
            "document_number": "77/SXD",
            "answered_on": "2026-08-03",
            "submit": "",
        },
        follow=True,
    )
    assert "Đã gửi câu trả lời đến Hội đồng nhân dân." in messages_of(response)
    given = Answer.objects.get()
    assert given.document
    response = client.get(url("answer_document", sent.pk, given.pk))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 du thao"
    sent.refresh_from_db()
    assert not sent.draft_document


# --- assessment -------------------------------------------------------------------------------


@pytest.fixture
def answered(lead, sent):
    answer(sent, lead, category=ResultCategory.RESOLVED)
    return sent


def test_council_staff_accept_an_answer_from_the_assessment_list(as_staff, answered):
    session_id = answered.recommendation.session_id
    body = page_text(as_staff.get(url("assessment", session_id)))
    assert "Sở Xây dựng tỉnh Ninh Bình" in body
    response = as_staff.post(
        url("accept", answered.pk), {"next": url("assessment", session_id)}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("assessment", session_id)
    assert "Đã chấp nhận câu trả lời của Sở Xây dựng tỉnh Ninh Bình." in messages_of(response)
    assert "Không có câu trả lời nào chờ đánh giá." in page_text(response)
    # a second click (a stale page) is told why nothing happened
    response = as_staff.post(url("accept", answered.pk), follow=True)
    assert "không thực hiện được" in " ".join(messages_of(response))


def test_accepting_ignores_a_next_address_on_another_site(as_staff, answered):
    response = as_staff.post(url("accept", answered.pk), {"next": "https://example.com/"})
    assert response.url == url("forwarding", answered.pk)


def test_sending_back_needs_a_reason_and_a_future_date(as_staff, answered):
    response = as_staff.post(
        url("send_back", answered.pk), {"reason": "Bổ sung tiến độ", "due_on": "2026-08-01"}
    )
    assert response.status_code == 400
    assert "Hạn mới phải sau ngày hôm nay." in page_text(response)
    response = as_staff.post(
        url("send_back", answered.pk),
        {"reason": "Bổ sung tiến độ", "due_on": "2026-08-20"},
        follow=True,
    )
    assert "20/08/2026" in " ".join(messages_of(response))
    body = page_text(response)
    assert "Hạn do Hội đồng nhân dân ấn định khi trả lại câu trả lời" in body


# --- carry-over, publication, the public page ---------------------------------------------------


def test_carrying_over_from_the_session_page(
    as_staff, staff, lead, department, meeting, next_session
):
    settled(
        meeting, staff, department, lead, category="in_progress", dispatched_on=date(2026, 7, 27)
    )
    response = as_staff.post(url("carry_over", next_session.pk), follow=True)
    assert "Đã chuyển 1 kiến nghị chưa giải quyết sang kỳ họp này." in messages_of(response)
    assert "chuyển từ Kỳ họp thứ 2" in page_text(response)
    response = as_staff.post(url("carry_over", next_session.pk), follow=True)
    assert "Không còn kiến nghị chưa giải quyết nào" in " ".join(messages_of(response))


def test_publishing_puts_the_results_on_the_public_page_without_personal_data(
    client, staff, lead, department, meeting, session
):
    item = settled(
        meeting,
        staff,
        department,
        lead,
        category="resolved",
        dispatched_on=date(2026, 7, 27),
        content="Đề nghị lắp đèn chiếu sáng tuyến đường trục xã Gia Viễn",
    )
    assert client.get(url("public_session", session.pk)).status_code == 404
    client.force_login(staff)
    response = client.post(url("publish", session.pk), follow=True)
    assert "Kết quả của Kỳ họp thứ 2 đã được công khai." in messages_of(response)
    client.logout()

    listing = page_text(client.get(url("public_sessions")))
    assert "Kỳ họp thứ 2 — Hội đồng nhân dân tỉnh Ninh Bình" in listing
    body = page_text(client.get(url("public_session", session.pk)))
    assert item.content in body
    assert "Sở Xây dựng tỉnh Ninh Bình" in body
    assert "Sở đã bố trí kinh phí và hoàn thành sửa chữa tuyến đường." in body
    assert "Đã giải quyết xong" in body
    # no deputies, no officials, no staff names
    for name in ("Nguyễn Văn Bình", "Vũ Thị Lan", "Hoàng Minh Tuấn", meeting.place):
        assert name not in body


def test_the_public_page_shows_the_resolution_rate_in_vietnamese(
    client, staff, lead, department, meeting, session
):
    for category in ["resolved", "resolved", "in_progress"]:
        settled(
            meeting, staff, department, lead, category=category, dispatched_on=date(2026, 7, 27)
        )
    services.session_publish(actor=staff, session=session)
    body = page_text(client.get(url("public_session", session.pk)))
    assert "66,7 %" in body  # 2 of 3


def test_the_public_page_searches_with_or_without_diacritics_and_prints_everything(
    client, staff, department, meeting, session
):
    forwarded(meeting, staff, [department], content="Nạo vét kênh tiêu úng Đồng Xoài")
    forwarded(meeting, staff, [department], content="Xây nhà văn hóa thôn Bắc")
    services.session_publish(actor=staff, session=session)
    for q in ("kênh tiêu", "kenh tieu"):
        body = page_text(client.get(url("public_session", session.pk), {"q": q}))
        assert "Nạo vét kênh tiêu úng" in body and "Xây nhà văn hóa thôn Bắc" not in body
    body = page_text(client.get(url("public_session", session.pk), {"print": "1"}))
    assert "Nạo vét kênh tiêu úng" in body and "Xây nhà văn hóa thôn Bắc" in body
    assert 'class="d-flex flex-wrap gap-2 align-self-start mb-3 d-print-none"' in body


def test_garbage_in_the_address_never_breaks_a_list(as_staff, client, staff, session, lead):
    for params in [
        {"page": "abc"},
        {"page": "99999"},
        {"agency": "x", "field": "???", "status": "<script>", "result": "0"},
        {"q": "%' OR 1=1 --"},
    ]:
        assert as_staff.get(url("session", session.pk), params).status_code == 200
        assert as_staff.get(url("consolidate", session.pk), params).status_code == 200
        assert as_staff.get(url("forward", session.pk), params).status_code == 200
    client.force_login(lead)
    assert client.get(url("inbox"), {"phase": "x", "status": "y", "agency": "z"}).status_code == 200


def test_council_staff_open_a_new_session(as_staff, term):
    response = as_staff.get(url("session_create"))
    assert response.status_code == 200
    response = as_staff.post(
        url("session_create"),
        {
            "term": term.pk,
            "number": "4",
            "kind": "thematic",
            "opens_on": "2026-09-20",
            "closes_on": "2026-09-20",
        },
        follow=True,
    )
    session = CouncilSession.objects.get(number=4)
    assert response.redirect_chain[-1][0] == url("session", session.pk)
    assert "Kỳ họp thứ 4 (chuyên đề)" in page_text(response)
    response = as_staff.post(
        url("session_create"),
        {
            "term": term.pk,
            "number": "4",
            "kind": "regular",
            "opens_on": "2026-12-20",
            "closes_on": "2026-12-21",
        },
    )
    assert response.status_code == 400
    assert "Nhiệm kỳ này đã có kỳ họp mang số này." in page_text(response)


def test_a_lead_cannot_open_a_session(as_lead):
    assert as_lead.get(url("session_create")).status_code == 403


def test_every_event_names_its_agency(staff, meeting, department):
    forwarded(meeting, staff, [department])
    assert not RecommendationEvent.objects.filter(agency__isnull=True).exists()


def test_an_agency_of_another_province_is_not_offered_for_forwarding(
    as_staff, staff, meeting, department
):
    elsewhere = AgencyFactory(name="Sở Xây dựng tỉnh Khác")
    body = page_text(as_staff.get(url("forward", meeting.session_id)))
    consolidated(meeting, staff)
    body = page_text(as_staff.get(url("forward", meeting.session_id)))
    assert "Sở Xây dựng tỉnh Ninh Bình" in body and elsewhere.name not in body


def test_the_language_switch_shows_the_results_in_english(
    client, staff, department, meeting, session
):
    forwarded(meeting, staff, [department])
    services.session_publish(actor=staff, session=session)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = page_text(client.get(url("public_session", session.pk)))
    assert "Answers to voter recommendations sent to Session 2" in body
    assert "Awaiting the answer, due" in body


def test_an_agency_id_too_large_for_the_database_is_ignored_not_a_server_error(
    as_staff, client, staff, lead, department, meeting, session
):
    forwarded(meeting, staff, [department], content="Nâng cấp đê hữu sông Hoàng Long")
    services.session_publish(actor=staff, session=session)
    huge = {"agency": "99999999999999999999"}
    for address in (url("session", session.pk), url("public_session", session.pk)):
        response = as_staff.get(address, huge)
        assert response.status_code == 200, address
        assert "Nâng cấp đê hữu sông Hoàng Long" in page_text(response)  # no filter
    client.force_login(lead)
    assert client.get(url("inbox"), huge).status_code == 200


def test_the_page_offers_the_moves_the_api_lists(client, staff, lead, department, meeting):
    """The forwarding page's forms and the API's `available_actions` come from the same
    moves: an answer accepted as resolved closed the matter for both."""
    item = settled(
        meeting, staff, department, lead, category="in_progress", dispatched_on=date(2026, 7, 27)
    )
    done = settled(
        meeting, staff, department, lead, category="resolved", dispatched_on=date(2026, 7, 27)
    )
    client.force_login(staff)
    for recommendation, offered in ((item, True), (done, False)):
        forwarding = forwarding_of(recommendation, department)
        page = client.get(url("forwarding", forwarding.pk))
        api = client.get(reverse("api:forwarding-detail", args=[forwarding.pk])).json()
        assert (page.context["send_back_form"] is not None) is offered
        assert ("send_back" in api["available_actions"]) is offered
