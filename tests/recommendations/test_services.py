from datetime import date

import pytest
from django.core.exceptions import ValidationError

from agencies.clocks import start_clock
from agencies.models import DeadlinePolicy
from agencies.workdays import DueDate, subtract_working_days
from casework.errors import ConcurrentChange, NotPermitted, TransitionNotAllowed
from recommendations import public_cache, services
from recommendations.models import (
    Answer,
    CarryOver,
    CouncilSession,
    Forwarding,
    Recommendation,
    RecommendationEvent,
    RecommendationSource,
    ResultCategory,
)
from tests.factories import AgencyFactory, CommuneFactory

from .conftest import at
from .factories import (
    CouncilSessionFactory,
    VoterMeetingFactory,
    answer,
    collect,
    consolidated,
    forwarded,
    forwarding_of,
    settled,
)

pytestmark = pytest.mark.django_db

Status = Recommendation.Status
FStatus = Forwarding.Status
Event = RecommendationEvent.Action


def events(**filters):
    return list(RecommendationEvent.objects.filter(**filters))


def snapshot():
    """Row counts of every table a move may write to."""
    return (
        RecommendationEvent.objects.count(),
        Recommendation.objects.count(),
        RecommendationSource.objects.count(),
        Forwarding.objects.count(),
        Answer.objects.count(),
        CarryOver.objects.count(),
        tuple(Recommendation.objects.order_by("pk").values_list("status", flat=True)),
        tuple(Forwarding.objects.order_by("pk").values_list("status", flat=True)),
    )


def behind_its_back(obj, status):
    """Another request moved `obj` after we read it."""
    type(obj).objects.filter(pk=obj.pk).update(status=status)


# --- sessions and meetings ------------------------------------------------------------------


def test_council_staff_open_a_session_of_their_term_with_one_event(staff, term):
    session = services.session_create(
        actor=staff,
        term=term,
        number=2,
        kind=CouncilSession.Kind.REGULAR,
        opens_on=date(2026, 7, 15),
        closes_on=date(2026, 7, 17),
    )
    assert session.council == term.council
    assert session.status == CouncilSession.Status.PREPARING
    [event] = events(session=session)
    assert (event.action, event.to_status, event.actor) == (
        Event.SESSION_CREATE,
        "preparing",
        staff,
    )


def test_a_session_must_open_within_its_term_and_have_a_free_number(staff, term, session):
    with pytest.raises(ValidationError) as error:
        services.session_create(
            actor=staff,
            term=term,
            number=session.number,
            kind="regular",
            opens_on=date(2032, 7, 1),
            closes_on=date(2032, 6, 1),
        )
    assert set(error.value.message_dict) == {"number", "opens_on", "closes_on"}


def test_an_agency_lead_may_not_open_a_session(lead, term):
    with pytest.raises(NotPermitted):
        services.session_create(
            actor=lead,
            term=term,
            number=5,
            kind="regular",
            opens_on=date(2026, 12, 1),
            closes_on=date(2026, 12, 2),
        )
    assert not CouncilSession.objects.exists()


def test_recording_a_voter_meeting_writes_one_event(staff, session, commune):
    meeting = services.meeting_record(
        actor=staff,
        session=session,
        timing="before",
        held_on=date(2026, 6, 28),
        place="Nhà văn hóa thôn Đông",
        commune=commune,
        deputies="Nguyễn Văn Bình, Trần Thị Mai",
        voters_count=150,
    )
    assert meeting.session == session
    [event] = events(session=session)
    assert event.action == Event.MEETING
    assert "Nhà văn hóa thôn Đông" in event.text


def test_a_meeting_before_the_session_cannot_be_held_after_it_opens(staff, session, commune):
    with pytest.raises(ValidationError) as error:
        services.meeting_record(
            actor=staff,
            session=session,
            timing="before",
            held_on=date(2026, 7, 20),
            place="Nhà văn hóa",
            commune=commune,
            deputies="Nguyễn Văn Bình",
            voters_count=80,
        )
    assert "15/07/2026" in error.value.message_dict["held_on"][0]


def test_a_meeting_in_a_commune_of_another_province_is_refused(staff, session):
    elsewhere = CommuneFactory()  # a commune of another province
    with pytest.raises(ValidationError) as error:
        services.meeting_record(
            actor=staff,
            session=session,
            timing="before",
            held_on=date(2026, 6, 28),
            place="Nhà văn hóa",
            commune=elsewhere,
            deputies="Nguyễn Văn Bình",
            voters_count=80,
        )
    assert "commune" in error.value.message_dict


# --- collect --------------------------------------------------------------------------------


