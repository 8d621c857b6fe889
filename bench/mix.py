"""Many people at once (issue 15, target 4): staff at work and citizens submitting.

`python -m bench.mix` starts the bench's gunicorn once (2 sync workers, DEBUG off, the
server of bench.surge: the proxy's client address trusted, as in production) and
logs in, through the login form and the two-factor step, the handler and the lead
of every agency of the bench directory and the monitor `giamsat`. Then, for a minute:

- 200 staff sessions (users shared round-robin: a colleague with two tabs open),
  each acting after an exponential pause of 5 s on average — about 40 requests a
  second: handlers read the inbox (first page, page 2, a search, the overdue phase)
  and their agency's case pages; leads and the monitor do the same and also read
  the stats API, open the dashboard and export it (CSV or Excel);
- 20 citizens, each every 10 s on average: open the public form, then post a
  petition (each post from its own address: the rate limit stays on).

Prints one row per kind of request — n, p50, p95, max, errors — and the verdict of
the target: p95 ≤ 300 ms for each kind and no error at all.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import quote_plus

from . import config
from .surge import (
    SUBMIT_PATH,
    SUBMITTED_PATH,
    TOKEN,
    Addresses,
    Run,
    bench_server,
    call,
    cookies_of,
    form_choices,
    petition,
)

P95_TARGET_MS = 300.0
MONITOR = "giamsat"
SEARCH = quote_plus("thu hồi đất")
INBOX = [
    "/staff/petitions/",
    "/staff/petitions/?page=2",
    f"/staff/petitions/?q={SEARCH}",
    "/staff/petitions/?phase=overdue",
]
STATS = [
    "/api/v1/stats/summary/",
    "/api/v1/stats/by/field/",
    "/api/v1/stats/by/kind/",
    "/api/v1/stats/trend/",
]
EXPORTS = ["/staff/dashboard/export.csv", "/staff/dashboard/export.xlsx"]
# What each role does, by weight: handlers work their cases; leads and the monitor
# also read the figures (the dashboard and the stats API are theirs only).
HANDLER_MIX = {"inbox": 55, "case page": 45}
LEAD_MIX = {"inbox": 25, "case page": 25, "stats API": 30, "dashboard": 10, "export": 10}
KINDS = ["inbox", "case page", "stats API", "dashboard", "export", "citizen form", "citizen post"]


@dataclass
class Staff:
    username: str
    cookies: dict[str, str]
    mix: dict[str, int]
    case_ids: list[int]


@dataclass
class Tally:
    """Every kind's samples and errors, shared by the threads."""

    runs: dict[str, Run] = field(default_factory=lambda: {k: Run(k) for k in KINDS})
    lock: threading.Lock = field(default_factory=threading.Lock)
    elapsed: float = 0.0

    def add(self, kind: str, begun: float, problem: str | None) -> None:
        elapsed = (time.monotonic() - begun) * 1000
        with self.lock:
            run = self.runs[kind]
            if problem is None:
                run.samples.append(elapsed)
            else:
                run.errors.append(problem)


def _path(kind: str, staff: Staff, rng: random.Random) -> str:
    if kind == "inbox":
        return rng.choice(INBOX)
    if kind == "case page":
        return f"/staff/petitions/{rng.choice(staff.case_ids)}/"
    if kind == "stats API":
        return rng.choice(STATS)
    if kind == "dashboard":
        return "/staff/dashboard/"
    return rng.choice(EXPORTS)


def staff_session(
    port: int, staff: Staff, tally: Tally, *, seed: int, stop: float, think: float
) -> None:
    rng = random.Random(seed)
    kinds, weights = zip(*staff.mix.items(), strict=True)
    while True:
        time.sleep(rng.expovariate(1 / think))
        if time.monotonic() >= stop:
            return
        kind = rng.choices(kinds, weights)[0]
        if kind == "case page" and not staff.case_ids:
            kind = "inbox"
        path = _path(kind, staff, rng)
        begun = time.monotonic()
        try:
            status, _body, _headers = call(port, path, cookies=staff.cookies)
            problem = None if status == 200 else f"{status} {path}"
        except OSError as exc:
            problem = type(exc).__name__
        tally.add(kind, begun, problem)


