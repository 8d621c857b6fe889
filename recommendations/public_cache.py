"""The figures on the public results pages, cached per council and dropped after every
committed change to that council's recommendations.

The cache is generational: every key carries the council's current version, and a
change bumps the version (services queue the bump with `transaction.on_commit`, so a
reader can never re-cache the data of a transaction that is still open or rolled back).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")
TIMEOUT = 60 * 60  # an hour: a bump makes old entries unreachable long before that


def _version_key(council_id: int) -> str:
    return f"recommendations:public:version:{council_id}"


def version(council_id: int) -> int:
    value = cache.get(_version_key(council_id))
    if value is None:
        # A fresh value, never a counter restarting at 1, so that an evicted version
        # can never make stale entries reachable again.
        value = time.time_ns()
        cache.set(_version_key(council_id), value, None)
    return int(value)


def bump(council_id: int) -> None:
    cache.set(_version_key(council_id), time.time_ns(), None)


def cached(council_id: int, name: str, compute: Callable[[], T]) -> T:
    key = f"recommendations:public:{council_id}:{version(council_id)}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
