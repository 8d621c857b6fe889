"""Celery for the notification tests: eager by default, a chosen broker on demand."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import kombu.pools
import pytest
from celery import Celery

from civic_portal.celery import app as celery_app

# A port nobody listens on: publishing there is refused at once.
CLOSED_BROKER_URL = "redis://127.0.0.1:6399/0"


def _drop_broker_pools(app: Celery) -> None:
    # Celery caches its pools, and kombu keeps them per URL process-wide: close them
    # all so the next publish connects afresh to whatever the URL now is.
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str) -> Iterator[Celery]:
    """Publish to `url` for real (not eagerly) inside the block."""
    saved = (celery_app.conf.broker_url, celery_app.conf.task_always_eager)
    celery_app.conf.broker_url = url
    celery_app.conf.task_always_eager = False
    _drop_broker_pools(celery_app)
    try:
        yield celery_app
    finally:
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = saved
        _drop_broker_pools(celery_app)


@pytest.fixture(autouse=True)
def eager_celery() -> Iterator[None]:
    """Tasks queued after commit run in the test process, never in the dev broker."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved
