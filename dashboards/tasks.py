from __future__ import annotations

from celery import shared_task

from . import digest


@shared_task(name="dashboards.tasks.weekly_digest")
def weekly_digest() -> int:
    """Send each lead the overdue and due-soon cases of their agencies."""
    return digest.send_weekly_digests()
