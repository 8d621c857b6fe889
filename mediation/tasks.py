from __future__ import annotations

from celery import shared_task

from . import reminders


@shared_task(name="mediation.tasks.send_reminders", acks_late=True)
def send_reminders() -> int:
    """Send every mediation deadline reminder that has come due (one case at a time)."""
    return reminders.remind_due()
