from __future__ import annotations

from celery import shared_task

from . import reminders


@shared_task(name="verdict.tasks.send_reminders", acks_late=True)
def send_reminders() -> int:
    """Ask once more the citizens who have not answered (claimed one reminder at a time)."""
    return reminders.remind_due()
