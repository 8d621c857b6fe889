"""The memory of every export a user can download (issue 15, target 7: ≤ 200 MB RSS).

Each export runs in a fresh process over the bench database, the way its page runs it:
the URL is resolved, the view is called with a request of the province monitor
(`giamsat`, who sees the whole province), and the response is read block by block into a
temporary file, as the WSGI server would send it. The parent reads the child's maximum
resident set size from `os.wait4` and counts the rows of the file it wrote. Nothing is
written to the database: the requests are built by RequestFactory, so no session row.

    python -m bench.exports                  # the 1,000,000 database (BENCH_SCALE)
    python -m bench.exports --database-url postgres://…/civic_portal_bench_3000000
    python -m bench.exports --only inbox_year --year-rows 100000

The selections are the largest a user can ask for: the monitor's biggest inbox filter
the export accepts (petitions.bulk.MAX_EXPORT rows at most), the session with the most
forwarded recommendations, the agency table of a whole year. `inbox_year` is a
province's year of petitions passed to the inbox export's writer directly — the view
refuses more than MAX_EXPORT rows — to show what the writer costs when rows grow; it
stops at a sheet's limit (1,048,575 rows after the header) unless `--year-rows` says less.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench import config

TARGET_MB = 200
MONITOR = "giamsat"
SHEET_ROWS = 1_048_576  # rows of an Excel sheet, the header included
# A child that runs away (an export built in memory over a year) fails at this
# address-space size instead of pushing the shared machine into swap.
ADDRESS_SPACE_LIMIT = 6 * 1024**3


@dataclass(frozen=True)
class Export:
    key: str
    label: str
    kind: str  # "xlsx" or "csv"


EXPORTS = [
    Export("baseline", "Django and the monitor's scope alone (no export)", "none"),
    Export("inbox", "inbox export (monitor, largest filter under the cap)", "xlsx"),
    Export("inbox_year", "inbox export writer, a province's year (no cap)", "xlsx"),
    Export("dashboard_xlsx", "dashboard agency table xlsx (monitor, a year)", "xlsx"),
    Export("dashboard_csv", "dashboard agency table csv (monitor, a year)", "csv"),
    Export("session", "session results xlsx (largest session)", "xlsx"),
    Export("reception", "reception register xlsx (monitor, all visits)", "xlsx"),
    Export("mediation", "mediation register xlsx (largest team, its whole history)", "xlsx"),
    Export("compliance", "reception-minimum compliance xlsx (monitor, this year)", "xlsx"),
]


# --- the child: one export in a fresh process ------------------------------------------


def _request(method: str, path: str, data: dict[str, Any] | None = None) -> Any:
    """A request of the monitor for `path`, as the middleware would hand it to the view."""
    from django.contrib.auth import get_user_model
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    factory = RequestFactory()
    request = getattr(factory, method)(path, data or {})
    request.user = get_user_model().objects.get(username=MONITOR)
    # Refusals (too many rows) are said through messages; cookies need no session row.
    request._messages = CookieStorage(request)
    return request


def _call(request: Any) -> Any:
    from django.urls import resolve

    match = resolve(request.path)
    return match.func(request, *match.args, **match.kwargs)


def _inbox(_rows: int) -> tuple[Any, str]:
    """The bulk form's "all that match the filter" with the monitor's largest filter
    (agency, field and kind, every status) the export accepts."""
    from django.db.models import Count
    from django.http import QueryDict

    from petitions import bulk, selectors

    request = _request("get", "/")
    visible = selectors.visible_petitions(request.user)
    largest = (
        visible.values("handling_agency_id", "field", "kind")
        .annotate(n=Count("id"))
        .filter(n__lte=bulk.MAX_EXPORT)
        .order_by("-n")
        .first()
    )
    if largest is None:
        return None, "no filter of the monitor matches the cap"
    query = QueryDict(mutable=True)
    query.update(
        {
            "all": "1",
            "agency": str(largest["handling_agency_id"]),
            "field": largest["field"],
            "kind": largest["kind"],
        }
    )
    post = _request(
        "post",
        "/staff/petitions/bulk/",
        {"action": "export", "selection": "all", "query": query.urlencode()},
    )
    return _call(post), f"filter {query.urlencode()} ({largest['n']:,} petitions)"


def _inbox_year(year_rows: int) -> tuple[Any, str]:
    """The inbox export's writer over a province's year: the rows the monitor's inbox
    lists with every status, received in the last 365 days, in the inbox's order."""
    from django.http import QueryDict
    from django.utils import timezone

    from petitions import bulk, selectors

    request = _request("get", "/")
    today = timezone.localdate()
    filters = selectors.inbox_filters(QueryDict("all=1"))
    rows = selectors.inbox(request.user, filters, today=today).filter(
        received_on__gt=today - timedelta(days=365)
    )[: min(year_rows, SHEET_ROWS - 1)]
    return bulk.export(rows), "received in the last 365 days, every status"


