"""Celery entry points: ids in, services called."""

from __future__ import annotations

import logging

from celery import Task, shared_task

from . import services

logger = logging.getLogger(__name__)

# Celery holds a countdown in the worker's memory and Redis redelivers anything
# unacknowledged after its visibility timeout (an hour): longer waits are left to the
# resend sweep, which reads next_attempt_at from the database.
TASK_RETRY_MAX_COUNTDOWN = 600


@shared_task(
    name="notifications.tasks.deliver_notice",
    bind=True,
    acks_late=True,  # a redelivered message is harmless: the claim lets one send win
    max_retries=services.MAX_ATTEMPTS,
)
def deliver_notice(self: Task, notice_id: int) -> str:
    """Send one e-mail from the outbox; on failure retry with exponential backoff."""
    delivery = services.notice_deliver(notice_id=notice_id)
    if (
        delivery.outcome == services.DeliveryOutcome.RETRY
        and delivery.retry_in <= TASK_RETRY_MAX_COUNTDOWN
    ):
        # One second late, so the row is due when the retry claims it.
        raise self.retry(countdown=delivery.retry_in + 1)
    return delivery.outcome.value


@shared_task(name="notifications.tasks.deliver_notices", acks_late=True)
def deliver_notices(notice_ids: list[int]) -> dict[str, int]:
    """Send the e-mails of a batch (a reminder sweep's) one after the other; a failed
    one is retried on its own, like deliver_notice's retries, or by the resend sweep."""
    outcomes: dict[str, int] = {}
    for notice_id in notice_ids:
        delivery = services.notice_deliver(notice_id=notice_id)
        outcomes[delivery.outcome.value] = outcomes.get(delivery.outcome.value, 0) + 1
        if (
            delivery.outcome == services.DeliveryOutcome.RETRY
            and delivery.retry_in <= TASK_RETRY_MAX_COUNTDOWN
        ):
            try:
                deliver_notice.apply_async(args=[notice_id], countdown=delivery.retry_in + 1)
            except Exception:  # the broker is down: the resend sweep retries it
                logger.warning("notice %s: retry not queued", notice_id, exc_info=True)
    return outcomes


@shared_task(name="notifications.tasks.resend_pending", acks_late=True)
def resend_pending() -> int:
    """The sweep: send due e-mails (new, retried, or left by a dead worker) one by one."""
    claimed = services.notice_deliver_due(limit=services.SWEEP_LIMIT)
    if claimed >= services.SWEEP_LIMIT:
        # A backlog (after an outage): keep draining now instead of 200 a minute.
        try:
            resend_pending.apply_async(retry=False)
        except Exception:  # the broker is down again; beat will call us in a minute
            logger.warning("could not queue the next resend sweep", exc_info=True)
    return claimed