def test_collecting_records_the_item_with_its_meeting_as_source_and_one_event(
    staff, meeting, commune
):
    item = collect(
        meeting,
        staff,
        content="Đề nghị nạo vét kênh tiêu úng Đồng Xoài",
        voters=12,
        commune=commune,
    )
    assert item.status == Status.COLLECTED
    assert item.session == meeting.session
    assert item.first_raised_on == meeting.held_on
    [source] = item.sources.all()
    assert (source.meeting, source.voters_count, source.collected_as) == (meeting, 12, item)
    # diacritic-free search key
    assert "nao vet kenh tieu ung" in item.search_text
    assert "xa gia vien" in item.search_text
    [event] = events(recommendation=item)
    assert (event.action, event.from_status, event.to_status) == (Event.COLLECT, "", "collected")


def test_more_voters_than_attended_the_meeting_is_refused_and_nothing_is_written(staff, meeting):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        collect(meeting, staff, voters=meeting.voters_count + 1)
    assert "voters_count" in error.value.message_dict
    assert snapshot() == before


def test_an_agency_lead_may_not_collect(lead, meeting):
    before = snapshot()
    with pytest.raises(NotPermitted):
        collect(meeting, lead)
    assert snapshot() == before


# --- consolidate ----------------------------------------------------------------------------


def test_consolidating_a_single_item_moves_it_with_one_event(staff, meeting):
    item = collect(meeting, staff)
    services.recommendation_consolidate(actor=staff, keeper=item)
    item.refresh_from_db()
    assert item.status == Status.CONSOLIDATED
    [event] = events(recommendation=item, action=Event.CONSOLIDATE)
    assert (event.from_status, event.to_status) == ("collected", "consolidated")


def test_merging_duplicates_keeps_every_source_and_sums_the_voters(staff, meeting, other_meeting):
    keeper = collect(meeting, staff, content="Sửa đường liên xã", voters=12)
    first = collect(other_meeting, staff, content="Đường liên xã xuống cấp", voters=30)
    second = collect(meeting, staff, content="Tu sửa tuyến đường liên xã", voters=3)

    services.recommendation_consolidate(
        actor=staff,
        keeper=keeper,
        duplicates=[first, second],
        content="Đề nghị sửa chữa tuyến đường liên xã bị xuống cấp",
    )

    keeper.refresh_from_db()
    assert keeper.status == Status.CONSOLIDATED
    assert keeper.voters_count == 45
    assert keeper.content == "Đề nghị sửa chữa tuyến đường liên xã bị xuống cấp"
    sources = list(keeper.sources.order_by("id"))
    assert [(s.collected_as_id, s.meeting_id, s.content, s.voters_count) for s in sources] == [
        (keeper.pk, meeting.pk, "Sửa đường liên xã", 12),
        (first.pk, other_meeting.pk, "Đường liên xã xuống cấp", 30),
        (second.pk, meeting.pk, "Tu sửa tuyến đường liên xã", 3),
    ]
    for duplicate in (first, second):
        duplicate.refresh_from_db()
        assert duplicate.status == Status.MERGED
        assert duplicate.merged_into == keeper
        assert duplicate.content  # the original wording stays on the merged item too
        [event] = events(recommendation=duplicate, action=Event.MERGE)
        assert (event.from_status, event.to_status) == ("collected", "merged")
    [event] = events(recommendation=keeper, action=Event.CONSOLIDATE)
    assert f"#{first.pk}" in event.note and "45" in event.note
    assert keeper.times_raised == 1  # all from meetings of the same session


def test_a_merged_item_cannot_be_consolidated_again_and_nothing_is_written(staff, meeting):
    keeper = collect(meeting, staff)
    duplicate = collect(meeting, staff)
    services.recommendation_consolidate(actor=staff, keeper=keeper, duplicates=[duplicate])
    another = collect(meeting, staff)
    before = snapshot()
    with pytest.raises(TransitionNotAllowed):
        services.recommendation_consolidate(actor=staff, keeper=duplicate, duplicates=[another])
    assert snapshot() == before


def test_a_forwarded_item_cannot_be_merged_into_another(staff, meeting, department):
    keeper = collect(meeting, staff)
    done = forwarded(meeting, staff, [department])
    before = snapshot()
    with pytest.raises(TransitionNotAllowed):
        services.recommendation_consolidate(actor=staff, keeper=keeper, duplicates=[done])
    assert snapshot() == before


def test_merging_a_duplicate_someone_else_just_moved_is_a_concurrent_change(staff, meeting):
    keeper = collect(meeting, staff)
    duplicate = collect(meeting, staff)
    behind_its_back(duplicate, Status.CONSOLIDATED)
    before = snapshot()
    with pytest.raises(ConcurrentChange):
        services.recommendation_consolidate(actor=staff, keeper=keeper, duplicates=[duplicate])
    assert snapshot() == before
    assert RecommendationSource.objects.get(collected_as=duplicate).recommendation == duplicate


