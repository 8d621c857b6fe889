"""The 3-day start (Luật Hòa giải ở cơ sở, Điều 20(2)): three calendar days from the
assignment, a last day off moving it to the next working day; and its reminders."""

from datetime import date

import pytest

from agencies.models import DeadlinePolicy
from agencies.workdays import DueDate
from mediation import reminders, services
from notifications.models import Notice
from tests.mediation.conftest import at, open_grassroots

pytestmark = pytest.mark.django_db


def _assign_on(world, day: date):
    with at(day.year, day.month, day.day):
        case = open_grassroots(world)
        services.case_assign(case=case, actor=world.leader.user, mediator=world.mediator)
    case.refresh_from_db()
    return case


def test_the_start_clock_is_a_policy_row_with_its_legal_basis():
    policy = DeadlinePolicy.objects.get(key="mediation.start")
    assert (policy.days, policy.working_days) == (3, False)
    assert "Điều 20" in policy.legal_basis
    land = DeadlinePolicy.objects.get(key="mediation.land")
    assert land.days == 30 and "chưa xác minh" in land.legal_basis


def test_assigned_on_a_thursday_the_start_due_on_sunday_moves_to_monday(world):
    case = _assign_on(world, date(2026, 3, 5))
    assert case.clock_due_on == date(2026, 3, 9)
    explanation = DueDate.from_dict(case.clock_rule).explain()
    assert "08/03/2026" in explanation  # the Sunday it moved from


def test_assigned_on_a_tuesday_the_start_is_due_on_friday(world):
    assert _assign_on(world, date(2026, 3, 3)).clock_due_on == date(2026, 3, 6)


def test_assigned_just_before_tet_the_start_moves_past_the_holiday(world):
    # Thursday 12/02/2026 + 3 = Sunday 15/02; Tết runs 16–20/02, then a weekend.
    case = _assign_on(world, date(2026, 2, 12))
    assert case.clock_due_on == date(2026, 2, 23)


def test_the_reminder_sweep_tells_the_mediator_and_leader_once_per_step(world):
    case = _assign_on(world, date(2026, 3, 2))  # due 05/03
    assert case.next_reminder_on == case.clock_due_soon_on
    with at(2026, 3, 5):
        assert reminders.remind_due(today=date(2026, 3, 5)) == 1
        assert reminders.remind_due(today=date(2026, 3, 5)) == 0
    kinds = set(
        Notice.objects.filter(kind="reminder.due_today").values_list("user__username", flat=True)
    )
    assert kinds == {"hoagiai", "totruong"}
    with at(2026, 3, 6):
        reminders.remind_due(today=date(2026, 3, 6))
    overdue = set(
        Notice.objects.filter(kind="reminder.overdue").values_list("user__username", flat=True)
    )
    assert overdue == {"hoagiai", "totruong", "lanhdao.xa"}


def test_a_first_session_silences_the_start_reminders(world):
    case = _assign_on(world, date(2026, 3, 2))
    with at(2026, 3, 3):
        services.case_record_session(
            case=case, actor=world.mediator.user, held_on=date(2026, 3, 3), place="Nhà văn hóa"
        )
    assert reminders.remind_due(today=date(2026, 3, 10)) == 0
    assert not Notice.objects.filter(kind__startswith="reminder.").exists()
