"""Reads on PostgreSQL replicas: the figures, never a person's own change.

`DATABASE_REPLICA_URL` (settings) adds read-only aliases `replica`, `replica_2`, … to
DATABASES and lists them in `settings.DATABASE_READ_REPLICAS`. Nothing reads from them
unless a view says so, in an explicit scope:

    @login_required
    @require_GET
    @reading_from_replica()
    def dashboard(request): ...

Inside the scope `ReplicaRouter` sends every read to one replica, chosen at random among
those that answer on the scope's first read and kept for the whole scope (one page's
figures all come from one server, at one replay time). Outside a scope — case pages,
inboxes, forms, the API's case endpoints, every write — everything is the default
database's. Within a scope the router still reads from the primary:

- after the scope's first write (read-your-writes: the rest of the scope is the primary's);
- inside a transaction on the primary (a transaction sees its own rows; so do tests);
- for sessions, users, memberships, two-factor devices, tokens and lockouts (who one is
  and what one may see must not lag behind a change just made).

A replica that refuses the connection (down, restarting, unreachable) is skipped for
`REPLICA_RETRY_SECONDS`: the scope tries the others, then the primary, and the page is
served from there. A replica that dies in the middle of a page fails that one request;
the next one no longer reaches it. `data_as_of()` says how recent the scope's figures
are: the replica's last replayed transaction, or now when it has replayed all it received.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.db.models import Model
from django.utils import timezone

logger = logging.getLogger(__name__)

# How long a replica that refused a connection is left alone (seconds, per process).
REPLICA_RETRY_SECONDS = 30.0
# Apps whose rows decide who the user is and what they may do: always the primary's.
PRIMARY_ONLY_APPS = frozenset(
    {"auth", "sessions", "authtoken", "axes", "django_otp", "otp_totp", "otp_static", "twofactor"}
)
# Memberships say what one may see: a role just taken away must not linger on a replica.
PRIMARY_ONLY_MODELS = frozenset({"agencies.membership"})
# The time a replica's figures are as of; a primary (or a promoted replica) answers now().
AS_OF_SQL = """
SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN now()
  WHEN pg_last_wal_receive_lsn() IS NOT NULL
       AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN now()
  ELSE coalesce(pg_last_xact_replay_timestamp(), now())
END
"""


@dataclass
class _Scope:
    alias: str | None = None  # chosen on the scope's first read
    wrote: bool = False


_scope: ContextVar[_Scope | None] = ContextVar("casework_replica_scope", default=None)
# alias -> time.monotonic() before which it is not tried again.
_down_until: dict[str, float] = {}


def replica_aliases() -> list[str]:
    """The replicas reads may go to (settings: from DATABASE_REPLICA_URL)."""
    return list(getattr(settings, "DATABASE_READ_REPLICAS", []))


def is_replica(alias: str) -> bool:
    """`replica`, `replica_2`, …: the aliases civic_portal.replica_urls names."""
    return alias == "replica" or alias.startswith("replica_")


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Reads within go to a replica (when there is one); a context manager or, called, a
    decorator. Nested scopes are the outer one."""
    if _scope.get() is not None:
        yield
        return
    token = _scope.set(_Scope())
    try:
        yield
    finally:
        _scope.reset(token)


def _answers(alias: str) -> bool:
    connection = connections[alias]
    try:
        # A connection kept from an earlier request is checked first (CONN_HEALTH_CHECKS):
        # one the replica dropped when it restarted is replaced now, or found refused.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except OperationalError as error:
        _down_until[alias] = time.monotonic() + REPLICA_RETRY_SECONDS
        logger.warning(
            "Replica %s refused the connection; left alone for %ss "
            "(another replica or the primary reads instead): %s",
            alias,
            REPLICA_RETRY_SECONDS,
            error,
        )
        return False
    return True


def _choose() -> str:
    now = time.monotonic()
    candidates = [alias for alias in replica_aliases() if _down_until.get(alias, 0.0) <= now]
    random.shuffle(candidates)
    for alias in candidates:
        if _answers(alias):
            return alias
    return DEFAULT_DB_ALIAS


def current_alias() -> str:
    """The alias this scope reads from (choosing it now if no read happened yet); the
    default database outside a scope."""
    scope = _scope.get()
    if scope is None or scope.wrote:
        return DEFAULT_DB_ALIAS
    if scope.alias is None:
        scope.alias = _choose()
    return scope.alias


def data_as_of() -> datetime | None:
    """When the figures read in this scope were current: the replica's replay time (now
    when it has caught up), or now on the primary. None if the replica stopped answering."""
    alias = current_alias()
    if alias == DEFAULT_DB_ALIAS or connections[alias].vendor != "postgresql":
        return timezone.now()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(AS_OF_SQL)
            row = cursor.fetchone()
    except OperationalError:
        logger.warning("Replica %s did not say its replay time.", alias)
        return None
    value = row[0] if row else None
    return value if isinstance(value, datetime) else None


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: reads of a `reading_from_replica()` scope to a replica,
    everything else (every write first of all) to the default database."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        scope = _scope.get()
        # Explicitly, outside a scope too: a row read from a replica does not take the
        # reads of its relations there once the scope is over.
        if (
            scope is None
            or scope.wrote
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or model._meta.label_lower in PRIMARY_ONLY_MODELS
        ):
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return current_alias()

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        scope = _scope.get()
        if scope is not None:
            scope.wrote = True
        # Explicitly: a row read from a replica is saved on the primary, not where it came from.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        if all(
            db is not None and (db == DEFAULT_DB_ALIAS or is_replica(db))
            for db in (obj1._state.db, obj2._state.db)
        ):
            return True
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        # A replica replays the primary's schema; it is never migrated itself.
        return False if is_replica(db) else None
