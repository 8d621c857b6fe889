"""Issue 14, item 8: the "long overdue" boundary is not a legal deadline, so it is not
rolled forward off a day off (only the legal due date is)."""

from __future__ import annotations

from datetime import date

import pytest

from agencies.clocks import Phase, start_clock
from agencies.models import DeadlinePolicy
from agencies.workdays import add_days, long_overdue_after

pytestmark = pytest.mark.django_db


def test_a_calendar_boundary_inside_tet_2027_stays_on_its_day():
    # 30 calendar days from Thu 24/12/2026: Sat 23/01/2027 → rolled to Mon 25/01 (legal
    # due date). Half the period again, 15 days, is Mon 09/02/2027, the fourth day of
    # Tết: the boundary stays there instead of moving to Thu 11/02.
    due = add_days(date(2026, 12, 24), 30, working=False)
    assert due.due == date(2027, 1, 25)
    assert long_overdue_after(due) == date(2027, 2, 9)


def test_a_clock_whose_boundary_falls_in_tet_is_long_overdue_during_tet():
    DeadlinePolicy.objects.update_or_create(
        key="test.answer",
        effective_from=date(2020, 1, 1),
        defaults={"days": 30, "working_days": False, "due_soon_days": 3},
    )
    clock = start_clock("test.answer", date(2026, 12, 24))
    assert clock.due_on == date(2027, 1, 25)
    assert clock.long_overdue_on == date(2027, 2, 9)
    # The day after the boundary, still inside Tết, the clock has escalated.
    assert clock.phase(date(2027, 2, 10)) == Phase.LONG_OVERDUE
    assert clock.phase(date(2027, 2, 9)) == Phase.OVERDUE


def test_a_working_day_boundary_still_counts_working_days():
    # 10 WD from Fri 22/01/2027 → Fri 05/02 falls in Tết, counted past it: the due date
    # and the boundary (5 WD more) are both working days.
    due = add_days(date(2027, 1, 22), 10, working=True)
    boundary = long_overdue_after(due)
    assert boundary > due.due
    assert boundary.weekday() < 5