def _dashboard(extension: str) -> tuple[Any, str]:
    from django.utils import timezone

    today = timezone.localdate()
    start = today - timedelta(days=364)
    params = {"from": start.isoformat(), "to": today.isoformat()}
    return _call(_request("get", f"/staff/dashboard/export.{extension}", params)), (
        f"{start:%d/%m/%Y}–{today:%d/%m/%Y}"
    )


def _session(_rows: int) -> tuple[Any, str]:
    from django.db.models import Count
    from django.urls import reverse

    from recommendations.models import Recommendation

    largest = (
        Recommendation.objects.filter(status=Recommendation.Status.FORWARDED)
        .values("session_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if largest is None:
        return None, "no forwarded recommendation"
    path = reverse("recommendations:export", args=[largest["session_id"]])
    return _call(_request("get", path)), f"session {largest['session_id']} ({largest['n']:,})"


def _reception(_rows: int) -> tuple[Any, str]:
    from django.urls import reverse

    from reception.models import Visit

    count = Visit.objects.count()
    path = reverse("reception:register")
    return _call(_request("get", path, {"format": "xlsx"})), f"{count:,} visits in the database"


def _mediation(_rows: int) -> tuple[Any, str]:
    from django.db.models import Count, Max, Min
    from django.urls import reverse

    from mediation.models import MediationCase

    largest = (
        MediationCase.objects.values("team_id")
        .annotate(n=Count("id"), first=Min("requested_on"), last=Max("requested_on"))
        .order_by("-n")
        .first()
    )
    if largest is None:
        return None, "no mediation case in the bench data"
    path = reverse("mediation:register_xlsx", args=[largest["team_id"]])
    params = {"start": largest["first"].isoformat(), "end": largest["last"].isoformat()}
    return _call(_request("get", path, params)), f"team {largest['team_id']} ({largest['n']:,})"


def _compliance(_rows: int) -> tuple[Any, str]:
    from django.urls import reverse

    path = reverse("schedules:compliance")
    return _call(_request("get", path, {"format": "xlsx"})), "this year"


def _baseline(_rows: int) -> tuple[Any, str]:
    from agencies.scope import scope_for

    request = _request("get", "/")
    return None, f"monitor sees {len(scope_for(request.user).visible)} agencies"


RUNNERS: dict[str, Callable[[int], tuple[Any, str]]] = {
    "baseline": _baseline,
    "inbox": _inbox,
    "inbox_year": _inbox_year,
    "dashboard_xlsx": lambda _rows: _dashboard("xlsx"),
    "dashboard_csv": lambda _rows: _dashboard("csv"),
    "session": _session,
    "reception": _reception,
    "mediation": _mediation,
    "compliance": _compliance,
}


def child(key: str, url: str, out: str, year_rows: int) -> dict[str, Any]:
    """Run one export and write its body to `out`, block by block (in the child)."""
    config.setup_django(url)
    from django.utils import translation

    translation.activate("vi")
    started = time.perf_counter()
    response, note = RUNNERS[key](year_rows)
    result: dict[str, Any] = {"note": note, "status": None, "streaming": None}
    if response is not None:
        result["status"] = response.status_code
        result["streaming"] = bool(response.streaming)
        with open(out, "wb") as file:
            for block in response:
                file.write(block)
        response.close()
    result["seconds"] = time.perf_counter() - started
    return result


# --- the parent: a fresh process per export, its max RSS --------------------------------


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))


def _xlsx_rows(path: Path) -> int:
    """Rows of every sheet, counted in the stream of the sheet's XML (no workbook load)."""
    rows = 0
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/sheet"):
                continue
            with archive.open(name) as sheet:
                tail = b""
                while block := sheet.read(1 << 20):
                    data = tail + block
                    rows += data.count(b"<row ") + data.count(b"<row>")
                    # A tag cut between two blocks is counted in the next one.
                    tail = data[-5:]
                    rows -= tail.count(b"<row ") + tail.count(b"<row>")
    return rows


