"""Per-client limit on citizen submissions (a fixed one-hour window in the cache)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone


def client_address(request: HttpRequest) -> str:
    # Behind a trusted proxy (USE_X_FORWARDED_PROTO) the client is the first forwarded hop.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The hop our proxy appended last; earlier ones were written by the client.
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def allow_submission(request: HttpRequest) -> bool:
    """Count this attempt; False once the client has used up the hour's allowance."""
    return _allow(request, "submit", settings.SUBMISSION_RATE_LIMIT)


# Tracking codes are long, but guessing must stay slow: a few dozen tries an hour.
TRACKING_ATTEMPTS_PER_HOUR = 30


def allow_tracking_attempt(request: HttpRequest) -> bool:
    return _allow(request, "track", TRACKING_ATTEMPTS_PER_HOUR)


def _allow(request: HttpRequest, action: str, limit: int) -> bool:
    hour = timezone.now().strftime("%Y%m%d%H")
    key = f"petitions:{action}:{client_address(request)}:{hour}"
    cache.add(key, 0, timeout=3700)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3700)
        count = 1
    return count <= limit
