from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Q

from notifications.models import Notice
from recommendations import reminders
from recommendations.models import Forwarding

from .factories import answer, forwarded, forwarding_of

pytestmark = pytest.mark.django_db


def _kinds(user) -> list[str]:
    return list(
        Notice.objects.filter(user=user, channel="in_app", kind__startswith="reminder.")
        .order_by("id")
        .values_list("kind", flat=True)
    )


def test_an_unanswered_forwarding_gets_one_reminder_per_phase(
    meeting, staff, department, lead, handler, monitor
):
    item = forwarded(meeting, staff, [department], dispatched_on=date(2026, 8, 3))
    forwarding = forwarding_of(item, department)
    assert forwarding.next_reminder_on == forwarding.answer_due_soon_on
    day = date(2026, 8, 3)
    for _ in range(2):  # two beats
        day = date(2026, 8, 3)
        while day <= forwarding.answer_long_overdue_on + timedelta(days=3):
            reminders.remind_due(today=day)
            day += timedelta(days=1)
    assert _kinds(handler) == ["reminder.due_soon", "reminder.due_today", "reminder.long_overdue"]
    assert _kinds(lead) == [
        "reminder.due_soon",
        "reminder.due_today",
        "reminder.overdue",
        "reminder.long_overdue",
    ]
    assert _kinds(monitor) == ["reminder.long_overdue"]


def test_an_answered_forwarding_is_not_reminded(meeting, staff, department, lead):
    item = forwarded(meeting, staff, [department], dispatched_on=date(2026, 8, 3))
    forwarding = forwarding_of(item, department)
    answer(forwarding, lead)
    assert Forwarding.objects.get(pk=forwarding.pk).next_reminder_on is None
    assert reminders.remind_due(today=forwarding.answer_due_on) == 0


def test_council_staff_hear_when_an_agency_answers(meeting, staff, department, lead):
    item = forwarded(meeting, staff, [department], dispatched_on=date(2026, 8, 3))
    answer(forwarding_of(item, department), lead)
    notice = Notice.objects.get(user=staff, channel="in_app", kind="recommendation.answered")
    assert department.name in notice.subject
    assert Notice.objects.filter(user=staff, channel="email").count() == 1


def test_an_answer_recorded_for_an_earlier_date_tells_nobody(meeting, staff, department, lead):
    item = forwarded(meeting, staff, [department], dispatched_on=date(2026, 7, 20))
    answer(forwarding_of(item, department), lead, answered_on=date(2026, 7, 30))
    assert not Notice.objects.filter(kind="recommendation.answered").exists()


def test_the_reminder_index_is_partial_and_in_the_claims_order():
    # casework.reminders.Sweep claims by (next_reminder_on, pk); answered forwardings
    # (NULL) stay out of the index, as petitions' does (petition_next_reminder).
    index = next(i for i in Forwarding._meta.indexes if i.name == "fwd_next_reminder")
    assert list(index.fields) == ["next_reminder_on", "id"]
    assert index.condition == Q(next_reminder_on__isnull=False)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s", ["fwd_next_reminder"]
            )
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", ["fwd_next_reminder"])
        (definition,) = cursor.fetchone()
    assert "WHERE" in definition.upper() and "IS NOT NULL" in definition.upper()
