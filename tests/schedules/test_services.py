from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from casework import timekeeping
from casework.actors import CITIZEN, SYSTEM
from casework.errors import ConcurrentChange, NotPermitted, TransitionNotAllowed
from notifications.models import Notice
from schedules import moves, reminders, services
from schedules.identity import code_matches, unseal
from schedules.models import (
    Booking,
    BookingEvent,
    BookingStatus,
    DayKind,
    DayStatus,
    Mode,
    ReceptionDay,
    ReceptionDayEvent,
)
from tests.schedules.conftest import DAY, at, book, plan_day, published_day, visitor

pytestmark = pytest.mark.django_db


def _day_events(day):
    return list(
        ReceptionDayEvent.objects.filter(day=day)
        .order_by("id")
        .values_list("action", "from_status", "to_status")
    )


def _booking_events(booking):
    return list(
        BookingEvent.objects.filter(booking=booking)
        .order_by("id")
        .values_list("action", "from_status", "to_status")
    )


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


# --- reception days -------------------------------------------------------------------------


def test_planning_a_day_writes_one_event_and_keeps_it_off_the_public_page(officer, agency, leader):
    day = plan_day(officer, agency, leader)
    assert day.status == DayStatus.PLANNED
    assert _day_events(day) == [("plan", "", "planned")]
    assert "10/12/2026" in day.events.get().said_text


def test_publishing_a_day_starts_its_reminders_two_working_days_before(officer, agency, leader):
    day = plan_day(officer, agency, leader)
    services.day_publish(day=day, actor=officer)
    day = _fresh(day)
    assert day.status == DayStatus.PUBLISHED
    assert day.reminder_due_on == DAY
    assert day.reminder_due_soon_on == date(2026, 12, 8)
    assert day.next_reminder_on == date(2026, 12, 8)
    assert _day_events(day)[-1] == ("publish", "planned", "published")


def test_publishing_twice_is_refused_and_writes_nothing(day, officer):
    with pytest.raises(TransitionNotAllowed):
        services.day_publish(day=day, actor=officer)
    assert len(_day_events(day)) == 2


def test_only_the_reception_office_plans_and_publishes(agency, leader, handler, lead, outsider):
    for actor in (handler, lead, outsider):
        with pytest.raises(NotPermitted):
            plan_day(actor, agency, leader)
    assert not ReceptionDay.objects.exists()


def test_a_stale_copy_of_a_day_loses_the_race(officer, agency, leader):
    day = plan_day(officer, agency, leader)
    stale = _fresh(day)
    services.day_publish(day=day, actor=officer)
    with pytest.raises((ConcurrentChange, TransitionNotAllowed)):
        services.day_publish(day=stale, actor=officer)
    stale2 = _fresh(day)
    services.day_delegate(
        day=day, actor=officer, delegate_name="Hoàng Văn Thắng", delegate_title="Phó Chủ tịch"
    )
    with pytest.raises(ConcurrentChange):
        services.day_cancel(day=stale2, actor=officer, reason="Họp đột xuất")
    assert _fresh(day).status == DayStatus.PUBLISHED


def test_the_leader_confirms_their_own_day_and_nobody_else_can(day, lead, other_lead, officer):
    for actor in (other_lead, officer):
        with pytest.raises(NotPermitted):
            services.day_confirm(day=day, actor=actor)
    services.day_confirm(day=day, actor=lead)
    assert _fresh(day).leader_confirmed_at is not None
    assert moves.day_actions(lead, _fresh(day)) == []  # confirmed once
    with pytest.raises(TransitionNotAllowed):
        services.day_confirm(day=_fresh(day), actor=lead)