def test_consolidating_an_item_someone_else_just_consolidated_is_a_concurrent_change(
    staff, meeting
):
    item = collect(meeting, staff)
    behind_its_back(item, Status.MERGED)
    before = snapshot()
    with pytest.raises(ConcurrentChange):
        services.recommendation_consolidate(actor=staff, keeper=item)
    assert snapshot() == before


def test_the_item_kept_must_be_the_one_raised_first(staff, meeting, next_session, commune):
    later = VoterMeetingFactory(session=next_session, commune=commune, held_on=date(2026, 8, 1))
    old = collect(meeting, staff)
    new = collect(later, staff)
    with pytest.raises(ValidationError):
        services.recommendation_consolidate(actor=staff, keeper=new, duplicates=[old])


def test_a_matter_raised_again_at_a_later_session_is_carried_over_and_counted_twice(
    staff, meeting, next_session, commune, department
):
    old = forwarded(meeting, staff, [department], voters=20)
    later = VoterMeetingFactory(
        session=next_session, commune=commune, timing="before", held_on=date(2026, 8, 1)
    )
    again = collect(later, staff, voters=7)

    services.recommendation_consolidate(actor=staff, keeper=old, duplicates=[again])

    old.refresh_from_db()
    assert old.status == Status.FORWARDED  # still with the agency
    assert old.times_raised == 2
    assert old.voters_count == 27
    assert old.first_raised_on == meeting.held_on
    assert list(old.carry_overs.values_list("session", flat=True)) == [next_session.pk]
    first, merge = events(recommendation=old, action=Event.CONSOLIDATE)
    assert (first.from_status, first.to_status) == ("collected", "consolidated")
    assert (merge.from_status, merge.to_status) == ("forwarded", "forwarded")


# --- forward --------------------------------------------------------------------------------


def test_forwarding_to_two_agencies_starts_each_answer_clock_and_writes_one_event(
    staff, meeting, department, other_department
):
    item = consolidated(meeting, staff)
    forwardings = services.recommendation_forward(
        actor=staff,
        recommendation=item,
        agencies=[department, other_department],
        dispatch_number="125/HĐND-VP",
        dispatched_on=date(2026, 7, 27),
    )
    item.refresh_from_db()
    assert item.status == Status.FORWARDED
    assert item.forwarded_on == date(2026, 7, 27)
    expected = start_clock("voter.answer", date(2026, 7, 27))
    assert len(forwardings) == 2
    for forwarding in forwardings:
        assert forwarding.status == FStatus.FORWARDED
        assert forwarding.answer_due_on == expected.due_on == date(2026, 8, 26)
        assert forwarding.answer_due_soon_on == expected.due_soon_on
        assert forwarding.answer_long_overdue_on == expected.long_overdue_on
        assert forwarding.answer_rule["policy"] == "voter.answer"
        explanation = DueDate.from_dict(forwarding.answer_rule).explain()
        assert "27/07/2026" in explanation
    [event] = events(recommendation=item, action=Event.FORWARD)
    assert (event.from_status, event.to_status) == ("consolidated", "forwarded")
    assert "Sở Xây dựng tỉnh Ninh Bình" in event.text and "Sở Y tế" in event.text
    assert "125/HĐND-VP" in event.text
    assert event.is_public


def test_a_due_date_on_a_holiday_moves_to_the_next_working_day(staff, meeting, department):
    # 03/08 + 30 days = 02/09, National Day
    item = forwarded(meeting, staff, [department])
    forwarding = forwarding_of(item, department)
    assert forwarding.answer_due_on > date(2026, 9, 2)
    assert "02/09/2026" in DueDate.from_dict(forwarding.answer_rule).explain()


def test_a_collected_item_must_be_consolidated_before_it_is_forwarded(staff, meeting, department):
    item = collect(meeting, staff)
    before = snapshot()
    with pytest.raises(TransitionNotAllowed):
        services.recommendation_forward(
            actor=staff, recommendation=item, agencies=[department], dispatch_number="1/HĐND"
        )
    assert snapshot() == before


def test_forwarding_an_item_someone_else_just_merged_is_a_concurrent_change(
    staff, meeting, department
):
    item = consolidated(meeting, staff)
    behind_its_back(item, Status.MERGED)
    before = snapshot()
    with pytest.raises(ConcurrentChange):
        services.recommendation_forward(
            actor=staff, recommendation=item, agencies=[department], dispatch_number="1/HĐND"
        )
    assert snapshot() == before


