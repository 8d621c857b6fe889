"""DATABASE_URL to Django's DATABASES entry, libpq's multi-host URLs included.

A primary with a standby that can take over (README "Production: database failover")
is reached through one URL that names both servers, as libpq writes it:

    postgres://portal@10.0.0.11:5432,10.0.0.12:5432/civic?target_session_attrs=read-write

libpq then tries the hosts in turn and keeps the first one that accepts writes, so
after a failover new connections find the new primary by themselves. dj-database-url
cannot read such a URL (a netloc with a comma has no single port), so the host list is
taken out first, the rest is parsed as usual, and the lists go back in as libpq wants
them: HOST "10.0.0.11,10.0.0.12" and PORT "5432,5432" (Django hands both to psycopg
unchanged). Every other URL goes to dj-database-url as it is.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import dj_database_url

POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}
DEFAULT_PORT = "5432"


def _split_hosts(netloc: str) -> tuple[str, list[tuple[str, str]]]:
    """'user:pw@h1:p1,h2' -> ('user:pw@', [('h1', 'p1'), ('h2', '5432')])."""
    credentials, _, hosts = netloc.rpartition("@")
    pairs: list[tuple[str, str]] = []
    for item in hosts.split(","):
        item = item.strip()
        if not item:
            raise ValueError("DATABASE_URL names an empty host in its list of hosts.")
        if item.startswith("["):  # [IPv6]:port
            host, _, rest = item[1:].partition("]")
            port = rest.removeprefix(":")
        else:
            host, _, port = item.partition(":")
        if port and not port.isdigit():
            raise ValueError(f"DATABASE_URL: the port of {item!r} is not a number.")
        pairs.append((unquote(host), port or DEFAULT_PORT))
    return (credentials + "@" if credentials else ""), pairs


def parse_database_url(url: str, **options: Any) -> dict[str, Any]:
    """dj_database_url.parse(url, **options), also for a list of PostgreSQL hosts."""
    parts = urlsplit(url)
    if parts.scheme not in POSTGRES_SCHEMES or "," not in parts.netloc:
        return dict(dj_database_url.parse(url, **options))
    credentials, pairs = _split_hosts(parts.netloc)
    first_host = pairs[0][0]
    if ":" in first_host:
        first_host = f"[{first_host}]"
    single = urlunsplit(parts._replace(netloc=f"{credentials}{first_host}"))
    config = dict(dj_database_url.parse(single, **options))
    config["HOST"] = ",".join(host for host, _port in pairs)
    config["PORT"] = ",".join(port for _host, port in pairs)
    return config