def citizen(
    port: int,
    addresses: Addresses,
    tally: Tally,
    *,
    seed: int,
    stop: float,
    every: float,
) -> None:
    """Opens the form, then posts it, as a new citizen (own address) each time."""
    rng = random.Random(seed)
    while True:
        time.sleep(rng.expovariate(1 / every))
        if time.monotonic() >= stop:
            return
        address = addresses.take()
        begun = time.monotonic()
        try:
            status, page, headers = call(port, SUBMIT_PATH, address=address)
        except OSError as exc:
            tally.add("citizen form", begun, type(exc).__name__)
            continue
        tally.add("citizen form", begun, None if status == 200 else str(status))
        if status != 200:
            continue
        cookies, token, page = read_form_parts(page, headers)
        body = {"csrfmiddlewaretoken": token, **petition(form_choices(page), rng)}
        begun = time.monotonic()
        try:
            status, _page, headers = call(
                port, SUBMIT_PATH, method="POST", cookies=cookies, body=body, address=address
            )
            location = next((v for k, v in headers if k.lower() == "location"), "")
            ok = status == 302 and location.endswith(SUBMITTED_PATH)
            problem = None if ok else str(status)
        except OSError as exc:
            problem = type(exc).__name__
        tally.add("citizen post", begun, problem)


def read_form_parts(
    page: bytes, headers: list[tuple[str, str]]
) -> tuple[dict[str, str], str, bytes]:
    """The cookies, CSRF token and HTML of a form page already fetched."""
    if page[:2] == b"\x1f\x8b":
        page = gzip.decompress(page)
    token = TOKEN.search(page)
    if token is None:
        raise RuntimeError("no CSRF token on the public form")
    return cookies_of(headers), token.group(1).decode(), page


# --- the people --------------------------------------------------------------------------


def staff_users() -> list[tuple[Any, dict[str, int], int | None]]:
    """(user, mix, agency id) of every handler and lead of the bench directory, and
    the monitor (agency None: the whole province)."""
    from django.contrib.auth import get_user_model

    from agencies.models import Membership, Role

    people: list[tuple[Any, dict[str, int], int | None]] = []
    seen: set[int] = set()
    memberships = (
        Membership.objects.filter(role__in=[Role.HANDLER, Role.LEAD])
        .select_related("user")
        .order_by("agency_id", "role")
    )
    for membership in memberships:
        if membership.user_id in seen or not membership.user.is_active:
            continue
        seen.add(membership.user_id)
        mix = LEAD_MIX if membership.role == Role.LEAD else HANDLER_MIX
        people.append((membership.user, mix, membership.agency_id))
    monitor = get_user_model().objects.filter(username=MONITOR).first()
    if monitor is not None:
        people.append((monitor, LEAD_MIX, None))
    return people


def case_ids(agency_id: int | None, count: int = 200) -> list[int]:
    """Some cases of the agency (any agency's for the monitor), newest first."""
    from petitions.models import Petition

    petitions = Petition.objects.order_by()
    if agency_id is not None:
        petitions = petitions.filter(handling_agency_id=agency_id)
    return list(petitions.values_list("id", flat=True)[:count])


def log_in_everyone(
    port: int, people: list[tuple[Any, dict[str, int], int | None]], *, parallel: int = 2
) -> list[Staff]:
    """Each person through the login form (and the code page for leads and the
    monitor), `parallel` at a time: the password hash is slow on purpose."""
    from agencies.demo import DEMO_PASSWORD

    from . import http

    staff: list[Staff | None] = [None] * len(people)
    failures: list[str] = []
    queue = list(enumerate(people))
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                index, (user, mix, agency_id) = queue.pop()
            if mix is LEAD_MIX:
                # Leads and monitors must pass the second step: their authenticator
                # exists before the login, as it would after their enrolment.
                http.totp_code(user)
            try:
                cookies = http.login(
                    port, user.username, DEMO_PASSWORD, code=partial(http.totp_code, user)
                )
            except RuntimeError as exc:
                with lock:
                    failures.append(f"{user.username}: {exc}")
                continue
            staff[index] = Staff(user.username, cookies, mix, case_ids(agency_id))

    threads = [threading.Thread(target=worker) for _ in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        print(f"  {len(failures)} logins failed: {'; '.join(failures[:5])}")
    return [s for s in staff if s is not None]


# --- the measurement ---------------------------------------------------------------------


def run_mix(
    port: int,
    staff: list[Staff],
    *,
    sessions: int = 200,
    citizens: int = 20,
    seconds: float = 60,
    think: float = 5.0,
    every: float = 10.0,
) -> Tally:
    tally = Tally()
    addresses = Addresses()
    stop = time.monotonic() + seconds
    threads: list[threading.Thread] = []
    for i in range(sessions):
        target: Callable[..., None] = staff_session
        threads.append(
            threading.Thread(
                target=target,
                args=(port, staff[i % len(staff)], tally),
                kwargs={"seed": i, "stop": stop, "think": think},
                daemon=True,
            )
        )
    for i in range(citizens):
        threads.append(
            threading.Thread(
                target=citizen,
                args=(port, addresses, tally),
                kwargs={"seed": 10_000 + i, "stop": stop, "every": every},
                daemon=True,
            )
        )
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 180)
    elapsed = time.monotonic() - started
    # The rates are over the whole run, the requests still answered after the window
    # included: what the server got through, not what was asked of it.
    for run in tally.runs.values():
        run.seconds = elapsed
    tally.elapsed = elapsed
    return tally