def test_a_forwarded_item_can_go_to_one_more_agency_but_not_twice_to_the_same(
    staff, meeting, department, other_department
):
    item = forwarded(meeting, staff, [department])
    services.recommendation_forward(
        actor=staff, recommendation=item, agencies=[other_department], dispatch_number="2/HĐND"
    )
    assert item.forwardings.count() == 2
    assert len(events(recommendation=item, action=Event.FORWARD)) == 2
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.recommendation_forward(
            actor=staff, recommendation=item, agencies=[department], dispatch_number="3/HĐND"
        )
    assert "Sở Xây dựng" in error.value.message_dict["agencies"][0]
    assert snapshot() == before


def test_recommendations_are_not_forwarded_to_a_council_or_another_province(
    staff, meeting, council
):
    item = consolidated(meeting, staff)
    for agency in (council, AgencyFactory()):
        with pytest.raises(ValidationError) as error:
            services.recommendation_forward(
                actor=staff, recommendation=item, agencies=[agency], dispatch_number="1/HĐND"
            )
        assert "agencies" in error.value.message_dict


def test_an_agency_lead_may_not_forward(lead, staff, meeting, department):
    item = consolidated(meeting, staff)
    with pytest.raises(NotPermitted):
        services.recommendation_forward(
            actor=lead, recommendation=item, agencies=[department], dispatch_number="1/HĐND"
        )


def test_bulk_forwarding_moves_every_item_or_none(staff, meeting, department):
    items = [consolidated(meeting, staff) for _ in range(3)]
    assert (
        services.recommendations_forward(
            actor=staff, recommendations=items[:2], agencies=[department], dispatch_number="7/HĐND"
        )
        == 2
    )
    assert len(events(action=Event.FORWARD)) == 2
    merged_by_someone = items[2]
    fresh = consolidated(meeting, staff)
    behind_its_back(merged_by_someone, Status.MERGED)
    before = snapshot()
    with pytest.raises(ConcurrentChange):
        services.recommendations_forward(
            actor=staff,
            recommendations=[fresh, merged_by_someone],
            agencies=[department],
            dispatch_number="8/HĐND",
        )
    assert snapshot() == before


# --- answer ---------------------------------------------------------------------------------


@pytest.fixture
def sent(staff, meeting, department):
    """A recommendation forwarded to the department on 27/07/2026 (due 26/08/2026)."""
    item = forwarded(meeting, staff, [department], dispatched_on=date(2026, 7, 27))
    return forwarding_of(item, department)


def test_a_lead_answers_on_time_with_one_event(lead, sent):
    result = answer(sent, lead, category=ResultCategory.IN_PROGRESS)
    sent.refresh_from_db()
    assert sent.status == FStatus.ANSWERED
    assert sent.current_answer == result
    assert (sent.answered_on, sent.answered_on_time) == (date(2026, 8, 3), True)
    assert (result.round, result.on_time, result.due_on) == (1, True, date(2026, 8, 26))
    assert result.assessment == Answer.Assessment.PENDING
    [event] = events(forwarding=sent)
    assert (event.action, event.from_status, event.to_status) == (
        Event.ANSWER,
        "forwarded",
        "answered",
    )
    assert event.agency_id == sent.agency_id
    item = sent.recommendation
    item.refresh_from_db()
    assert item.answered_on == date(2026, 8, 3)
    assert item.answered_on_time is True
    assert item.result == ""  # not yet assessed


def test_an_answer_after_the_due_date_is_recorded_as_late(lead, sent):
    with at(2026, 9, 10):
        result = answer(sent, lead)
    assert result.on_time is False
    sent.refresh_from_db()
    assert sent.answered_on_time is False


def test_a_handler_may_draft_but_not_submit_the_answer(handler, lead, sent):
    with pytest.raises(NotPermitted):
        answer(sent, handler)
    services.forwarding_save_draft(
        actor=handler, forwarding=sent, text="Dự thảo trả lời", category="in_progress"
    )
    sent.refresh_from_db()
    assert sent.status == FStatus.FORWARDED
    assert sent.draft["text"] == "Dự thảo trả lời"
    [event] = events(forwarding=sent)
    assert (event.action, event.from_status, event.to_status, event.is_public) == (
        Event.DRAFT,
        "",
        "",
        False,
    )
    answer(sent, lead)
    sent.refresh_from_db()
    assert sent.draft == {}


def test_a_draft_is_only_for_an_answer_still_awaited(handler, lead, sent):
    answer(sent, lead)
    before = snapshot()
    with pytest.raises(TransitionNotAllowed):
        services.forwarding_save_draft(actor=handler, forwarding=sent, text="Dự thảo")
    assert snapshot() == before


