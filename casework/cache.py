"""Redis as a cache that an outage of Redis degrades instead of breaking.

With REDIS_URL set, one Redis server is both Celery's broker and Django's cache (rate
limits, the public figures, the beat heartbeat). Django's own backend raises on every
call while that server is down, so a dead broker would turn a citizen's submission
into a server error at the rate limit, before the petition is even read. While Redis
cannot be reached, this backend behaves as an empty cache that forgets what it is
given: reads miss, writes are dropped, `incr` finds no key (ValueError, as for an
expired one). Callers already handle all three: figures are computed afresh, and
`casework.throttle` counts the attempt as the hour's first, so limits open up for
the outage rather than refuse everybody. The outage is logged, at most every
`WARN_EVERY_SECONDS` per process. Errors that are not about reaching the server
(a wrong type, a bad command) still raise.

Opening up is right for a citizen's form, not for a limit that guards a secret (wrong
two-factor codes): such a caller asks `reachable()` first and refuses while it is False.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
WARN_EVERY_SECONDS = 10.0

_warned_at = 0.0
_warn_lock = threading.Lock()


def _unreachable(operation: str, error: Exception) -> None:
    global _warned_at
    now = time.monotonic()
    with _warn_lock:
        if now - _warned_at < WARN_EVERY_SECONDS:
            return
        _warned_at = now
    logger.warning(
        "cache unreachable (%s: %s): serving as an empty cache until it is back",
        operation,
        error,
    )


class ForgivingRedisCacheClient(RedisCacheClient):
    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        try:
            return super().add(key, value, timeout)
        except UNREACHABLE as error:
            _unreachable("add", error)
            return True  # an empty cache takes a new key

    def get(self, key: Any, default: Any) -> Any:
        try:
            return super().get(key, default)
        except UNREACHABLE as error:
            _unreachable("get", error)
            return default

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        try:
            super().set(key, value, timeout)
        except UNREACHABLE as error:
            _unreachable("set", error)

    def touch(self, key: Any, timeout: Any) -> bool:
        try:
            return super().touch(key, timeout)
        except UNREACHABLE as error:
            _unreachable("touch", error)
            return False

    def delete(self, key: Any) -> bool:
        try:
            return super().delete(key)
        except UNREACHABLE as error:
            _unreachable("delete", error)
            return False

    def get_many(self, keys: Iterable[Any]) -> dict[Any, Any]:
        try:
            return super().get_many(keys)
        except UNREACHABLE as error:
            _unreachable("get_many", error)
            return {}

    def has_key(self, key: Any) -> bool:
        try:
            return super().has_key(key)
        except UNREACHABLE as error:
            _unreachable("has_key", error)
            return False

    def incr(self, key: Any, delta: int) -> Any:
        try:
            return super().incr(key, delta)
        except UNREACHABLE as error:
            _unreachable("incr", error)
            # What Django raises for a key that is not there.
            raise ValueError(f"Key '{key!r}' not found (cache unreachable).") from error

    def set_many(self, data: Mapping[Any, Any], timeout: Any) -> None:
        try:
            super().set_many(data, timeout)
        except UNREACHABLE as error:
            _unreachable("set_many", error)

    def delete_many(self, keys: Iterable[Any]) -> None:
        try:
            super().delete_many(keys)
        except UNREACHABLE as error:
            _unreachable("delete_many", error)

    def clear(self) -> bool:
        try:
            return super().clear()
        except UNREACHABLE as error:
            _unreachable("clear", error)
            return False


class ForgivingRedisCache(RedisCache):
    """CACHES["default"]["BACKEND"] = "casework.cache.ForgivingRedisCache"."""

    # Django's cached property, built from _class below (undeclared in the stubs).
    _cache: ForgivingRedisCacheClient

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ForgivingRedisCacheClient


def reachable(alias: str = "default") -> bool:
    """Whether the cache `alias` can be reached now (one PING; always True for a cache
    that is not Redis): for limits that must close, not open, during an outage."""
    backend = caches[alias]
    if not isinstance(backend, ForgivingRedisCache):
        return True
    try:
        return bool(backend._cache.get_client(write=True).ping())
    except UNREACHABLE:
        return False
