from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .workdays import WorkCalendar


@shared_task(name="agencies.tasks.calendar_warmup")
def calendar_warmup() -> int:
    """Load the next two years of the public-holiday calendar into this worker's memory."""
    today = timezone.localdate()
    cal = WorkCalendar.load(today, today + timedelta(days=730))
    return sum(1 for n in range(730) if not cal.is_working_day(today + timedelta(days=n)))