def verdict(tally: Tally) -> dict[str, Any]:
    rows = {}
    met = True
    for kind, run in tally.runs.items():
        row = run.as_dict()
        ok = bool(run.samples) and not run.errors and (row["p95_ms"] or 0) <= P95_TARGET_MS
        row["met"] = ok
        met &= ok
        rows[kind] = row
    return {"kinds": rows, "met": met, "elapsed": round(tally.elapsed, 1)}


def measure_on(port: int, *, sessions: int = 200, citizens: int = 20, seconds: float = 60) -> dict:
    people = staff_users()
    if sessions < len(people):
        # Fewer sessions than people: log in only as many (the monitor, last, kept).
        people = people[: sessions - 1] + people[-1:]
    started = time.monotonic()
    staff = log_in_everyone(port, people)
    print(
        f"  {len(staff)} staff logged in ({time.monotonic() - started:.0f} s);"
        f" {sessions} sessions and {citizens} citizens for {seconds:.0f} s …",
        flush=True,
    )
    if not staff:
        raise RuntimeError("nobody could log in")
    # Warm both workers (first requests load templates and translations).
    for path in ("/staff/petitions/", SUBMIT_PATH):
        for _ in range(4):
            call(port, path, cookies=staff[0].cookies)
    tally = run_mix(port, staff, sessions=sessions, citizens=citizens, seconds=seconds)
    result = verdict(tally)
    result.update(
        {"sessions": sessions, "citizens": citizens, "seconds": seconds, "users": len(staff)}
    )
    return result


def measure(url: str, *, sessions: int = 200, citizens: int = 20, seconds: float = 60) -> dict:
    """Start the bench server on the database `url` and run the mix on it."""
    config.setup_django(url)
    with bench_server(url) as port:
        return measure_on(port, sessions=sessions, citizens=citizens, seconds=seconds)


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def print_result(result: dict[str, Any]) -> None:
    print(f"\n{'kind':<14} {'n':>6} {'rps':>6} {'p50':>6} {'p95':>6} {'max':>7} {'errors':>6}")
    print("-" * 60)
    total = 0
    for kind, row in result["kinds"].items():
        total += row["requests"] + row["errors"]
        mark = "met" if row["met"] else "MISSED"
        print(
            f"{kind:<14} {row['requests']:>6} {row['rps']:>6.1f} {_ms(row['p50_ms']):>6}"
            f" {_ms(row['p95_ms']):>6} {_ms(row['max_ms']):>7} {row['errors']:>6}  {mark}"
            + (f" ({', '.join(row['error_kinds'][:3])})" if row["errors"] else "")
        )
    print(
        f"{total} requests begun in {result['seconds']:.0f} s (the last answered after"
        f" {result['elapsed']:.0f} s; rps over that) from {result['sessions']} staff sessions"
        f" ({result['users']} users) and {result['citizens']} citizens; times in ms."
        f"\ntarget: p95 ≤ {P95_TARGET_MS:.0f} ms for every kind, no errors:"
        f" {'met' if result['met'] else 'MISSED'}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mix", description=__doc__)
    parser.add_argument("--database-url", default="", help="default: the main bench database")
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--citizens", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args(argv)
    url = args.database_url or config.main_url()
    print(f"mix on {config.database_name(url)}: gunicorn --workers 2", flush=True)
    result = measure(url, sessions=args.sessions, citizens=args.citizens, seconds=args.seconds)
    print_result(result)
    config.VAR_DIR.mkdir(parents=True, exist_ok=True)
    (config.VAR_DIR / "mix.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
