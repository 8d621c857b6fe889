"""Build the bench dataset: `python -m bench.generate [--petitions N] [--force] [--sweep]`.

In a dedicated PostgreSQL database (BENCH_DATABASE_URL, default civic_portal_bench):
migrate, the administrative units, the demo directory grown to a province's size,
then N petitions with their events over two years, and the voter recommendations.
Idempotent: a marker row records what was generated, and a second run with the same
parameters reuses it; `--force` drops the database and builds it again.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import date, timedelta
from typing import Any, TypeVar

from . import config

MARKER_TABLE = "bench_dataset"
T = TypeVar("T")


def step(label: str, action: Callable[[], T]) -> T:
    """Run one step and print how long it took."""
    started = time.perf_counter()
    print(f"  {label} …", flush=True)
    result = action()
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
    return result


# --- the marker ------------------------------------------------------------------------


def _ensure_marker() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} ("
            " name varchar(40) PRIMARY KEY, params text NOT NULL, bench_day date NOT NULL,"
            " seconds double precision NOT NULL, summary text NOT NULL,"
            " generated_at timestamp with time zone NOT NULL DEFAULT now())"
        )


def read_marker(name: str) -> dict[str, Any] | None:
    """What was generated under `name` ('petitions', 'recommendations'), or None."""
    from django.db import connection

    _ensure_marker()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT params, bench_day, seconds, summary, generated_at FROM {MARKER_TABLE}"
            " WHERE name = %s",
            [name],
        )
        found = cursor.fetchone()
    if found is None:
        return None
    params, bench_day, seconds, summary, generated_at = found
    return {
        "params": json.loads(params),
        "bench_day": bench_day,
        "seconds": seconds,
        "summary": json.loads(summary),
        "generated_at": generated_at,
    }


def write_marker(
    name: str, params: dict[str, Any], bench_day: date, seconds: float, summary: dict[str, Any]
) -> None:
    from django.db import connection

    _ensure_marker()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MARKER_TABLE} WHERE name = %s", [name])
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (name, params, bench_day, seconds, summary)"
            " VALUES (%s, %s, %s, %s, %s)",
            [name, json.dumps(params), bench_day, seconds, json.dumps(summary)],
        )


# --- petitions -------------------------------------------------------------------------


def _petition_tables() -> list[Any]:
    from petitions.models import Petition, PetitionEvent

    from .load import Table

    return [Table(Petition), Table(PetitionEvent)]


def clear_petitions() -> None:
    """Remove petitions left by an interrupted run (the marker was never written)."""
    from django.db import connection

    from petitions.models import Petition

    if not Petition.objects.exists():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE petitions_petitionevent, petitions_attachment, petitions_extension,"
            " petitions_suspension, petitions_identityreveal, petitions_petition,"
            " petitions_petitionsequence RESTART IDENTITY CASCADE"
        )


def load_petitions(directory: Any, options: Any, *, fast: bool) -> Any:
    """Generate and write the petitions and their events; returns the counters.

    `fast` (PostgreSQL, large sizes): indexes are built after the load and the
    foreign-key triggers are off while COPY runs (checked afterwards).
    """
    from contextlib import nullcontext

    from petitions.models import PetitionSequence

    from .dataset import Generator
    from .load import bulk_load, reset_identity, write_rows

    petitions, events = _petition_tables()
    generator = Generator(directory, options)
    pending_events: list[dict[str, Any]] = []

    def petition_rows() -> Iterator[dict[str, Any]]:
        for row, row_events in generator.rows():
            pending_events.extend(row_events)
            yield row

    def event_rows() -> Iterator[dict[str, Any]]:
        while pending_events:
            yield pending_events.pop()

    # Petitions first in slices, then that slice's events: memory stays bounded by a
    # slice, and every event row points at a petition already written.
    slice_size = 50_000
    guard = bulk_load([petitions, events]) if fast else nullcontext([])
    with guard:
        remaining = options.petitions
        source = petition_rows()
        started = time.perf_counter()
        while remaining > 0:
            take = min(slice_size, remaining)
            write_rows(petitions, (row for _, row in zip(range(take), source, strict=False)))
            write_rows(events, event_rows())
            remaining -= take
            done = options.petitions - remaining
            if fast:
                rate = done / max(time.perf_counter() - started, 1e-9)
                print(f"    {done:>9,} petitions ({rate:,.0f}/s)", flush=True)
        if fast:
            print("    building indexes …", flush=True)
    reset_identity(petitions)
    reset_identity(events)
    # New submissions continue the reference numbers instead of colliding with them.
    for (prefix, year), last in generator.sequences.items():
        PetitionSequence.objects.update_or_create(prefix=prefix, year=year, defaults={"last": last})
    return generator


def generate(args: argparse.Namespace) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from .dataset import Options
    from .directory import seed_bench_directory

    total = time.perf_counter()
    step("migrate", lambda: call_command("migrate", verbosity=0, interactive=False))
    step("administrative units", lambda: call_command("load_units", verbosity=0))
    directory = step("directory (demo + agencies + staff)", seed_bench_directory)
    print(f"  {len(directory.agencies)} agencies, {len(directory.communes)} communes")
    from django.utils import timezone

    params = {
        "petitions": args.petitions,
        "open_fraction": args.open_fraction,
        "due_fraction": args.due_fraction,
        "seed": args.seed,
        "events": not args.no_events,
        "agencies": len(directory.agencies),
    }
    marker = read_marker("petitions")
    if marker is not None and marker["params"] == params:
        print(
            f"  petitions: reusing {args.petitions:,} generated on "
            f"{timezone.localtime(marker['generated_at']):%d/%m/%Y %H:%M}"
            f" (bench day {marker['bench_day']}, "
            f"{marker['seconds']:.0f} s); --force rebuilds"
        )
        bench_day = marker["bench_day"]
    else:
        bench_day = timezone.localdate()
        step("clear an earlier partial load", clear_petitions)
        options = Options(
            petitions=args.petitions,
            bench_day=bench_day,
            seed=args.seed,
            open_fraction=args.open_fraction,
            due_fraction=args.due_fraction,
            events=not args.no_events,
        )
        from .dataset import span_days
        from .directory import cover_history

        first_day = bench_day - timedelta(days=span_days(args.petitions) + 60)
        added = cover_history(first_day)
        if added:
            print(f"  {added} deadline policies copied back to {first_day} (history)")
        started = time.perf_counter()
        fast = connection.vendor == "postgresql" and args.petitions >= 50_000
        generator = step(
            f"petitions and events ({args.petitions:,})",
            lambda: load_petitions(directory, options, fast=fast),
        )
        counters = generator.counters
        print(
            f"  {counters.petitions:,} petitions, {counters.events:,} events, "
            f"{counters.open:,} open, {counters.due_today:,} with a reminder due on "
            f"{bench_day}; {generator.clocks.computed:,} due dates computed on the calendar"
        )
        if fast:
            problems = step("check foreign keys", _check_petition_references)
            if problems:
                raise SystemExit("dangling references: " + "; ".join(problems))
        # COPY ran with the triggers off: the figures' facts are added up once here.
        step("figure facts", _rebuild_facts)
        step("vacuum and analyze", _vacuum)
        if connection.vendor == "postgresql":
            from .sweep import snapshot

            # The reminder backlog as generated, which bench.sweep restores before a run.
            snapshot(bench_day)
        write_marker(
            "petitions",
            params,
            bench_day,
            time.perf_counter() - started,
            {"by_status": counters.by_status, **_counts(counters)},
        )
    generated = marker is None or marker["params"] != params
    if args.recommendations:
        from . import voter

        generated |= step(
            f"voter recommendations ({args.recommendations:,})",
            lambda: voter.ensure(directory, args.recommendations, bench_day, seed=args.seed),
        )
        if generated:
            from recommendations import tallies

            # Whatever the loader bypassed, the figures' tallies are counted once here.
            step("recommendation tallies", tallies.rebuild)
    if generated and connection.vendor == "postgresql":
        # Planner statistics for every table (the units and agencies too), and the
        # visibility maps of the figures' facts and tallies written since (index-only
        # scans), as autovacuum would have them on a database in service: stale counts
        # pick bad plans, and a fresh fact table reads its heap for every row.
        step("vacuum and analyze every table", _vacuum_everything)
    seconds = time.perf_counter() - total
    print(f"generation finished in {seconds:.1f} s (bench day {bench_day})")
    return {"seconds": seconds, "bench_day": bench_day}


def _counts(counters: Any) -> dict[str, Any]:
    values = asdict(counters)
    values.pop("by_status")
    return values


def _check_petition_references() -> list[str]:
    from .load import check_references

    problems: list[str] = []
    for table in _petition_tables():
        problems += check_references(table)
    return problems


def _rebuild_facts() -> None:
    from petitions import facts

    facts.rebuild()
    print(f"    {facts.FigureFact.objects.count():,} fact rows", flush=True)


def _vacuum_everything() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def _vacuum() -> None:
    """Analyze for the planner, and vacuum so the visibility map allows index-only scans
    (autovacuum would do the same soon after a real load)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in ("petitions_petition", "petitions_petitionevent"):
            cursor.execute(f"VACUUM (ANALYZE) {table}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("--petitions", type=int, default=None, help="default: BENCH_SCALE")
    parser.add_argument("--recommendations", type=int, default=None, help="a tenth of them")
    parser.add_argument("--database-url", default="", help="default: BENCH_DATABASE_URL")
    parser.add_argument(
        "--open-fraction",
        type=float,
        default=None,
        help="share of petitions kept open (1.0 for the sweep); default: natural lives",
    )
    parser.add_argument("--due-fraction", type=float, default=0.015)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-events", action="store_true")
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="the reminder-sweep dataset: every petition open, no events, no recommendations,"
        " in BENCH_SWEEP_DATABASE_URL (default civic_portal_bench_sweep)",
    )
    parser.add_argument("--force", action="store_true", help="drop the database and rebuild")
    args = parser.parse_args(argv)
    if args.petitions is None:
        args.petitions = config.REFERENCE_SCALE if args.sweep else config.scale()
    if args.recommendations is None:
        args.recommendations = args.petitions // 10
    if args.sweep:
        args.open_fraction = 1.0 if args.open_fraction is None else args.open_fraction
        args.no_events = True
        args.recommendations = 0
        args.database_url = args.database_url or config.sweep_url()
    args.database_url = args.database_url or config.main_url(args.petitions)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    name = config.database_name(args.database_url)
    print(f"bench dataset in {name}: {args.petitions:,} petitions", flush=True)
    created = config.ensure_database(args.database_url, recreate=args.force)
    if created:
        print(f"  created database {name}")
    config.setup_django(args.database_url)
    generate(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