def test_drafting_while_someone_else_answers_is_a_concurrent_change(handler, sent):
    behind_its_back(sent, FStatus.ANSWERED)
    before = snapshot()
    with pytest.raises(ConcurrentChange):
        services.forwarding_save_draft(actor=handler, forwarding=sent, text="Dự thảo")
    assert snapshot() == before


def test_the_lead_of_another_agency_may_not_answer(other_lead, sent):
    before = snapshot()
    with pytest.raises(NotPermitted):
        answer(sent, other_lead)
    assert snapshot() == before


def test_not_resolved_needs_a_reason_and_planned_needs_a_date(lead, sent):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        answer(sent, lead, category=ResultCategory.NOT_RESOLVED, reason="")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        answer(sent, lead, category=ResultCategory.PLANNED, planned_by=None)
    assert "planned_by" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        answer(sent, lead, answered_on=date(2026, 7, 1))
    assert "27/07/2026" in error.value.message_dict["answered_on"][0]
    assert snapshot() == before


def test_an_answered_forwarding_cannot_be_answered_again(lead, sent):
    answer(sent, lead)
    before = snapshot()
    with pytest.raises(TransitionNotAllowed):
        answer(sent, lead)
    assert snapshot() == before


def test_answering_what_someone_else_just_answered_is_a_concurrent_change(lead, sent):
    behind_its_back(sent, FStatus.ANSWERED)
    before = snapshot()
    with pytest.raises(ConcurrentChange):
        answer(sent, lead)
    assert snapshot() == before


# --- accept and send back ---------------------------------------------------------------------


@pytest.fixture
def answered(lead, sent):
    answer(sent, lead, category=ResultCategory.RESOLVED)
    return forwarding_of(sent.recommendation, sent.agency)


def test_council_staff_accept_the_answer_and_its_category_becomes_the_result(staff, answered):
    services.forwarding_accept(actor=staff, forwarding=answered, note="Đạt yêu cầu")
    answered.refresh_from_db()
    assert answered.status == FStatus.ACCEPTED
    assert (answered.result, answered.result_on) == (ResultCategory.RESOLVED, date(2026, 8, 3))
    assert answered.accepted_answer == answered.current_answer
    given = answered.current_answer
    assert (given.assessment, given.assessed_by, given.assessment_note) == (
        Answer.Assessment.ACCEPTED,
        staff,
        "Đạt yêu cầu",
    )
    [event] = events(forwarding=answered, action=Event.ACCEPT)
    assert (event.from_status, event.to_status) == ("answered", "accepted")
    item = answered.recommendation
    item.refresh_from_db()
    assert (item.result, item.result_on) == (ResultCategory.RESOLVED, date(2026, 8, 3))


def test_an_answer_not_yet_given_cannot_be_accepted(staff, sent):
    before = snapshot()
    with pytest.raises(TransitionNotAllowed):
        services.forwarding_accept(actor=staff, forwarding=sent)
    assert snapshot() == before


def test_accepting_an_answer_someone_else_just_sent_back_is_a_concurrent_change(staff, answered):
    behind_its_back(answered, FStatus.FORWARDED)
    before = snapshot()
    with pytest.raises(ConcurrentChange):
        services.forwarding_accept(actor=staff, forwarding=answered)
    assert snapshot() == before


def test_the_answering_agency_may_not_assess_its_own_answer(lead, answered):
    with pytest.raises(NotPermitted):
        services.forwarding_accept(actor=lead, forwarding=answered)
    with pytest.raises(NotPermitted):
        services.forwarding_send_back(actor=lead, forwarding=answered, reason="Chưa rõ")


def test_a_recommendation_with_two_agencies_takes_the_least_advanced_accepted_result(
    staff, meeting, department, other_department, lead, other_lead
):
    item = forwarded(meeting, staff, [department, other_department])
    first, second = forwarding_of(item, department), forwarding_of(item, other_department)
    answer(first, lead, category=ResultCategory.RESOLVED)
    services.forwarding_accept(actor=staff, forwarding=forwarding_of(item, department))
    item.refresh_from_db()
    assert item.result == ""  # the second agency has not answered
    assert item.answered_on is None
    answer(second, other_lead, category=ResultCategory.IN_PROGRESS)
    services.forwarding_accept(actor=staff, forwarding=forwarding_of(item, other_department))
    item.refresh_from_db()
    assert item.result == ResultCategory.IN_PROGRESS
    assert item.answered_on == date(2026, 8, 3)


