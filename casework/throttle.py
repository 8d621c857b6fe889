"""Per-client attempt limits in the cache (fixed one-hour windows), for forms that
strangers can post: petitions, tracking lookups, staff login."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone


def client_address(request: HttpRequest) -> str:
    # Behind our reverse proxy (USE_X_FORWARDED_PROTO) the client is the hop the proxy
    # appended last; earlier hops were written by the client and prove nothing.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def allow(request: HttpRequest, action: str, limit: int, *, extra: str = "") -> bool:
    """Count this attempt; False once the client has used up the hour's allowance."""
    hour = timezone.now().strftime("%Y%m%d%H")
    key = f"throttle:{action}:{client_address(request)}:{extra}:{hour}"
    cache.add(key, 0, timeout=3700)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3700)
        count = 1
    return count <= limit
