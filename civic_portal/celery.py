"""The Celery application: configuration from Django settings, tasks from each app
(the heartbeat that /healthz reads is `dashboards.tasks.heartbeat`)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic_portal.settings")

app = Celery("civic_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
