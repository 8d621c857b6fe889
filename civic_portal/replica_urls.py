"""DATABASE_REPLICA_URL to read-only DATABASES entries `replica`, `replica_2`, …

One URL, or several separated by commas. A comma inside one URL's host list (a libpq
multi-host URL, civic_portal.database_url) stays in that URL: a new URL starts only where
a comma is followed by a scheme (`postgres://`). Which views read from them, and how a
replica that is down is skipped: casework/replicas.py.
"""

from __future__ import annotations

import re
from typing import Any

from civic_portal.database_url import parse_database_url

_NEXT_URL = re.compile(r",\s*(?=[A-Za-z][A-Za-z0-9+.-]*://)")


def replica_alias(index: int) -> str:
    return "replica" if index == 0 else f"replica_{index + 1}"


def replica_databases(
    value: str, *, conn_max_age: int, connect_timeout: int, session: str = "-c jit=off"
) -> dict[str, Any]:
    """{"replica": {...}, "replica_2": {...}} for the URLs in `value` ("" -> {});
    `session`: the primary's session settings (libpq `options`), which they share."""
    urls = [url.strip() for url in _NEXT_URL.split(value.strip()) if url.strip()]
    databases: dict[str, Any] = {}
    for index, url in enumerate(urls):
        config = parse_database_url(url, conn_max_age=conn_max_age, conn_health_checks=True)
        if config.get("ENGINE") == "django.db.backends.postgresql":
            options = config.setdefault("OPTIONS", {})
            # A replica refuses writes by itself; a URL that names a primary by mistake
            # refuses them too.
            options.setdefault("options", f"{session} -c default_transaction_read_only=on")
            # Short: a replica that does not answer is skipped for the primary.
            options.setdefault("connect_timeout", connect_timeout)
        # Tests: the replica alias reads the test database under the replica's host (the
        # primary's test database streams to a real replica by itself).
        config["TEST"] = {"MIRROR": "default"}
        databases[replica_alias(index)] = config
    return databases
