"""The measurements of `make bench`: `python -m bench.run` after `python -m bench.generate`.

1. The reminder sweep over the all-open dataset (bench.sweep, in its own process).
2. gunicorn (2 workers, DEBUG off) on loopback over the main dataset: every stats
   endpoint, the inbox and the petitions API, logged in through the login form;
   p50 / p95 / max over a bounded number of sequential requests (plus a 2-concurrent
   run), beside the time of the same SQL run straight on a cursor.
Prints a table and marks the targets of issue 6; writes var/bench/results.json and
the query plans to var/bench/plans.txt.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any
from urllib.parse import quote_plus

from . import config

STATS_P95_MS = 300.0
INBOX_P95_MS = 150.0
RAW_RATIO = 1.5
MONITOR, HANDLER, LEAD = "giamsat", "xuly", "lanhdao"  # agencies.demo users
# "thu hồi đất" (land recovery), with its diacritics: the search must match without them.
SEARCH = quote_plus("thu hồi đất")


def _now() -> datetime:
    return datetime.now(UTC).astimezone()


@dataclass
class Endpoint:
    name: str
    path: str
    username: str
    group: str  # "stats", "inbox" (targets apply) or "info"


@dataclass
class Row:
    endpoint: Endpoint
    status: str = ""
    n: int = 0
    p50: float | None = None
    p95: float | None = None
    max: float | None = None
    raw_ms: float | None = None
    queries: int = 0
    data_queries: int = 0
    errors: list[str] = field(default_factory=list)
    concurrent_p50: float | None = None
    concurrent_p95: float | None = None
    verdict: str = ""

    @property
    def ratio(self) -> float | None:
        if self.p50 is None or not self.raw_ms:
            return None
        return self.p50 / self.raw_ms


def endpoints() -> list[Endpoint]:
    """What to measure; those the project does not (yet) route are reported as absent."""
    from petitions.selectors import STAT_DIMENSIONS

    rows = [Endpoint("stats summary", "/api/v1/stats/summary/", MONITOR, "stats")]
    rows += [
        Endpoint(f"stats by {dimension}", f"/api/v1/stats/by/{dimension}/", MONITOR, "stats")
        for dimension in STAT_DIMENSIONS
    ]
    rows += [
        Endpoint("stats trend", "/api/v1/stats/trend/", MONITOR, "stats"),
        Endpoint("stats summary (a lead: own agency)", "/api/v1/stats/summary/", LEAD, "stats"),
        Endpoint("stats recommendations", "/api/v1/stats/recommendations/", MONITOR, "stats"),
    ]
    term = _a_term()
    if term is not None:
        rows.append(
            Endpoint(
                "stats recommendations (one term)",
                f"/api/v1/stats/recommendations/?term={term}",
                MONITOR,
                "stats",
            )
        )
    # A page composing many figures (summary, agencies, trend…): shown, no target.
    rows.append(Endpoint("dashboard page", "/staff/dashboard/", MONITOR, "info"))
    rows += [
        Endpoint("inbox (handler, big agency)", "/staff/petitions/", HANDLER, "inbox"),
        Endpoint("inbox search 'thu hồi đất'", f"/staff/petitions/?q={SEARCH}", HANDLER, "inbox"),
        Endpoint("inbox phase overdue", "/staff/petitions/?phase=overdue", HANDLER, "inbox"),
        Endpoint("inbox (monitor, province)", "/staff/petitions/", MONITOR, "info"),
        Endpoint(
            "inbox search (monitor, all statuses)",
            f"/staff/petitions/?all=1&q={SEARCH}",
            MONITOR,
            "info",
        ),
        Endpoint("API petitions list (handler)", "/api/v1/petitions/", HANDLER, "info"),
        Endpoint("API petitions list (monitor)", "/api/v1/petitions/", MONITOR, "info"),
    ]
    return rows


def _a_term() -> int | None:
    try:
        from recommendations.models import Term
    except ImportError:
        return None
    try:
        return Term.objects.order_by("-start_year").values_list("pk", flat=True).first()
    except Exception:  # table missing (app without its migration yet)
        return None


# --- 1. the reminder sweep ----------------------------------------------------------------


def run_sweep(args: argparse.Namespace) -> dict[str, Any] | None:
    """bench.sweep in its own process (its max RSS is the sweep's); its output streams."""
    command = [sys.executable, "-m", "bench.sweep", "--database-url", config.sweep_url()]
    if args.sweep_traced_steps is not None:
        command += ["--traced-steps", str(args.sweep_traced_steps)]
    process = subprocess.Popen(  # noqa: S603
        command, cwd=config.BASE_DIR, stdout=subprocess.PIPE, text=True
    )
    result = None
    for line in process.stdout or []:
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT ") :])
        else:
            print(line, end="", flush=True)
    if process.wait() != 0:
        print(f"  the sweep failed (exit {process.returncode})")
        return None
    return result


# --- 2. the endpoints -------------------------------------------------------------------


def verdict(row: Row) -> str:
    """Which targets of issue 6 the row meets."""
    group = row.endpoint.group
    if group == "info" or row.p95 is None:
        return ""
    misses = []
    if group == "stats":
        if row.p95 > STATS_P95_MS:
            misses.append(f"p95 > {STATS_P95_MS:.0f} ms")
        if row.ratio is not None and row.ratio > RAW_RATIO:
            misses.append(f"p50 > {RAW_RATIO}× raw")
    elif group == "inbox" and row.p95 > INBOX_P95_MS:
        misses.append(f"p95 > {INBOX_P95_MS:.0f} ms")
    return "MISSED: " + ", ".join(misses) if misses else "met"


def measure_endpoints(args: argparse.Namespace) -> list[Row]:
    from django.contrib.auth import get_user_model

    from agencies.demo import DEMO_PASSWORD

    from . import http, rawsql

    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=[MONITOR, HANDLER, LEAD])
    }
    rows = [Row(e) for e in endpoints()]
    plans = [f"# query plans, {_now():%Y-%m-%d %H:%M}\n"]
    with http.gunicorn(config.main_url(), workers=args.workers) as port:
        print(f"gunicorn --workers {args.workers} on 127.0.0.1:{port} (DEBUG off)", flush=True)
        sessions = {
            name: http.login(port, name, DEMO_PASSWORD, code=partial(http.totp_code, user))
            for name, user in users.items()
        }
        for row in rows:
            endpoint = row.endpoint
            cap = rawsql.capture(users[endpoint.username], endpoint.path)
            row.queries, row.data_queries = len(cap.queries), len(cap.data_queries)
            if cap.status == 404:
                row.status = "absent"
                print(f"  {endpoint.name}: not routed / not available (404), skipped")
                continue
            if cap.status != 200:
                row.status = f"HTTP {cap.status}"
                print(f"  {endpoint.name}: answered {cap.status} in-process, skipped")
                continue
            print(f"  {endpoint.name} …", end="", flush=True)
            cookies = sessions[endpoint.username]
            sequential = http.measure(
                port,
                endpoint.path,
                cookies,
                warmup=args.warmup,
                count=args.requests,
                max_seconds=args.max_seconds,
            )
            row.n, row.errors = len(sequential.samples), sequential.errors
            row.p50, row.p95, row.max = sequential.p50, sequential.p95, sequential.max
            if args.concurrency > 1:
                concurrent = http.measure(
                    port,
                    endpoint.path,
                    cookies,
                    warmup=0,
                    count=args.concurrent_requests,
                    concurrency=args.concurrency,
                    max_seconds=args.max_seconds,
                )
                row.concurrent_p50, row.concurrent_p95 = concurrent.p50, concurrent.p95
            raw = rawsql.time_queries(cap.data_queries, runs=args.raw_runs)
            row.raw_ms = raw.median_ms if raw.runs else None
            row.status = "ok" if not row.errors else f"{len(row.errors)} errors"
            row.verdict = verdict(row)
            print(f" p50 {_ms(row.p50)} p95 {_ms(row.p95)} raw {_ms(row.raw_ms)} ms", flush=True)
            plans.append(f"\n## {endpoint.name}: {endpoint.path} as {endpoint.username}\n")
            for sql, median in zip(cap.data_queries, raw.per_query_ms, strict=False):
                plans.append(f"\n-- median {median:.1f} ms\n{sql}\n")
                plans.extend(f"{line}\n" for line in rawsql.explain(sql))
    (config.VAR_DIR / "plans.txt").write_text("".join(plans), encoding="utf-8")
    return rows


