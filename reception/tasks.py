from __future__ import annotations

from celery import shared_task

from . import reminders


@shared_task(name="reception.tasks.send_reminders", acks_late=True)
def send_reminders() -> int:
    """Send every answer reminder that has come due (claimed one visit at a time)."""
    return reminders.remind_due()
