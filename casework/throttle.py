"""Per-client attempt limits in the cache (fixed one-hour windows), for forms that
strangers can post: petitions and tracking lookups. Staff login (both login pages) is
limited by django-axes, which reads the client and the username through the two
functions here."""

from __future__ import annotations

import ipaddress
import unicodedata
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


def client_address(request: HttpRequest) -> str:
    # Behind our reverse proxy (USE_X_FORWARDED_PROTO) the client is the hop the proxy
    # appended last; earlier hops were written by the client and prove nothing.
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def login_address(request: HttpRequest) -> str | None:
    """The client of a login attempt as an IP address (AXES_CLIENT_IP_CALLABLE), or
    None: axes stores it in an address column, which refuses "unknown" or whatever a
    client wrote into X-Forwarded-For (a server error on PostgreSQL)."""
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def login_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The username a login attempt counts against (AXES_USERNAME_CALLABLE): spelled as
    authentication reads it (NFKC, no surrounding blanks), and case-blind, so that
    "xuly ", "ｘｕｌｙ" and "XuLy" share one allowance instead of getting one each."""
    if credentials and credentials.get("username") is not None:
        raw = credentials["username"]
    else:
        raw = request.POST.get("username", "") if request is not None else ""
    return unicodedata.normalize("NFKC", str(raw)).strip().lower()[:150]


def allow(request: HttpRequest, action: str, limit: int, *, extra: str = "") -> bool:
    """Count this attempt; False once the client has used up the hour's allowance."""
    return allow_hourly(f"{action}:{client_address(request)}:{extra}", limit)


def allow_hourly(name: str, limit: int) -> bool:
    """Count one call against the allowance `name` has this hour (a client address, a
    partner's key); False once the hour's `limit` is used up."""
    hour = timezone.now().strftime("%Y%m%d%H")
    key = f"throttle:{name}:{hour}"
    # The hour's first call creates the counter at 1 (one round trip); later ones add.
    if cache.add(key, 1, timeout=3700):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3700)
        count = 1
    return count <= limit


def used_up(name: str, limit: int) -> bool:
    """Whether `name` has spent this hour's allowance, without counting a call (a form
    that counts only its failures: the two-factor code page)."""
    hour = timezone.now().strftime("%Y%m%d%H")
    return int(cache.get(f"throttle:{name}:{hour}") or 0) >= limit


def retry_after() -> int:
    """Seconds until the current window ends and `allow` counts afresh (Retry-After)."""
    now = timezone.now()
    return 3600 - (now.minute * 60 + now.second)


def too_many(response: HttpResponse) -> HttpResponse:
    """`response` as the answer to a client over its allowance: 429 with Retry-After,
    as the login pages answer (django-axes)."""
    response.status_code = 429
    response["Retry-After"] = str(retry_after())
    return response
