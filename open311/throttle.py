"""Rate limits: per partner key (its own allowance an hour) for calls that carry one,
per client address for anonymous reads."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from casework.throttle import allow

from .models import Partner

# Anonymous reads (GET services, requests) per client address and hour: enough for a
# kiosk refreshing its list, not for scraping every reference.
ANONYMOUS_PER_HOUR = 1200


def allow_partner(partner: Partner) -> bool:
    """Count this call against the partner's hour; False once it is used up."""
    hour = timezone.now().strftime("%Y%m%d%H")
    key = f"throttle:open311:partner:{partner.pk}:{hour}"
    cache.add(key, 0, timeout=3700)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3700)
        count = 1
    return count <= partner.requests_per_hour


def allow_anonymous(request: HttpRequest) -> bool:
    return allow(request, "open311-read", ANONYMOUS_PER_HOUR)