def test_a_delegated_day_is_recorded_as_held_by_the_deputy_not_in_person(day, officer):
    services.day_delegate(
        day=day, actor=officer, delegate_name="Hoàng Văn Thắng", delegate_title="Phó Chủ tịch"
    )
    with at(2026, 12, 10, 14):
        services.day_hold(day=_fresh(day), actor=officer)
    held = _fresh(day)
    assert (held.status, held.held_in_person, held.receiver_name) == (
        DayStatus.HELD,
        False,
        "Hoàng Văn Thắng",
    )
    assert held.next_reminder_on is None
    assert [e[0] for e in _day_events(day)] == ["plan", "publish", "delegate", "hold"]


def test_a_day_cannot_be_recorded_as_held_before_it_comes(day, officer):
    with pytest.raises(TransitionNotAllowed, match="Chưa đến ngày tiếp"):
        services.day_hold(day=day, actor=officer)


def test_a_day_in_the_past_cannot_be_planned(officer, agency, leader):
    with pytest.raises(ValidationError) as caught:
        plan_day(officer, agency, leader, on=date(2026, 11, 30))
    assert "date" in caught.value.message_dict


def test_online_reception_is_refused_before_1_july_2026(officer, agency, leader):
    with at(2026, 6, 1):
        with pytest.raises(ValidationError) as caught:
            plan_day(officer, agency, leader, on=date(2026, 6, 30), online=True)
        assert "offers_online" in caught.value.message_dict
        assert plan_day(officer, agency, leader, on=date(2026, 7, 1), online=True).offers_online


def test_an_ad_hoc_reception_needs_its_reason(officer, agency, leader):
    with pytest.raises(ValidationError):
        services.day_plan(
            actor=officer,
            agency=agency,
            plan=services.DayPlan(
                leader=leader,
                kind=DayKind.AD_HOC,
                date=DAY,
                starts_at=timekeeping.now().time().replace(hour=8),
                ends_at=timekeeping.now().time().replace(hour=10),
                place="Trụ sở",
            ),
        )


def test_cancelling_a_day_cancels_its_bookings_and_tells_the_citizens_after_commit(
    day, officer, django_capture_on_commit_callbacks
):
    first = book(day, 1).booking
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.day_cancel(day=day, actor=officer, reason="Lãnh đạo họp Tỉnh ủy")
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert _fresh(first).status == BookingStatus.CANCELLED
    assert _booking_events(first)[-1] == ("cancel", "requested", "cancelled")
    assert len(mail.outbox) == 1
    assert "DK-2026-000001" in mail.outbox[0].subject


# --- bookings ------------------------------------------------------------------------------


def test_a_citizen_books_a_place_with_a_code_and_a_sealed_id_number(day):
    booked = book(day, 7)
    booking = booked.booking
    assert booking.reference == "DK-2026-000001"
    assert booking.status == BookingStatus.REQUESTED
    assert code_matches(booked.code, booking.code_hash)
    stored = Booking.objects.filter(pk=booking.pk).values_list("identity", flat=True).get()
    assert "037080000007" not in stored and "Nguyễn" not in stored
    assert unseal(stored).id_number == "037080000007"
    assert _booking_events(booking) == [("book", "", "requested")]


