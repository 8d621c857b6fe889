"""The citizen-facing limits: submissions and tracking lookups per client and hour."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from casework.throttle import allow

# Tracking codes are long, but guessing must stay slow: a few dozen tries an hour.
TRACKING_ATTEMPTS_PER_HOUR = 30


def allow_submission(request: HttpRequest) -> bool:
    return allow(request, "petition-submit", settings.SUBMISSION_RATE_LIMIT)


def allow_tracking_attempt(request: HttpRequest) -> bool:
    return allow(request, "petition-track", TRACKING_ATTEMPTS_PER_HOUR)
