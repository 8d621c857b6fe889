"""Rate limits: per partner key (its own allowance an hour) for calls that carry one,
per client address for anonymous reads."""

from __future__ import annotations

from django.http import HttpRequest

from casework.throttle import allow, allow_hourly

from .models import Partner

# Anonymous reads (GET services, requests) per client address and hour: enough for a
# kiosk refreshing its list, not for scraping every reference.
ANONYMOUS_PER_HOUR = 1200


def allow_partner(partner: Partner) -> bool:
    """Count this call against the partner's hour; False once it is used up."""
    return allow_hourly(f"open311:partner:{partner.pk}", partner.requests_per_hour)


def allow_anonymous(request: HttpRequest) -> bool:
    return allow(request, "open311-read", ANONYMOUS_PER_HOUR)
