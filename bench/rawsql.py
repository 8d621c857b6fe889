"""The SQL behind an endpoint, timed on its own.

The endpoint is called once in-process (Django's test client, same settings and same
user as over HTTP) while its queries are captured; the queries that read the case
tables — the aggregates — are then run again straight on a cursor. Their time is the
floor the HTTP time is compared with ("p50 within 1.5× of the raw SQL").
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass, field
from typing import Any

# Queries over these tables are the endpoint's own work; the rest is the session,
# the user, the scope and the like (the same for every page).
DATA_TABLES = re.compile(r'"(petitions|recommendations)_\w+"')


@dataclass
class Capture:
    status: int
    queries: list[str]
    data_queries: list[str]
    seconds: float


@dataclass
class RawTiming:
    median_ms: float
    runs: int
    per_query_ms: list[float] = field(default_factory=list)


def capture(user: Any, path: str) -> Capture:
    """Call `path` in-process as `user`; the SQL it ran."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .pages import client_for  # a session past the two-factor step

    client = client_for(user)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    seconds = time.perf_counter() - started
    queries = [q["sql"] for q in captured.captured_queries]
    data = [
        q for q in queries if DATA_TABLES.search(q) and not q.startswith(("SAVEPOINT", "RELEASE"))
    ]
    return Capture(response.status_code, queries, data, seconds)


def time_queries(queries: list[str], *, runs: int, max_seconds: float = 60) -> RawTiming:
    """Median over `runs` of running every query once (rows fetched), in milliseconds."""
    from django.db import connection

    totals: list[float] = []
    per_query: list[list[float]] = [[] for _ in queries]
    deadline = time.monotonic() + max_seconds
    with connection.cursor() as cursor:
        for _ in range(runs):
            if time.monotonic() > deadline:
                break
            total = 0.0
            for index, sql in enumerate(queries):
                started = time.perf_counter()
                cursor.execute(sql)  # no params: the captured text is already complete
                cursor.fetchall()
                elapsed = (time.perf_counter() - started) * 1000
                per_query[index].append(elapsed)
                total += elapsed
            totals.append(total)
    if not totals:
        return RawTiming(0.0, 0)
    return RawTiming(
        statistics.median(totals), len(totals), [statistics.median(t) for t in per_query if t]
    )


def explain(sql: str) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of one captured query."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return [line for (line,) in cursor.fetchall()]