def test_sending_an_answer_back_starts_a_new_answer_clock_today(staff, lead, answered):
    services.forwarding_send_back(
        actor=staff, forwarding=answered, reason="Chưa nêu rõ thời gian thi công."
    )
    answered.refresh_from_db()
    expected = start_clock("voter.answer", date(2026, 8, 3))
    assert answered.status == FStatus.FORWARDED
    assert answered.rounds == 2
    assert answered.answer_due_on == expected.due_on
    assert answered.current_answer is None
    # the first answer stays on record, sent back, and still counts as given on time
    old = Answer.objects.get(forwarding=answered)
    assert (old.assessment, old.assessment_note) == (
        Answer.Assessment.SENT_BACK,
        "Chưa nêu rõ thời gian thi công.",
    )
    assert answered.answered_on_time is True
    [event] = events(forwarding=answered, action=Event.SEND_BACK)
    assert (event.from_status, event.to_status) == ("answered", "forwarded")
    assert "Chưa nêu rõ thời gian thi công." in event.note
    second = answer(answered, lead, category=ResultCategory.PLANNED)
    assert second.round == 2


def test_the_council_may_set_the_new_deadline_itself(staff, answered):
    services.forwarding_send_back(
        actor=staff, forwarding=answered, reason="Bổ sung lộ trình", due_on=date(2026, 8, 20)
    )
    answered.refresh_from_db()
    assert answered.answer_due_on == date(2026, 8, 20)
    assert answered.due_set_by_council
    assert "03/08/2026" in DueDate.from_dict(answered.answer_rule).explain()
    assert answered.answer_due_soon_on < date(2026, 8, 20) < answered.answer_long_overdue_on


def test_a_new_deadline_in_the_past_is_refused_and_nothing_is_written(staff, answered):
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        services.forwarding_send_back(
            actor=staff, forwarding=answered, reason="Bổ sung", due_on=date(2026, 8, 1)
        )
    assert "due_on" in error.value.message_dict
    assert snapshot() == before


def test_a_forwarding_still_awaiting_its_answer_cannot_be_sent_back(staff, sent):
    before = snapshot()
    with pytest.raises(TransitionNotAllowed):
        services.forwarding_send_back(actor=staff, forwarding=sent, reason="Nhắc")
    assert snapshot() == before


def test_sending_back_an_answer_someone_else_just_accepted_is_a_concurrent_change(staff, answered):
    # read as "answered", but another staff member accepted it (as resolved) meanwhile
    behind_its_back(answered, FStatus.ACCEPTED)
    before = snapshot()
    with pytest.raises(ConcurrentChange):
        services.forwarding_send_back(actor=staff, forwarding=answered, reason="Bổ sung")
    assert snapshot() == before


def test_an_accepted_item_in_progress_can_be_sent_back_for_an_update_but_a_resolved_one_cannot(
    staff, lead, meeting, department
):
    item = forwarded(meeting, staff, [department])
    answer(forwarding_of(item, department), lead, category=ResultCategory.IN_PROGRESS)
    services.forwarding_accept(actor=staff, forwarding=forwarding_of(item, department))
    services.forwarding_send_back(
        actor=staff, forwarding=forwarding_of(item, department), reason="Báo cáo tiến độ"
    )
    forwarding = forwarding_of(item, department)
    assert forwarding.status == FStatus.FORWARDED
    assert forwarding.result == ResultCategory.IN_PROGRESS  # the last accepted result stays
    assert forwarding.accepted_answer.assessment == Answer.Assessment.ACCEPTED

    done = forwarded(meeting, staff, [department])
    answer(forwarding_of(done, department), lead)
    services.forwarding_accept(actor=staff, forwarding=forwarding_of(done, department))
    before = snapshot()
    with pytest.raises(TransitionNotAllowed):
        services.forwarding_send_back(
            actor=staff, forwarding=forwarding_of(done, department), reason="?"
        )
    assert snapshot() == before


# --- carry-over -------------------------------------------------------------------------------


def test_unresolved_items_carry_over_to_the_next_session_with_one_event_each(
    staff, lead, meeting, department, next_session
):
    unanswered = forwarded(meeting, staff, [department])
    in_progress = forwarded(meeting, staff, [department])
    resolved = forwarded(meeting, staff, [department])
    explained = forwarded(meeting, staff, [department])
    never_forwarded = consolidated(meeting, staff)
    for item, category in [
        (in_progress, ResultCategory.IN_PROGRESS),
        (resolved, ResultCategory.RESOLVED),
        (explained, ResultCategory.EXPLAINED),
    ]:
        answer(forwarding_of(item, department), lead, category=category)
        services.forwarding_accept(actor=staff, forwarding=forwarding_of(item, department))

    with at(2026, 12, 1):
        assert services.session_carry_over(actor=staff, session=next_session) == 2

    carried = set(next_session.carried_over.values_list("recommendation", flat=True))
    assert carried == {unanswered.pk, in_progress.pk}
    assert never_forwarded.pk not in carried
    [event] = events(recommendation=unanswered, action=Event.CARRY_OVER)
    assert event.session == next_session
    assert (event.from_status, event.to_status) == ("forwarded", "forwarded")
    assert unanswered.carry_overs.get().carried_on == date(2026, 12, 1)
    # a second run finds nothing left to carry
    assert services.session_carry_over(actor=staff, session=next_session) == 0