def test_the_citizen_is_emailed_only_after_the_booking_commits(
    day, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        book(day, 1)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["an.nv@example.vn"]
    # The e-mail names the booking, never the citizen's ID number.
    assert "037080000001" not in mail.outbox[0].body


def test_the_office_hears_of_a_new_booking_in_the_bell(day, officer):
    book(day, 1)
    assert Notice.objects.filter(user=officer, kind="booking.new").count() == 1


def test_a_full_day_refuses_another_booking(officer, agency, leader):
    day = published_day(officer, agency, leader, capacity=1)
    book(day, 1)
    with pytest.raises(ValidationError) as caught:
        book(day, 2)
    assert "hết chỗ" in caught.value.message_dict["day"][0]
    assert Booking.objects.count() == 1


def test_the_same_id_number_holds_one_place_a_day(day):
    book(day, 1)
    with pytest.raises(ValidationError):
        book(day, 1)


def test_a_planned_or_passed_day_takes_no_booking(officer, agency, leader):
    planned = plan_day(officer, agency, leader)
    with pytest.raises(ValidationError):
        book(planned, 1)


def test_online_is_refused_on_a_day_that_does_not_offer_it(day):
    with pytest.raises(ValidationError) as caught:
        book(day, 1, mode=Mode.ONLINE)
    assert "mode" in caught.value.message_dict


def test_the_office_confirms_and_the_citizen_is_told(
    day, officer, django_capture_on_commit_callbacks
):
    booking = book(day, 1).booking
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_confirm(booking=booking, actor=officer, note="Mời ông đến đúng giờ.")
    assert _fresh(booking).status == BookingStatus.CONFIRMED
    assert len(mail.outbox) == 1
    assert "Mời ông đến đúng giờ." in mail.outbox[0].body


def test_confirming_twice_is_refused(day, officer):
    booking = book(day, 1).booking
    services.booking_confirm(booking=booking, actor=officer)
    with pytest.raises(TransitionNotAllowed):
        services.booking_confirm(booking=_fresh(booking), actor=officer)


def test_a_stale_booking_loses_the_race(day, officer):
    booking = book(day, 1).booking
    stale = _fresh(booking)
    services.booking_cancel(booking=booking, actor=CITIZEN)
    with pytest.raises(ConcurrentChange):
        services.booking_confirm(booking=stale, actor=officer)
    assert len(_booking_events(booking)) == 2


def test_only_the_days_reception_office_works_its_bookings(day, handler, lead, outsider):
    booking = book(day, 1).booking
    for actor in (handler, lead, outsider):
        with pytest.raises(NotPermitted):
            services.booking_confirm(booking=booking, actor=actor)


def test_the_office_proposes_another_day_and_the_citizen_takes_it(officer, agency, leader, day):
    other = published_day(officer, agency, leader, on=date(2026, 12, 17))
    booking = book(day, 1).booking
    services.booking_propose(booking=booking, actor=officer, proposed_day=other)
    booking = _fresh(booking)
    assert booking.status == BookingStatus.PROPOSED
    assert moves.citizen_actions(booking) == {"accept_proposal", "move", "cancel"}
    services.booking_accept_proposal(booking=booking)
    booking = _fresh(booking)
    assert (booking.status, booking.day_id, booking.proposed_day_id) == (
        BookingStatus.CONFIRMED,
        other.pk,
        None,
    )


def test_a_proposal_must_be_a_published_day_of_the_same_agency(officer, agency, leader, day):
    planned = plan_day(officer, agency, leader, on=date(2026, 12, 17))
    booking = book(day, 1).booking
    with pytest.raises(ValidationError):
        services.booking_propose(booking=booking, actor=officer, proposed_day=planned)
    with pytest.raises(ValidationError):
        services.booking_propose(booking=booking, actor=officer, proposed_day=day)


def test_the_citizen_moves_a_confirmed_booking_and_it_waits_for_confirmation_again(
    officer, agency, leader, day
):
    other = published_day(officer, agency, leader, on=date(2026, 12, 17))
    booking = book(day, 1).booking
    services.booking_confirm(booking=booking, actor=officer)
    services.booking_move(booking=_fresh(booking), to_day=other)
    booking = _fresh(booking)
    assert (booking.status, booking.day_id) == (BookingStatus.REQUESTED, other.pk)


def test_the_citizen_cancels_and_the_system_may_too(day):
    first, second = book(day, 1).booking, book(day, 2).booking
    services.booking_cancel(booking=first, actor=CITIZEN, reason="Bận việc")
    services.booking_cancel(booking=second, actor=SYSTEM)
    assert {_fresh(first).status, _fresh(second).status} == {BookingStatus.CANCELLED}


def test_attendance_is_recorded_on_or_after_the_day_only(day, officer):
    booking = book(day, 1).booking
    services.booking_confirm(booking=booking, actor=officer)
    with pytest.raises(TransitionNotAllowed):
        services.booking_attend(booking=_fresh(booking), actor=officer)
    with at(2026, 12, 10, 10):
        services.booking_attend(booking=_fresh(booking), actor=officer)
    assert _fresh(booking).status == BookingStatus.ATTENDED


def test_absence_is_recorded_too(day, officer):
    booking = book(day, 1).booking
    services.booking_confirm(booking=booking, actor=officer)
    with at(2026, 12, 11):
        services.booking_absent(booking=_fresh(booking), actor=officer)
    assert _fresh(booking).status == BookingStatus.ABSENT


def test_a_booking_matter_longer_than_a_few_lines_is_refused(day):
    with pytest.raises(ValidationError):
        services.booking_create(
            day=day, visitor=visitor(1), field="land", matter="x" * 1001, mode=Mode.IN_PERSON
        )


# --- reminders -----------------------------------------------------------------------------


def test_reminders_reach_the_leader_and_the_office_once_before_and_on_the_day(day, lead, officer):
    assert reminders.remind_due(today=date(2026, 12, 7)) == 0
    assert reminders.remind_due(today=date(2026, 12, 8)) == 1
    assert reminders.remind_due(today=date(2026, 12, 8)) == 0  # claimed: never twice
    soon = Notice.objects.filter(kind="reminder.due_soon")
    assert {n.user_id for n in soon} == {lead.pk, officer.pk}
    assert reminders.remind_due(today=DAY) == 1
    assert Notice.objects.filter(kind="reminder.due_today").count() == 4  # bell + e-mail each
    # The day after, only the office hears: record whether it was held.
    assert reminders.remind_due(today=DAY + timedelta(days=1)) == 1
    overdue = Notice.objects.filter(kind="reminder.overdue")
    assert {n.user_id for n in overdue} == {officer.pk}


def test_a_day_recorded_as_held_says_nothing_more(day, officer):
    with at(2026, 12, 10, 15):
        services.day_hold(day=day, actor=officer)
    assert reminders.remind_due(today=DAY + timedelta(days=1)) == 0


# --- every move loses a race against a change made since it was read ----------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("confirm", {}),
        ("hold", {}),
        ("miss", {}),
        ("cancel", {"reason": "Họp đột xuất"}),
    ],
)
def test_each_day_move_on_a_stale_copy_raises_and_writes_nothing(day, officer, lead, name, data):
    stale = _fresh(day)
    services.day_delegate(
        day=day, actor=officer, delegate_name="Hoàng Văn Thắng", delegate_title="Phó Chủ tịch"
    )
    before = len(_day_events(day))
    actor = lead if name == "confirm" else officer
    with at(2026, 12, 10, 15), pytest.raises(ConcurrentChange):
        moves.run_day(name, stale, actor, data)
    assert len(_day_events(day)) == before


@pytest.mark.parametrize("name", ["confirm", "propose", "cancel", "attend", "absent"])
def test_each_booking_move_on_a_stale_copy_raises_and_writes_nothing(
    officer, agency, leader, day, name
):
    other = published_day(officer, agency, leader, on=date(2026, 12, 17))
    booking = book(day, 1).booking
    if name in ("attend", "absent"):
        services.booking_confirm(booking=booking, actor=officer)
    stale = _fresh(booking)
    with at(2026, 12, 10, 15):
        if name in ("attend", "absent"):
            services.booking_absent(booking=_fresh(booking), actor=officer)
        else:
            services.booking_cancel(booking=_fresh(booking), actor=CITIZEN)
        before = len(_booking_events(booking))
        data = {"proposed_day": other} if name == "propose" else {}
        if name in ("attend", "absent"):
            stale.status = BookingStatus.CONFIRMED
        with pytest.raises(ConcurrentChange):
            moves.run_booking(name, stale, officer, data)
    assert len(_booking_events(booking)) == before