# --- the report ---------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def print_table(rows: list[Row], *, concurrency: int) -> None:
    header = (
        f"{'endpoint':<38} {'as':<8} {'n':>4} {'p50':>7} {'p95':>7} {'max':>7}"
        f" {'raw SQL':>8} {'p50/raw':>7} {'q':>5}"
    )
    if concurrency > 1:
        header += f" {f'p50 ×{concurrency}':>8} {f'p95 ×{concurrency}':>8}"
    print("\n" + header + "  target")
    print("-" * (len(header) + 30))
    for row in rows:
        e = row.endpoint
        if row.status in ("absent",) or row.status.startswith("HTTP"):
            print(f"{e.name:<38} {e.username:<8} {row.status}")
            continue
        ratio = "—" if row.ratio is None else f"{row.ratio:.2f}"
        line = (
            f"{e.name:<38} {e.username:<8} {row.n:>4} {_ms(row.p50):>7} {_ms(row.p95):>7}"
            f" {_ms(row.max):>7} {_ms(row.raw_ms):>8} {ratio:>7} {row.data_queries:>2}/{row.queries:<2}"
        )
        if concurrency > 1:
            line += f" {_ms(row.concurrent_p50):>8} {_ms(row.concurrent_p95):>8}"
        target = row.verdict or "(informative)"
        if row.errors:
            target += f" [{len(row.errors)} failed: {', '.join(sorted(set(row.errors)))}]"
        print(f"{line}  {target}")
    print(
        f"times in ms over HTTP; raw SQL = median of the endpoint's queries on the case tables"
        f" run on a cursor; q = those queries / all queries of the request.\n"
        f"targets: stats p95 ≤ {STATS_P95_MS:.0f} ms and p50 ≤ {RAW_RATIO}× raw SQL;"
        f" inbox (handler) p95 ≤ {INBOX_P95_MS:.0f} ms."
    )