def test_an_item_carries_over_only_to_a_later_session_of_its_council(
    staff, meeting, department, session
):
    item = forwarded(meeting, staff, [department])
    earlier = CouncilSessionFactory(
        term=session.term, number=1, opens_on=date(2026, 4, 10), closes_on=date(2026, 4, 11)
    )
    with pytest.raises(ValidationError):
        services.recommendation_carry_over(actor=staff, recommendation=item, to_session=earlier)
    assert not CarryOver.objects.exists()


def test_a_resolved_item_does_not_carry_over(staff, lead, meeting, department, next_session):
    item = settled(
        meeting, staff, department, lead, category="resolved", dispatched_on=date(2026, 7, 27)
    )
    before = snapshot()
    with pytest.raises(TransitionNotAllowed):
        services.recommendation_carry_over(
            actor=staff, recommendation=item, to_session=next_session
        )
    assert snapshot() == before


def test_carrying_over_what_someone_else_just_carried_over_is_refused(
    staff, meeting, department, next_session
):
    item = forwarded(meeting, staff, [department])
    CarryOver.objects.create(recommendation=item, session=next_session, carried_on=date(2026, 8, 3))
    before = snapshot()
    with pytest.raises(TransitionNotAllowed):
        services.recommendation_carry_over(
            actor=staff, recommendation=item, to_session=next_session
        )
    assert snapshot() == before


def test_an_agency_lead_may_not_carry_items_over(lead, next_session):
    with pytest.raises(NotPermitted):
        services.session_carry_over(actor=lead, session=next_session)


# --- publish ----------------------------------------------------------------------------------


def test_publishing_a_session_writes_one_public_event(staff, meeting, department, session):
    forwarded(meeting, staff, [department])
    services.session_publish(actor=staff, session=session)
    session.refresh_from_db()
    assert session.status == CouncilSession.Status.PUBLISHED
    assert session.published_at is not None
    [event] = events(session=session, action=Event.PUBLISH)
    assert (event.from_status, event.to_status, event.is_public) == ("preparing", "published", True)


def test_a_session_with_nothing_forwarded_cannot_be_published(staff, meeting, session):
    consolidated(meeting, staff)
    with pytest.raises(ValidationError):
        services.session_publish(actor=staff, session=session)
    session.refresh_from_db()
    assert session.status == CouncilSession.Status.PREPARING


def test_a_published_session_cannot_be_published_again(staff, meeting, department, session):
    forwarded(meeting, staff, [department])
    services.session_publish(actor=staff, session=session)
    before = snapshot()
    with pytest.raises(TransitionNotAllowed):
        services.session_publish(actor=staff, session=session)
    assert snapshot() == before


def test_publishing_a_session_someone_else_just_published_is_a_concurrent_change(
    staff, meeting, department, session
):
    forwarded(meeting, staff, [department])
    behind_its_back(session, CouncilSession.Status.PUBLISHED)
    before = snapshot()
    with pytest.raises(ConcurrentChange):
        services.session_publish(actor=staff, session=session)
    assert snapshot() == before


def test_an_agency_lead_may_not_publish(lead, meeting, staff, department, session):
    forwarded(meeting, staff, [department])
    with pytest.raises(NotPermitted):
        services.session_publish(actor=lead, session=session)


# --- side effects wait for the commit ---------------------------------------------------------


def _moves(staff, lead, handler, meeting, department, session, next_session):
    """Every write, each as a callable run after the previous ones."""
    state: dict = {}

    def collect_():
        state["a"] = collect(meeting, staff)
        state["b"] = collect(meeting, staff)

    def consolidate_():
        services.recommendation_consolidate(actor=staff, keeper=state["a"], duplicates=[state["b"]])

    def forward_():
        services.recommendation_forward(
            actor=staff, recommendation=state["a"], agencies=[department], dispatch_number="1/HĐND"
        )

    def draft_():
        services.forwarding_save_draft(
            actor=handler, forwarding=forwarding_of(state["a"], department), text="Dự thảo"
        )

    def answer_():
        answer(forwarding_of(state["a"], department), lead, category=ResultCategory.IN_PROGRESS)

    def send_back_():
        services.forwarding_send_back(
            actor=staff, forwarding=forwarding_of(state["a"], department), reason="Bổ sung"
        )

    def answer_again_():
        answer(forwarding_of(state["a"], department), lead, category=ResultCategory.IN_PROGRESS)

    def accept_():
        services.forwarding_accept(actor=staff, forwarding=forwarding_of(state["a"], department))

    def carry_over_():
        services.session_carry_over(actor=staff, session=next_session)

    def publish_():
        services.session_publish(actor=staff, session=session)

    return [
        collect_,
        consolidate_,
        forward_,
        draft_,
        answer_,
        send_back_,
        answer_again_,
        accept_,
        carry_over_,
        publish_,
    ]


