"""The reminder sweep over a dataset in which every petition is open:
`python -m bench.sweep` (run by bench.run in its own process, so that its peak RSS is
the sweep's alone). Prints one JSON line with the figures after a readable report.

The sweep changes what it claims (next_reminder_on moves on, notices are written);
the due rows' original dates are kept in a side table at the first run and put back
before each run, so every run sweeps the same backlog.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc
from datetime import date
from typing import Any

from . import config

RESET_TABLE = "bench_sweep_reset"


def snapshot(bench_day: date) -> int:
    """Remember the due rows' reminder dates (once per dataset); returns how many."""
    from django.db import connection

    from petitions.models import OPEN_STATUSES

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {RESET_TABLE}")
        cursor.execute(
            f"CREATE TABLE {RESET_TABLE} AS SELECT id, next_reminder_on FROM petitions_petition"
            " WHERE next_reminder_on <= %s AND status = ANY(%s)",
            [bench_day, list(OPEN_STATUSES)],
        )
        cursor.execute(f"ALTER TABLE {RESET_TABLE} ADD PRIMARY KEY (id)")
        cursor.execute(f"SELECT count(*) FROM {RESET_TABLE}")
        return int(cursor.fetchone()[0])


def reset() -> int:
    """Put the backlog back as generated: the claimed dates, and no notices."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE petitions_petition p SET next_reminder_on = r.next_reminder_on"
            f" FROM {RESET_TABLE} r WHERE p.id = r.id"
            " AND p.next_reminder_on IS DISTINCT FROM r.next_reminder_on"
        )
        changed = cursor.rowcount
        # This database holds bench data only: every notice in it is the sweep's.
        cursor.execute("TRUNCATE notifications_notice")
        if changed:
            cursor.execute("VACUUM (ANALYZE) petitions_petition")
    clear_broker()
    return changed


def clear_broker() -> None:
    """Drop the e-mails a run queued in the bench's own broker folder (never consumed)."""
    for message in (config.VAR_DIR / "broker").glob("*"):
        message.unlink()


def claim_query_plan(today: date) -> list[str]:
    """EXPLAIN ANALYZE of a batch's claim query (`SELECT … FOR UPDATE SKIP LOCKED`, the
    sweep's own queryset); its row locks end with the EXPLAIN's transaction."""
    from django.db import connection, transaction

    from casework.reminders import BATCH_SIZE
    from petitions.reminders import SWEEP

    with transaction.atomic(), connection.cursor() as cursor:
        sql, params = SWEEP.claim_query(today, BATCH_SIZE).query.sql_with_params()
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return [line for (line,) in cursor.fetchall()]


def _due_count(today: date) -> int:
    from petitions.models import OPEN_STATUSES, Petition

    return Petition.objects.filter(next_reminder_on__lte=today, status__in=OPEN_STATUSES).count()


def run_sweep(*, today: date, max_seconds: float, max_rounds: int) -> dict[str, Any]:
    """Run remind_due() as beat would (runs of at most 10,000 steps) until nothing is due."""
    from django.db import connection

    from casework.reminders import BATCH_SIZE
    from notifications.models import Notice
    from petitions.models import OPEN_STATUSES, Petition
    from petitions.reminders import remind_due

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size('petitions_petition')")
        table_mb = cursor.fetchone()[0] / 2**20
    due = _due_count(today)
    open_cases = Petition.objects.filter(status__in=OPEN_STATUSES).count()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    handled, rounds = 0, 0
    while rounds < max_rounds and time.perf_counter() - started < max_seconds:
        rounds += 1
        done = remind_due(today=today)
        handled += done
        if done == 0:
            break
    seconds = time.perf_counter() - started
    return {
        "open": open_cases,
        "table_mb": table_mb,
        "due": due,
        "handled": handled,
        "left": _due_count(today),
        "rounds": rounds,
        "seconds": seconds,
        "rate": handled / seconds if seconds else 0.0,
        "batch_size": BATCH_SIZE,
        "notices": Notice.objects.count(),
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_before_mb": rss_before / 1024,
    }


def traced_sweep(*, today: date, steps: int) -> dict[str, Any]:
    """The first `steps` steps again under tracemalloc (which slows Python ~2.5×, hence
    a separate, bounded pass), in the sweep's batches: the peak, and the traced memory
    as the sweep goes on (after the batches that pass a tenth and a half of `steps`)."""
    from casework.reminders import BATCH_SIZE
    from petitions.reminders import remind_batch

    tracemalloc.start()
    samples: list[tuple[int, float]] = []
    marks = [steps // 10, steps // 2]
    done = 0
    while done < steps:
        batch = remind_batch(today=today, size=min(BATCH_SIZE, steps - done))
        if batch == 0:
            break
        done += batch
        while marks and done >= marks[0]:
            marks.pop(0)
            samples.append((done, tracemalloc.get_traced_memory()[0] / 2**20))
    samples.append((done, tracemalloc.get_traced_memory()[0] / 2**20))
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {"traced_steps": done, "tracemalloc_peak_mb": peak, "traced_samples": samples}


def _reset_table_exists() -> bool:
    from django.db import connection

    return RESET_TABLE in connection.introspection.table_names()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sweep", description=__doc__)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--max-seconds", type=float, default=1800)
    parser.add_argument("--max-rounds", type=int, default=50)
    parser.add_argument("--traced-steps", type=int, default=2_000)
    args = parser.parse_args(argv)
    url = args.database_url or config.sweep_url()
    config.setup_django(url)
    from .generate import read_marker

    marker = read_marker("petitions")
    if marker is None:
        print(f"no dataset in {config.database_name(url)}: run python -m bench.generate --sweep")
        return 2
    today = marker["bench_day"]
    if not _reset_table_exists():
        snapshot(today)
    restored = reset()
    print(f"reminder sweep on {config.database_name(url)}, as of {today:%d/%m/%Y}", flush=True)
    if restored:
        print(f"  (put back {restored:,} reminder dates claimed by an earlier run)")
    plan = claim_query_plan(today)
    result = run_sweep(today=today, max_seconds=args.max_seconds, max_rounds=args.max_rounds)
    reset()
    traced = traced_sweep(today=today, steps=args.traced_steps)
    clear_broker()
    result.update(traced, plan=plan, bench_day=today.isoformat())
    growth = ", ".join(f"{mb:.1f} MiB after {n:,}" for n, mb in traced["traced_samples"])
    print(
        f"  open cases {result['open']:,}; due {result['due']:,}; handled {result['handled']:,}"
        f" in {result['rounds']} run(s) of remind_due(); left due {result['left']:,}\n"
        f"  wall {result['seconds']:.1f} s, {result['rate']:.0f} steps/s"
        f" (batches of {result['batch_size']}, {result['notices']:,} notices written);"
        f" max RSS {result['max_rss_mb']:.0f} MiB (after start-up {result['rss_before_mb']:.0f});"
        f" petitions table {result['table_mb']:,.0f} MiB\n"
        f"  tracemalloc over the first {traced['traced_steps']:,} steps (separate pass):"
        f" peak {traced['tracemalloc_peak_mb']:.1f} MiB; traced {growth}"
    )
    print("  claim query plan:")
    for line in plan:
        print(f"    {line}")
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
