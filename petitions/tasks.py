from __future__ import annotations

from celery import shared_task

from . import reminders, services


@shared_task(name="petitions.tasks.close_due_petitions")
def close_due_petitions() -> int:
    """Close resolved petitions whose decision has taken effect."""
    return services.close_due_petitions()


@shared_task(name="petitions.tasks.send_reminders", acks_late=True)
def send_reminders() -> int:
    """Send every deadline reminder that has come due (claimed one case at a time)."""
    return reminders.remind_due()