def _csv_rows(path: Path) -> int:
    import csv

    with path.open(encoding="utf-8-sig", newline="") as file:
        return sum(1 for _row in csv.reader(file))


def run_one(export: Export, url: str, *, year_rows: int, cwd: Path) -> dict[str, Any]:
    """One export in a fresh process; its figures and the child's max RSS."""
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as folder:
        out = Path(folder) / f"{export.key}.{export.kind}"
        command = [
            sys.executable,
            "-m",
            "bench.exports",
            "--child",
            export.key,
            "--database-url",
            url,
            "--out",
            str(out),
            "--year-rows",
            str(year_rows),
        ]
        wall = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command, cwd=cwd, stdout=subprocess.PIPE, preexec_fn=_limit_memory
        )
        output = process.stdout.read() if process.stdout else b""
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        row: dict[str, Any] = {
            "export": export.key,
            "label": export.label,
            "max_rss_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux
            "wall_seconds": time.perf_counter() - wall,
            "exit": process.returncode,
        }
        if process.returncode != 0:
            row["error"] = "the child failed (see its stderr above)"
            return row
        row.update(json.loads(output.decode().strip().splitlines()[-1]))
        row["bytes"] = out.stat().st_size if out.exists() else 0
        if row["bytes"] and export.kind == "xlsx":
            row["rows"] = _xlsx_rows(out)
        elif row["bytes"] and export.kind == "csv":
            row["rows"] = _csv_rows(out)
        else:
            row["rows"] = 0
        row["verdict"] = "met" if row["max_rss_mb"] <= TARGET_MB else "NOT met"
        return row


def measure(
    url: str, *, only: list[str] | None = None, year_rows: int = SHEET_ROWS - 1
) -> dict[str, Any]:
    """Every export over the database at `url`, each in its own process."""
    cwd = Path(os.environ.get("BENCH_EXPORTS_TREE") or config.BASE_DIR)
    chosen = [e for e in EXPORTS if not only or e.key in only]
    results = []
    for export in chosen:
        print(f"  {export.label} …", flush=True)
        row = run_one(export, url, year_rows=year_rows, cwd=cwd)
        print(f"    {_line(row)}", flush=True)
        results.append(row)
    return {"database": config.database_name(url), "target_mb": TARGET_MB, "exports": results}


def _line(row: dict[str, Any]) -> str:
    if "error" in row:
        return f"FAILED: {row['error']} (max RSS {row['max_rss_mb']:.0f} MB)"
    return (
        f"{row['rows']:,} rows, {row['bytes'] / 1e6:.1f} MB file, "
        f"{row['seconds']:.1f} s, max RSS {row['max_rss_mb']:.0f} MB "
        f"(HTTP {row['status']}, streaming {row['streaming']}) — {row['note']}"
    )


def table(result: dict[str, Any]) -> str:
    """The figures as the README's Markdown table."""
    lines = [
        "| export | rows | file MB | seconds | max RSS MB | ≤ 200 MB |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in result["exports"]:
        if "error" in row:
            lines.append(f"| {row['label']} | — | — | — | {row['max_rss_mb']:.0f} | failed |")
            continue
        lines.append(
            f"| {row['label']} | {row['rows']:,} | {row['bytes'] / 1e6:.1f} "
            f"| {row['seconds']:.1f} | {row['max_rss_mb']:.0f} | {row['verdict']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.exports", description=__doc__)
    parser.add_argument("--database-url", default="", help="default: the BENCH_SCALE database")
    parser.add_argument("--only", action="append", choices=[e.key for e in EXPORTS])
    parser.add_argument("--year-rows", type=int, default=SHEET_ROWS - 1)
    parser.add_argument("--json", default="", help="also write the figures to this file")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--out", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    url = args.database_url or config.main_url()
    if args.child:
        print(json.dumps(child(args.child, url, args.out, args.year_rows)), flush=True)
        return 0
    print(f"exports over {config.database_name(url)}", flush=True)
    result = measure(url, only=args.only, year_rows=args.year_rows)
    print(table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    failed = [r for r in result["exports"] if "error" in r or r["verdict"] != "met"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
