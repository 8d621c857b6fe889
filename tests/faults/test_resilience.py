"""The small parts the fault tests rely on, checked in the ordinary (fast) suite: the
multi-host DATABASE_URL and the cache that a Redis outage cannot break."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db.utils import ConnectionHandler
from django.test import RequestFactory

from casework import cache as forgiving
from casework.throttle import allow
from civic_portal.database_url import parse_database_url

# A port nobody listens on: every connection is refused at once.
CLOSED = "redis://127.0.0.1:6399/0"


# --- DATABASE_URL --------------------------------------------------------------------------


def test_a_multi_host_url_becomes_libpq_host_and_port_lists():
    config = parse_database_url(
        "postgres://portal:s%40cret@10.0.0.11:5432,10.0.0.12:6432/civic"
        "?target_session_attrs=read-write",
        conn_max_age=60,
        conn_health_checks=True,
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"]) == ("10.0.0.11,10.0.0.12", "5432,6432")
    assert (config["USER"], config["PASSWORD"], config["NAME"]) == ("portal", "s@cret", "civic")
    assert config["OPTIONS"] == {"target_session_attrs": "read-write"}
    assert config["CONN_MAX_AGE"] == 60 and config["CONN_HEALTH_CHECKS"] is True


def test_hosts_without_a_port_get_the_default_one_and_ipv6_keeps_its_brackets_out():
    config = parse_database_url("postgresql://u@db1,[::1]:6000,db3/x")
    assert config["HOST"] == "db1,::1,db3"
    assert config["PORT"] == "5432,6000,5432"


def test_a_single_host_url_is_read_as_before():
    config = parse_database_url("postgres://u@127.0.0.1:5432/civic")
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("127.0.0.1", 5432, "civic")
    assert parse_database_url("sqlite:////srv/civic.sqlite3")["NAME"] == "/srv/civic.sqlite3"


@pytest.mark.parametrize("url", ["postgres://u@h1:5432,,h2/db", "postgres://u@h1:five,h2/db"])
def test_a_malformed_host_list_is_refused_with_a_reason(url):
    with pytest.raises(ValueError, match="DATABASE_URL"):
        parse_database_url(url)


def test_django_hands_both_hosts_and_the_session_attribute_to_libpq():
    config = parse_database_url(
        "postgres://postgres@127.0.0.1:55433,127.0.0.1:55434/civic?target_session_attrs=read-write"
    )
    params = ConnectionHandler({"default": config})["default"].get_connection_params()
    assert params["host"] == "127.0.0.1,127.0.0.1"
    assert params["port"] == "55433,55434"
    assert params["target_session_attrs"] == "read-write"


# --- the cache while Redis is down ---------------------------------------------------------


@pytest.fixture
def redis_down(settings):
    forgiving._warned_at = 0.0
    settings.CACHES = {
        "default": {
            "BACKEND": "casework.cache.ForgivingRedisCache",
            "LOCATION": CLOSED,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def test_an_unreachable_cache_reads_as_empty_and_forgets_writes(redis_down, caplog):
    assert cache.get("figures", "absent") == "absent"
    cache.set("figures", 1)
    assert cache.add("figures", 1) is True
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("figures") is False
    assert cache.delete("figures") is False
    assert cache.get_or_set("figures", lambda: 42) == 42
    with pytest.raises(ValueError):
        cache.incr("figures")
    # One warning for the outage, not one per call.
    assert caplog.text.count("cache unreachable") == 1


def test_the_rate_limit_lets_citizens_through_while_the_cache_is_down(redis_down):
    request = RequestFactory().post("/gui-don/")
    assert all(allow(request, "petition-submit", 1) for _ in range(5))


def test_a_limit_that_must_close_can_ask_whether_the_cache_is_there(redis_down):
    assert forgiving.reachable() is False


def test_any_other_cache_counts_as_reachable():
    assert forgiving.reachable() is True  # the tests' local-memory cache


def test_djangos_own_backend_would_have_refused_them(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED,
        }
    }
    from redis.exceptions import ConnectionError as RedisConnectionError

    with pytest.raises(RedisConnectionError):
        allow(RequestFactory().post("/gui-don/"), "petition-submit", 1)