def print_sweep(result: dict[str, Any] | None) -> None:
    if result is None:
        print("reminder sweep: not measured")
        return
    print(
        f"reminder sweep over {result['open']:,} open petitions (as of {result['bench_day']}):"
        f" {result['due']:,} due, {result['handled']:,} steps handled in"
        f" {result['seconds']:.1f} s ({result['rate']:.0f}/s);"
        f" max RSS {result['max_rss_mb']:.0f} MiB;"
        f" tracemalloc peak {result['tracemalloc_peak_mb']:.1f} MiB over"
        f" {result['traced_steps']:,} steps; petitions table {result['table_mb']:,.0f} MiB"
    )


def _dataset_line(name: str, url: str) -> str:
    """What the marker of a bench database says, for the report."""
    import psycopg2

    try:
        connection = psycopg2.connect(url.replace("postgres://", "postgresql://", 1))
    except psycopg2.OperationalError:
        return f"{name}: missing"
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, params, bench_day, seconds FROM bench_dataset ORDER BY name"
            )
            parts = [
                f"{marker} {json.loads(params).get('count', json.loads(params).get('petitions')):,}"
                f" ({seconds:.0f} s, bench day {day})"
                for marker, params, day, seconds in cursor.fetchall()
            ]
    except psycopg2.Error:
        return f"{name}: not generated"
    finally:
        connection.close()
    return f"{name}: " + "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--concurrent-requests", type=int, default=50)
    parser.add_argument("--raw-runs", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-seconds", type=float, default=90, help="per endpoint and run")
    parser.add_argument("--sweep-traced-steps", type=int, default=None)
    parser.add_argument("--skip-sweep", action="store_true")
    parser.add_argument("--skip-http", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print(f"bench run {_now():%Y-%m-%d %H:%M}", flush=True)
    print("  " + _dataset_line(config.database_name(config.main_url()), config.main_url()))
    print("  " + _dataset_line(config.database_name(config.sweep_url()), config.sweep_url()))
    sweep = None if args.skip_sweep else run_sweep(args)
    rows: list[Row] = []
    if not args.skip_http:
        config.setup_django(config.main_url())
        rows = measure_endpoints(args)
    print("\n=== summary ===")
    print_sweep(sweep)
    if rows:
        print_table(rows, concurrency=args.concurrency)
    results = {
        "at": _now().isoformat(timespec="seconds"),
        "sweep": sweep,
        "endpoints": [
            {
                "name": r.endpoint.name,
                "path": r.endpoint.path,
                "user": r.endpoint.username,
                "group": r.endpoint.group,
                "status": r.status,
                "n": r.n,
                "p50": r.p50,
                "p95": r.p95,
                "max": r.max,
                "raw_ms": r.raw_ms,
                "ratio": r.ratio,
                "concurrent_p50": r.concurrent_p50,
                "concurrent_p95": r.concurrent_p95,
                "verdict": r.verdict,
                "errors": r.errors[:10],
            }
            for r in rows
        ],
    }
    config.VAR_DIR.mkdir(parents=True, exist_ok=True)
    (config.VAR_DIR / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(
        f"bench run finished in {time.perf_counter() - started:.0f} s;"
        " query plans in var/bench/plans.txt, figures in var/bench/results.json"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