def test_every_move_refreshes_the_public_figures_only_after_it_commits(
    django_capture_on_commit_callbacks,
    staff,
    lead,
    handler,
    meeting,
    department,
    session,
    next_session,
):
    council_id = session.council_id
    for move in _moves(staff, lead, handler, meeting, department, session, next_session):
        seen = public_cache.version(council_id)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            move()
        assert callbacks, move.__name__
        assert public_cache.version(council_id) == seen, move.__name__  # not before the commit
        for callback in callbacks:
            callback()
        assert public_cache.version(council_id) != seen, move.__name__


def test_a_refused_move_queues_nothing(django_capture_on_commit_callbacks, staff, sent):
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(TransitionNotAllowed),
    ):
        services.forwarding_accept(actor=staff, forwarding=sent)
    assert callbacks == []


# --- defects fixed with the move to casework ------------------------------------------------


def test_a_council_set_deadline_warns_as_many_working_days_ahead_as_the_policy_says(
    staff, answered
):
    # The answer policy in force from 01/08/2026 warns 7 working days ahead, not 3.
    DeadlinePolicy.objects.create(
        key="voter.answer",
        name="Trả lời kiến nghị cử tri (HĐND)",
        days=30,
        working_days=False,
        due_soon_days=7,
        effective_from=date(2026, 8, 1),
        legal_basis="Nghị quyết thử nghiệm",
    )
    services.forwarding_send_back(
        actor=staff, forwarding=answered, reason="Bổ sung lộ trình", due_on=date(2026, 8, 28)
    )
    answered.refresh_from_db()
    assert answered.answer_due_soon_on == subtract_working_days(date(2026, 8, 28), 7)
    assert answered.answer_due_soon_on < subtract_working_days(date(2026, 8, 28), 3)
    assert answered.next_reminder_on == answered.answer_due_soon_on


def test_consolidating_a_forwarded_item_read_before_another_change_is_a_concurrent_change(
    staff, meeting, next_session, commune, department
):
    old = forwarded(meeting, staff, [department], voters=20)
    stale = Recommendation.objects.get(pk=old.pk)  # read by one official…
    later = VoterMeetingFactory(
        session=next_session, commune=commune, timing="before", held_on=date(2026, 8, 1)
    )
    # …while another merges the same matter raised again: forwarded → forwarded, so
    # only `updated_at` says the row changed.
    services.recommendation_consolidate(
        actor=staff,
        keeper=Recommendation.objects.get(pk=old.pk),
        duplicates=[collect(later, staff)],
    )
    again = collect(later, staff, voters=3)
    before = snapshot()
    with pytest.raises(ConcurrentChange):
        services.recommendation_consolidate(actor=staff, keeper=stale, duplicates=[again])
    assert snapshot() == before
    assert Recommendation.objects.get(pk=old.pk).voters_count == 25


def test_forwarding_a_forwarded_item_read_before_another_forwarding_is_a_concurrent_change(
    staff, meeting, department, other_department
):
    item = forwarded(meeting, staff, [department])
    stale = Recommendation.objects.get(pk=item.pk)
    services.recommendation_forward(
        actor=staff,
        recommendation=Recommendation.objects.get(pk=item.pk),
        agencies=[other_department],
        dispatch_number="2/HĐND",
    )
    before = snapshot()
    with pytest.raises(ConcurrentChange):
        services.recommendation_forward(
            actor=staff,
            recommendation=stale,
            agencies=[AgencyFactory(unit=department.unit, name="Sở Tài chính")],
            dispatch_number="3/HĐND",
        )
    assert snapshot() == before


def test_the_models_transition_tables_are_the_machines(staff, meeting):
    item = collect(meeting, staff)
    assert Recommendation.TRANSITIONS[Status.FORWARDED] == {Status.FORWARDED}
    assert Recommendation.TRANSITIONS[Status.MERGED] == frozenset()
    assert item.can_transition_to(Status.CONSOLIDATED)
    assert not item.can_transition_to(Status.FORWARDED)
    assert Forwarding.TRANSITIONS[FStatus.ACCEPTED] == {FStatus.FORWARDED}
