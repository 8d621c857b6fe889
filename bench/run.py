"""The measurements of `make bench`: `python -m bench.run` after `python -m bench.generate`,
one section per target of issue 15, each printing its own table:

1. history: every stats endpoint and the dashboard page over HTTP on gunicorn (2 sync
   workers, DEBUG off), logged in through the login form, p50 / p95 / max beside the
   time of every query of the request run straight on a cursor; at 3,000,000 petitions
   compared with the same endpoints' p50 at 1,000,000 (var/bench/results-1000000.json);
2. pages (bench.pages): inbox, searches, the case page, API list and detail;
3. surge (bench.surge): public submissions beside a one-row-insert reference view;
4. mix (bench.mix): 200 staff sessions and 20 citizens at once for 60 s;
5. sweep (bench.sweep, in its own process): the reminder sweep over 1,000,000 open cases;
6. replicas: proven by tests/replicas in CI, not timed;
7. exports (bench.exports): each export's peak memory at this scale.
A verdict per target closes the run; everything goes to var/bench/results.json (and
results-<scale>.json), the query plans to var/bench/plans.txt.
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

# Issue 15, target 1 (at 3,000,000 petitions): every stats endpoint p95 ≤ 150 ms, the
# dashboard page p95 ≤ 300 ms, and each p50 ≤ 1.3 × its p50 at 1,000,000.
STATS_P95_MS = 150.0
DASHBOARD_P95_MS = 300.0
GROWTH = 1.3
TARGET_SCALE = 3_000_000
# Target 2: a page costs at most 2 × its raw SQL + 10 ms.
RAW_FACTOR, RAW_ALLOWANCE_MS = 2.0, 10.0
# Target 5: the reminder sweep after Tết.
SWEEP_RATE, SWEEP_RSS_MB = 200, 200
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
    # The page a monitor opens: every figure at once.
    rows.append(Endpoint("dashboard page", "/staff/dashboard/", MONITOR, "dashboard"))
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


def verdict(row: Row, *, scale: int, reference: dict[str, float]) -> str:
    """Which targets of issue 15 the row meets (1 at 3 M and its growth from 1 M; 2)."""
    if row.p95 is None:
        return ""
    misses = []
    limit = STATS_P95_MS if row.endpoint.group == "stats" else DASHBOARD_P95_MS
    if scale >= TARGET_SCALE and row.p95 > limit:
        misses.append(f"p95 > {limit:.0f} ms")
    before = reference.get(row.endpoint.name)
    if scale > config.REFERENCE_SCALE and before and row.p50 and row.p50 > GROWTH * before:
        misses.append(f"p50 > {GROWTH} × {before:.0f} ms at 1 M")
    if row.raw_ms is not None and row.p50 and row.p50 > RAW_FACTOR * row.raw_ms + RAW_ALLOWANCE_MS:
        misses.append(f"p50 > {RAW_FACTOR:.0f} × raw + {RAW_ALLOWANCE_MS:.0f}")
    if row.errors:
        misses.append(f"{len(row.errors)} errors")
    if misses:
        return "MISSED: " + ", ".join(misses)
    return "met" if scale >= TARGET_SCALE else "met (targets apply at 3 M)"


def reference_p50() -> dict[str, float]:
    """The p50 of each endpoint at 1,000,000 petitions, from that scale's last run."""
    path = results_path(config.REFERENCE_SCALE)
    if not path.exists():
        return {}
    rows = json.loads(path.read_text(encoding="utf-8")).get("endpoints", [])
    return {row["name"]: row["p50"] for row in rows if row.get("p50")}


def results_path(scale: int) -> Any:
    return config.VAR_DIR / f"results-{scale}.json"


