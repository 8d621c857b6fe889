"""The Celery application: configuration from Django settings, tasks from each app."""

from __future__ import annotations

import os

from celery import Celery, shared_task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic_portal.settings")

app = Celery("civic_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

HEARTBEAT_KEY = "civic:celery-heartbeat"


@shared_task(name="civic_portal.celery.heartbeat")
def heartbeat() -> str:
    """Record that beat scheduled and a worker ran a task (read by /healthz)."""
    from django.core.cache import cache
    from django.utils import timezone

    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=600)
    return now
