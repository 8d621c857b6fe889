from __future__ import annotations

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from petitions import facts as petition_facts
from recommendations import tallies as voter_tallies

from . import digest
from .site import HEARTBEAT_KEY


@shared_task(name="dashboards.tasks.weekly_digest")
def weekly_digest() -> int:
    """Send each lead the overdue and due-soon cases of their agencies."""
    return digest.send_weekly_digests()


@shared_task(name="dashboards.tasks.heartbeat")
def heartbeat() -> str:
    """Record that beat scheduled and a worker ran a task (read by /healthz)."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=600)
    return now


@shared_task(name="dashboards.tasks.compact_figures")
def compact_figures() -> None:
    """Fold the delta rows of the figures' facts and tallies into one row per key
    (petitions/facts.py, recommendations/tallies.py); readers sum either way."""
    petition_facts.compact()
    voter_tallies.compact()
