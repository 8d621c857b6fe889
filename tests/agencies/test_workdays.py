from datetime import date

import pytest
from django.utils import translation

from agencies.models import CalendarDay
from agencies.workdays import (
    EXTRA_DAY_OFF,
    HOLIDAY,
    WEEKEND,
    DueDate,
    add_days,
    long_overdue_after,
    subtract_working_days,
    working_days_between,
)
from tests.factories import CalendarDayFactory

pytestmark = pytest.mark.django_db


def test_ten_working_days_from_the_friday_before_tet_2026_end_on_6_march():
    # Received Fri 13/02/2026; Tết holidays Mon 16 to Fri 20/02 and two weekends are skipped.
    due = add_days(date(2026, 2, 13), 10, working=True)
    assert due.due == date(2026, 3, 6)
    holidays = [s.day for s in due.skipped if s.reason == HOLIDAY]
    assert holidays == [date(2026, 2, d) for d in range(16, 21)]
    assert sum(1 for s in due.skipped if s.reason == WEEKEND) == 6


def test_the_2025_swap_works_saturday_26_april_and_rests_friday_2_may():
    # Thu 24/04/2025 + 5 WD: 25 (Fri), 26 (Sat, make-up working day), 28, 29,
    # then 30/04, 01/05, 02/05 (swapped day off) and the weekend are skipped → Mon 05/05.
    due = add_days(date(2025, 4, 24), 5, working=True)
    assert due.due == date(2025, 5, 5)
    skipped = {s.day for s in due.skipped}
    assert date(2025, 4, 26) not in skipped
    assert date(2025, 5, 2) in skipped


def test_weekends_are_skipped_by_working_days_but_counted_by_calendar_days():
    monday = date(2026, 3, 9)
    assert add_days(monday, 5, working=True).due == date(2026, 3, 16)
    assert add_days(monday, 5, working=False).due == date(2026, 3, 16)  # Sat 14 → Mon 16
    assert add_days(monday, 4, working=False).due == date(2026, 3, 13)


def test_a_calendar_deadline_that_falls_on_a_day_off_moves_to_the_next_working_day():
    # 30 calendar days after 28/01/2026 is Fri 27/02 — a working day; after 17/01 it is
    # Mon 16/02, the eve of Tết, so the deadline moves past Tết and the weekend to 23/02.
    due = add_days(date(2026, 1, 17), 30, working=False)
    assert due.shifted_from == date(2026, 2, 16)
    assert due.due == date(2026, 2, 23)


def test_an_admin_entered_day_off_is_skipped_and_a_make_up_day_is_worked():
    CalendarDayFactory(date=date(2026, 3, 11), kind=CalendarDay.Kind.DAY_OFF, name="Lễ hội")
    CalendarDayFactory(date=date(2026, 3, 14), kind=CalendarDay.Kind.WORKING_DAY, name="Làm bù")
    due = add_days(date(2026, 3, 9), 5, working=True)
    # Tue 10, (Wed 11 off), Thu 12, Fri 13, Sat 14 worked, (Sun 15), Mon 16
    assert due.due == date(2026, 3, 16)
    extra = [s for s in due.skipped if s.reason == EXTRA_DAY_OFF]
    assert [(s.day, s.name) for s in extra] == [(date(2026, 3, 11), "Lễ hội")]


def test_the_explanation_names_the_rule_and_the_holidays_in_vietnamese_and_english():
    due = add_days(date(2026, 2, 13), 10, working=True)
    with translation.override("vi"):
        text = due.explain()
    assert "10 ngày làm việc" in text and "13/02/2026" in text and "Tết" in text
    with translation.override("en"):
        text = due.explain()
    assert "10 working days" in text and "Lunar New Year" in text


def test_a_due_date_survives_a_round_trip_through_json():
    due = add_days(date(2026, 2, 13), 10, working=True)
    assert DueDate.from_dict(due.as_dict()) == due


def test_due_soon_starts_three_working_days_before_the_deadline():
    # Due Fri 06/03/2026: from Tue 03/03 at most 3 WD remain (Wed, Thu, Fri).
    assert subtract_working_days(date(2026, 3, 6), 3) == date(2026, 3, 3)
    assert working_days_between(date(2026, 3, 3), date(2026, 3, 6)) == 3
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 6)) == 4


def test_long_overdue_is_half_the_period_again_after_the_deadline():
    due = add_days(date(2026, 3, 2), 10, working=True)  # Mon 16/03
    assert due.due == date(2026, 3, 16)
    assert long_overdue_after(due) == date(2026, 3, 23)  # 5 WD later


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_days(date(2026, 1, 1), -1, working=True)


def test_a_calendar_day_period_says_weekends_count_and_why_its_last_day_moved():
    # Mon 09/03 + 5 calendar days = Sat 14/03, a day off → Mon 16/03.
    due = add_days(date(2026, 3, 9), 5, working=False)
    with translation.override("en"):
        text = due.explain()
    assert "5 calendar days counted from the day after 09/03/2026" in text
    assert "skipped" not in text  # a calendar-day period skips nothing
    assert "weekends and public holidays count as days of the period" in text
    assert "14/03/2026" in text and "weekend" in text and "16/03/2026" in text
    with translation.override("vi"):
        assert "không tính" not in due.explain()


def test_what_a_push_added_is_said_apart_from_the_period_and_survives_json():
    from agencies.workdays import EXTENSION, SUSPENSION, Addition

    due = add_days(date(2026, 3, 2), 30, working=False)
    pushed = DueDate(
        start=due.start,
        days=42,
        working=False,
        due=date(2026, 4, 13),
        added=(
            Addition(
                SUSPENSION,
                12,
                counted_from=date(2026, 4, 1),
                on=date(2026, 3, 10),
                until=date(2026, 3, 22),
            ),
        ),
    )
    assert DueDate.from_dict(pushed.as_dict()) == pushed
    assert pushed.added[0].reason == SUSPENSION and EXTENSION != SUSPENSION
    with translation.override("en"):
        text = pushed.explain()
    assert "30 calendar days counted from the day after 02/03/2026" in text
    assert "42" not in text
    assert "12" in text and "suspended from 10/03/2026 to 22/03/2026" in text
    assert "01/04/2026" in text