def measure_endpoints(args: argparse.Namespace) -> list[Row]:
    from django.contrib.auth import get_user_model

    from agencies.demo import DEMO_PASSWORD

    from . import http, rawsql

    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=[MONITOR, HANDLER, LEAD])
    }
    rows = [Row(e) for e in endpoints()]
    reference = reference_p50()
    plans = [f"# query plans, {_now():%Y-%m-%d %H:%M}\n"]
    with http.gunicorn(config.main_url(), workers=args.workers) as port:
        print(f"gunicorn --workers {args.workers} on 127.0.0.1:{port} (DEBUG off)", flush=True)
        for user in users.values():  # an authenticator for each, as enrolled staff have
            http.totp_code(user)
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
            # Raw SQL: every query the request ran (session, user, scope and figures).
            every = [q for q in cap.queries if not q.startswith(("SAVEPOINT", "RELEASE"))]
            raw = rawsql.time_queries(every, runs=args.raw_runs)
            row.raw_ms = raw.median_ms if raw.runs else None
            row.status = "ok" if not row.errors else f"{len(row.errors)} errors"
            row.verdict = verdict(row, scale=config.scale(), reference=reference)
            print(f" p50 {_ms(row.p50)} p95 {_ms(row.p95)} raw {_ms(row.raw_ms)} ms", flush=True)
            plans.append(f"\n## {endpoint.name}: {endpoint.path} as {endpoint.username}\n")
            for sql, median in zip(every, raw.per_query_ms, strict=False):
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
        "times in ms over HTTP (gunicorn, 2 sync workers, DEBUG off); raw SQL = median of"
        " every query of the request run on a cursor; q = the figures' queries / all.\n"
        f"targets (issue 15, 1 and 2): at {TARGET_SCALE:,} petitions every stats endpoint"
        f" p95 ≤ {STATS_P95_MS:.0f} ms and the dashboard page p95 ≤ {DASHBOARD_P95_MS:.0f} ms,"
        f" each p50 ≤ {GROWTH} × its p50 at {config.REFERENCE_SCALE:,};"
        f" every page p50 ≤ {RAW_FACTOR:.0f} × raw SQL + {RAW_ALLOWANCE_MS:.0f} ms."
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


# --- the other targets, each its own module and process ------------------------------------

# (section, module, extra arguments, the JSON file it writes): run in this order.
SECTIONS: tuple[tuple[str, str, list[str], str], ...] = (
    ("pages", "bench.pages", ["--json", "{var}/pages.json"], "pages.json"),
    ("surge", "bench.surge", [], "surge.json"),
    ("mix", "bench.mix", [], "mix.json"),
    ("exports", "bench.exports", ["--json", "{var}/exports.json"], "exports.json"),
)


def run_section(module: str, arguments: list[str]) -> int:
    """`python -m <module>` over the main dataset of this scale, its output streamed."""
    command = [sys.executable, "-m", module, "--database-url", config.main_url()]
    command += [a.format(var=config.VAR_DIR) for a in arguments]
    print(f"\n=== {module} ===", flush=True)
    return subprocess.call(command, cwd=config.BASE_DIR)  # noqa: S603


def _load(name: str) -> Any:
    path = config.VAR_DIR / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


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
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated sections: stats, sweep, " + ", ".join(s[0] for s in SECTIONS),
    )
    args = parser.parse_args(argv)
    only = {name.strip() for name in args.only.split(",") if name.strip()}

    def wanted(name: str) -> bool:
        return not only or name in only

    started = time.perf_counter()
    config.VAR_DIR.mkdir(parents=True, exist_ok=True)
    print(f"bench run {_now():%Y-%m-%d %H:%M}, scale {config.scale():,}", flush=True)
    print("  " + _dataset_line(config.database_name(config.main_url()), config.main_url()))
    print("  " + _dataset_line(config.database_name(config.sweep_url()), config.sweep_url()))
    results: dict[str, Any] = {"at": _now().isoformat(timespec="seconds"), "scale": config.scale()}
    sweep = run_sweep(args) if wanted("sweep") else None
    rows: list[Row] = []
    if wanted("stats"):
        config.setup_django(config.main_url())
        rows = measure_endpoints(args)
    for name, module, arguments, output in SECTIONS:
        if wanted(name):
            (config.VAR_DIR / output).unlink(missing_ok=True)  # never last run's figures
            code = run_section(module, arguments)
            # A section exits 1 when it misses its target; its figures still count.
            results[name] = _load(output) or {"failed": code}

    print("\n=== summary ===")
    print_sweep(sweep)
    if rows:
        print_table(rows, concurrency=args.concurrency)
    results["sweep"] = sweep
    results["endpoints"] = [
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
            "queries": r.queries,
            "concurrent_p50": r.concurrent_p50,
            "concurrent_p95": r.concurrent_p95,
            "verdict": r.verdict,
            "errors": r.errors[:10],
        }
        for r in rows
    ]
    verdicts = target_verdicts(results, rows, sweep)
    results["verdicts"] = verdicts
    print("\n=== verdict per target (issue 15) ===")
    for target, verdict_text in verdicts.items():
        print(f"  {target:<44} {verdict_text}")
    text = json.dumps(results, indent=1, default=str)
    (config.VAR_DIR / "results.json").write_text(text, encoding="utf-8")
    if rows:  # the growth of target 1 compares each scale's endpoints
        results_path(config.scale()).write_text(text, encoding="utf-8")
    print(
        f"bench run finished in {time.perf_counter() - started:.0f} s;"
        " query plans in var/bench/plans.txt, figures in var/bench/results.json"
    )
    return 0


