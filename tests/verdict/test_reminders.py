"""The one reminder to give an opinion: N days after the resolution, exactly once, even
when the sweep runs twice (casework.reminders.Sweep's guarded claim)."""

from __future__ import annotations

import pytest

from notifications.models import Notice
from petitions.models import Petition
from verdict import reminders, services
from verdict.models import AskReminder

from .conftest import at, resolve, resolved_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seven_days(settings):
    settings.VERDICT_REMINDER_DAYS = 7


def _sweep(day: tuple[int, ...]) -> int:
    with at(*day):
        return reminders.remind_due()


def _asks() -> list[Notice]:
    return list(Notice.objects.filter(kind="verdict.ask"))


def test_the_reminder_is_sent_once_n_days_after_the_resolution(agency, lead):
    resolved_case(agency, lead)  # resolved 20/03
    assert _sweep((2026, 3, 26)) == 0 and _asks() == []
    assert _sweep((2026, 3, 27)) == 1
    assert _sweep((2026, 3, 27)) == 0  # the same day again: nothing left to claim
    assert _sweep((2026, 3, 30)) == 0
    (notice,) = _asks()
    assert notice.channel == "email" and "/y-kien/" in notice.body_text
    assert "?t=" in notice.body_text  # the signed link: no tracking code needed
    assert AskReminder.objects.get().sent


def test_two_sweeps_at_once_send_one_reminder(agency, lead):
    resolved_case(agency, lead)
    with at(2026, 3, 28):
        reminders.enrol()
        # Two workers claim in turn; the second finds the row already moved.
        assert reminders.SWEEP.remind_one() is True
        assert reminders.SWEEP.remind_one() is False
    assert len(_asks()) == 1


def test_a_citizen_who_answered_is_not_reminded(agency, lead):
    petition = resolved_case(agency, lead)
    with at(2026, 3, 22):
        services.answer_give(petition=petition, settled=True, score=5)
    _sweep((2026, 3, 28))
    assert _asks() == []


def test_a_citizen_without_an_e_mail_is_not_enrolled(agency, lead):
    resolved_case(agency, lead, email="")
    _sweep((2026, 3, 28))
    assert not AskReminder.objects.exists() and _asks() == []


def test_a_case_resolved_again_after_reopening_is_not_asked_twice(agency, lead):
    petition = resolved_case(agency, lead)
    _sweep((2026, 3, 28))
    with at(2026, 3, 29):
        services.answer_give(petition=petition, settled=False, score=2)
        services.petition_reopen_by_citizen(petition=petition, reason="Chưa sửa xong đường.")
    resolve(Petition.objects.get(pk=petition.pk), lead, (2026, 4, 2))
    _sweep((2026, 4, 15))
    assert len(_asks()) == 1