def _section_verdict(result: Any) -> str:
    """A section's own verdict line, from the JSON it wrote."""
    if result is None:
        return "not measured"
    if isinstance(result, dict) and "failed" in result:
        return f"FAILED (exit {result['failed']})"
    if isinstance(result, dict) and "met" in result:  # surge, mix
        ratio = result.get("ratio")
        detail = f" (submission / reference {ratio:.0%})" if isinstance(ratio, float) else ""
        return ("met" if result["met"] else "MISSED") + detail
    if isinstance(result, dict) and "verdict" in result:
        verdict_value = result["verdict"]
        if isinstance(verdict_value, dict):
            return str(verdict_value.get("text") or verdict_value.get("verdict") or verdict_value)
        return str(verdict_value)
    rows = result if isinstance(result, list) else result.get("rows", result.get("exports", []))
    texts = [str(r.get("verdict", "")) for r in rows if isinstance(r, dict)]
    missed = [t for t in texts if t.upper().startswith("MISS")]
    if not texts:
        return "measured (see its table)"
    return f"MISSED: {len(missed)} of {len(texts)}" if missed else f"met ({len(texts)} rows)"


def target_verdicts(results: dict[str, Any], rows: list[Row], sweep: Any) -> dict[str, str]:
    verdicts: dict[str, str] = {}
    if rows:
        missed = [
            r.endpoint.name
            for r in rows
            if r.verdict.startswith("MISSED") or r.status != "ok" or r.p95 is None
        ]
        verdicts["1 history must not cost (stats, dashboard)"] = (
            f"MISSED: {', '.join(missed)}"
            if missed
            else "met"
            if config.scale() >= TARGET_SCALE
            else "met at this scale (targets apply at 3 M)"
        )
    verdicts["2 pages as fast as their queries"] = _section_verdict(results.get("pages"))
    verdicts["3 citizens at a surge"] = _section_verdict(results.get("surge"))
    verdicts["4 many people at once"] = _section_verdict(results.get("mix"))
    if sweep is not None:
        ok = sweep["rate"] >= SWEEP_RATE and sweep["max_rss_mb"] <= SWEEP_RSS_MB
        verdicts["5 reminders at a surge"] = (
            f"{'met' if ok else 'MISSED'}: {sweep['rate']:.0f} steps/s"
            f" (≥ {SWEEP_RATE}), {sweep['max_rss_mb']:.0f} MiB (≤ {SWEEP_RSS_MB})"
        )
    else:
        verdicts["5 reminders at a surge"] = "not measured"
    verdicts["6 reads on replicas"] = (
        "tested, not benchmarked: tests/replicas in CI against a streaming replica"
    )
    verdicts["7 memory of exports"] = _section_verdict(results.get("exports"))
    return verdicts


if __name__ == "__main__":
    sys.exit(main())
