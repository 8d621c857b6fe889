"""Citizens at a surge (issue 15, target 3): how many petitions a second the public
form takes, beside the most a one-row insert reaches on the same server.

`python -m bench.surge` starts gunicorn once (2 sync workers, DEBUG off, the bench's
environment) with the reference view mounted (BENCH_REFERENCE=1) and, for a fixed
time each, drives concurrent clients at

1. the reference view, `/bench/reference/`: it inserts one row into the bench-only
   table `bench_reference` and answers 200 — the limit of this machine for a request
   that writes, behind the very middleware the public form runs through;
2. the public form, `/gui-don/`: a realistic petition posted with its CSRF token, as
   a browser posts it; success is the redirect to the confirmation page.

Each client reads its form once (cookie and CSRF token, as a citizen with the page
open) and then posts again and again, each post a new citizen: no session cookie and
its own client address. The rate limit of the public form stays on: the server is
told it sits behind a proxy (USE_X_FORWARDED_PROTO=1, as in production) and each post
comes with its own X-Forwarded-For. Prints both rates, p50 / p95, the errors and the
ratio against the target (≥ 40 %).
"""

from __future__ import annotations

import argparse
import gzip
import html
import http.client
import json
import os
import random
import re
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from . import config

HOST = "127.0.0.1"
REFERENCE_PATH = "/bench/reference/"
SUBMIT_PATH = "/gui-don/"
SUBMITTED_PATH = "/gui-don/da-nhan/"
TARGET_RATIO = 0.40
# The bench-only table of the reference view; never one of the project's models.
REFERENCE_TABLE = (
    "CREATE TABLE IF NOT EXISTS bench_reference "
    "(id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), body text)"
)
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')

# --- the reference view (served by the bench's gunicorn only) ------------------------------


def reference_view(request: HttpRequest) -> HttpResponse:
    """GET: a form with its CSRF token; POST: one row into `bench_reference`, 200.

    The least a view that writes can do — the yardstick of the public form, mounted by
    civic_portal.urls only when BENCH_REFERENCE_VIEW is on."""
    if request.method == "POST":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_reference (body) VALUES (%s)", [request.POST.get("body", "")]
            )
        return HttpResponse("ok", content_type="text/plain; charset=utf-8")
    token = html.escape(get_token(request))
    return HttpResponse(
        '<!doctype html><form method="post">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        '<textarea name="body"></textarea><button>OK</button></form>'
    )


# --- the clients -----------------------------------------------------------------------------


# A petition as a citizen writes one: the same sizes as the generator's (bench.dataset).
SUBJECTS = [
    "Đề nghị giải quyết tranh chấp ranh giới đất với hộ liền kề",
    "Phản ánh tình trạng ô nhiễm từ cơ sở chăn nuôi gần khu dân cư",
    "Khiếu nại quyết định thu hồi đất làm đường giao thông",
    "Kiến nghị sửa chữa tuyến đường liên thôn bị xuống cấp",
]
CONTENT = (
    "Gia đình tôi sinh sống ổn định tại thửa đất này từ năm 1995, có đóng thuế sử dụng "
    "đất đầy đủ. Từ tháng 3 năm nay, việc thi công của hộ liền kề đã lấn sang phần đất "
    "của gia đình tôi khoảng 2 mét chiều ngang, chúng tôi đã báo với thôn nhưng chưa "
    "được giải quyết. Đề nghị cơ quan có thẩm quyền xem xét, đo đạc lại và giải quyết "
    "theo quy định của pháp luật."
)
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em"]
KINDS = ["complaint", "recommendation", "reflection", "complaint", "reflection"]
FIELDS = ["land", "environment", "transport", "construction", "social_policy"]


@dataclass
class FormChoices:
    """What the public form offers (read from the page, as a browser would)."""

    agencies: list[str]
    communes: list[str]


def _options(page: bytes, name: str) -> list[str]:
    select = re.search(rb'<select name="' + name.encode() + rb'".*?</select>', page, re.S)
    if select is None:
        return []
    return [v.decode() for v in re.findall(rb'<option value="(\d+)"', select.group(0))]


def form_choices(page: bytes) -> FormChoices:
    return FormChoices(
        agencies=_options(page, "handling_agency"), communes=_options(page, "commune")
    )


def petition(choices: FormChoices, rng: random.Random) -> dict[str, str]:
    """The fields of one citizen's petition, as the form (petitions.forms.SubmitForm)
    requires them: an e-mail left on about half, so the citizen's notice is written."""
    name = rng.choice(NAMES)
    data = {
        "kind": rng.choice(KINDS),
        "field": rng.choice(FIELDS),
        "handling_agency": rng.choice(choices.agencies),
        "commune": rng.choice(choices.communes) if choices.communes else "",
        "subject": rng.choice(SUBJECTS),
        "content": CONTENT,
        "name": name,
        "phone": f"09{rng.randrange(10**8):08d}",
        "email": f"citizen{rng.randrange(10**6)}@example.vn" if rng.random() < 0.5 else "",
        "address": "Thôn Đông, xã Gia Vân, tỉnh Ninh Bình",
        "truthful": "on",
        "website": "",
    }
    return data


class Addresses:
    """A new client address for each simulated citizen (10.x.y.z), from a random start
    so that a second run in the same hour does not find the first run's counters."""

    def __init__(self) -> None:
        self._next = random.randrange(1 << 23)
        self._lock = threading.Lock()

    def take(self) -> str:
        with self._lock:
            self._next = (self._next + 1) % (1 << 24)
            n = self._next
        return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


def call(
    port: int,
    path: str,
    *,
    method: str = "GET",
    cookies: dict[str, str] | None = None,
    body: dict[str, str] | None = None,
    address: str = "",
    timeout: float = 60,
) -> tuple[int, bytes, list[tuple[str, str]]]:
    """One request on its own connection (sync workers close each), as a browser
    sends it: cookies, the form encoded, the client address the proxy would add."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        headers = {"Host": f"{HOST}:{port}", "Accept-Encoding": "gzip"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if address:
            headers["X-Forwarded-For"] = address
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{port}{path}"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        return response.status, response.read(), response.getheaders()
    finally:
        conn.close()


def cookies_of(headers: list[tuple[str, str]]) -> dict[str, str]:
    jar: dict[str, str] = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            first = value.split(";", 1)[0]
            key, _, val = first.partition("=")
            jar[key.strip()] = val.strip()
    return jar


def read_form(port: int, path: str) -> tuple[dict[str, str], str, bytes]:
    """GET a form as a new visitor: its cookies, its CSRF token and the page."""
    status, page, headers = call(port, path, address=Addresses().take())
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}")
    if page[:2] == b"\x1f\x8b":
        page = gzip.decompress(page)
    token = TOKEN.search(page)
    if token is None:
        raise RuntimeError(f"no CSRF token on {path}")
    return cookies_of(headers), token.group(1).decode(), page


@dataclass
class Run:
    """One phase: the timed requests of every client, and what went wrong."""

    name: str
    samples: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.samples) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float | None:
        if not self.samples:
            return None
        ordered = sorted(self.samples)
        rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.4999)))
        return ordered[rank - 1]

    def merge(self, other: Run) -> None:
        self.samples += other.samples
        self.errors += other.errors
        self.seconds += other.seconds

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": len(self.samples),
            "seconds": round(self.seconds, 2),
            "rps": round(self.rate, 1),
            "p50_ms": statistics.median(self.samples) if self.samples else None,
            "p95_ms": self.percentile(95),
            "max_ms": max(self.samples) if self.samples else None,
            "errors": len(self.errors),
            "error_kinds": sorted(set(self.errors))[:10],
        }


def drive(
    name: str,
    one: Callable[[random.Random], str | None],
    *,
    clients: int,
    seconds: float,
    warmup: float,
) -> Run:
    """`clients` threads calling `one` back to back for `warmup` (untimed) and then
    `seconds`; `one` returns None on success or what went wrong."""
    run = Run(name)
    lock = threading.Lock()
    start = time.monotonic() + warmup
    stop = start + seconds

    def client(index: int) -> None:
        rng = random.Random(index)
        while True:
            begun = time.monotonic()
            if begun >= stop:
                return
            try:
                problem = one(rng)
            except OSError as exc:
                problem = type(exc).__name__
            ended = time.monotonic()
            # Only requests that began and ended inside the window count toward the rate.
            if begun < start or ended > stop:
                continue
            with lock:
                if problem is None:
                    run.samples.append((ended - begun) * 1000)
                else:
                    run.errors.append(problem)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds = seconds
    return run


def reference_client(port: int) -> Callable[[random.Random], str | None]:
    """Posts to the reference view: the same body size as a petition's content."""
    state = threading.local()

    def one(rng: random.Random) -> str | None:
        if not hasattr(state, "token"):
            state.cookies, state.token, _page = read_form(port, REFERENCE_PATH)
        status, _body, _headers = call(
            port,
            REFERENCE_PATH,
            method="POST",
            cookies=state.cookies,
            body={"csrfmiddlewaretoken": state.token, "body": CONTENT},
        )
        return None if status == 200 else str(status)

    return one


def submit_client(port: int, addresses: Addresses) -> Callable[[random.Random], str | None]:
    """Posts a petition as a new citizen each time (own address, no session); success
    is the redirect to the confirmation page."""
    state = threading.local()

    def one(rng: random.Random) -> str | None:
        if not hasattr(state, "token"):
            state.cookies, state.token, page = read_form(port, SUBMIT_PATH)
            state.choices = form_choices(page)
            if not state.choices.agencies:
                raise RuntimeError("the public form offers no agency")
        body = {"csrfmiddlewaretoken": state.token, **petition(state.choices, rng)}
        status, _body, headers = call(
            port,
            SUBMIT_PATH,
            method="POST",
            cookies=state.cookies,
            body=body,
            address=addresses.take(),
        )
        location = next((v for k, v in headers if k.lower() == "location"), "")
        if status == 302 and location.endswith(SUBMITTED_PATH):
            return None
        return str(status)

    return one


def form_client(port: int, addresses: Addresses) -> Callable[[random.Random], str | None]:
    """Opens the public form as a new visitor (informative: the page before a post)."""

    def one(rng: random.Random) -> str | None:
        status, _body, _headers = call(port, SUBMIT_PATH, address=addresses.take())
        return None if status == 200 else str(status)

    return one


# --- the server and the measurement --------------------------------------------------------


@contextmanager
def bench_server(database_url: str, *, workers: int = 2) -> Iterator[int]:
    """The bench's gunicorn with the reference view mounted and the proxy's client
    address trusted (as behind the production proxy); the environment is put back."""
    from . import http as bench_http

    extra = {"BENCH_REFERENCE": "1", "USE_X_FORWARDED_PROTO": "1"}
    saved = {name: os.environ.get(name) for name in extra}
    os.environ.update(extra)
    try:
        with bench_http.gunicorn(database_url, workers=workers) as port:
            yield port
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def ensure_reference_table(database_url: str) -> None:
    import psycopg2  # type: ignore[import-untyped]

    conn = psycopg2.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(REFERENCE_TABLE)
    finally:
        conn.close()


def measure_on(
    port: int,
    *,
    clients: int = 8,
    seconds: float = 20,
    rounds: int = 2,
    warmup: float = 3,
    form_page: bool = True,
) -> dict[str, Any]:
    """Both phases (and the form page, informative) on a running bench server, taking
    turns for `rounds` rounds of `seconds / rounds` each: on a machine shared with
    other work, a burst of it then weighs on both rates alike."""
    addresses = Addresses()
    reference, submit, form = Run("reference"), Run("submission"), Run("form page")
    share = seconds / rounds
    for _ in range(rounds):
        for run, one in (
            (reference, reference_client(port)),
            (submit, submit_client(port, addresses)),
        ):
            part = drive(run.name, one, clients=clients, seconds=share, warmup=warmup)
            run.merge(part)
    if form_page:
        form.merge(
            drive("form page", form_client(port, addresses), clients=clients, seconds=5, warmup=1)
        )
    result: dict[str, Any] = {
        "clients": clients,
        "rounds": rounds,
        "reference": reference.as_dict(),
        "submission": submit.as_dict(),
    }
    if form_page:
        result["form_page"] = form.as_dict()
    ratio = submit.rate / reference.rate if reference.rate else 0.0
    result["ratio"] = round(ratio, 3)
    result["met"] = ratio >= TARGET_RATIO and not submit.errors and not reference.errors
    return result


def measure(
    url: str, *, clients: int = 8, seconds: float = 20, rounds: int = 2, workers: int = 2
) -> dict[str, Any]:
    """Start the bench server on the database `url` and measure both rates."""
    ensure_reference_table(url)
    with bench_server(url, workers=workers) as port:
        return measure_on(port, clients=clients, seconds=seconds, rounds=rounds)


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def print_result(result: dict[str, Any]) -> None:
    print(f"\n{'phase':<30} {'n':>6} {'rps':>7} {'p50':>7} {'p95':>7} {'max':>7} {'errors':>6}")
    print("-" * 76)
    rows = [
        ("reference (insert one row)", result["reference"]),
        ("public submission (POST)", result["submission"]),
    ]
    if "form_page" in result:
        rows.append(("form page (GET, informative)", result["form_page"]))
    for label, row in rows:
        print(
            f"{label:<30} {row['requests']:>6} {row['rps']:>7.1f} {_ms(row['p50_ms']):>7}"
            f" {_ms(row['p95_ms']):>7} {_ms(row['max_ms']):>7} {row['errors']:>6}"
            + (f"  {', '.join(row['error_kinds'])}" if row["errors"] else "")
        )
    verdict = "met" if result["met"] else "MISSED"
    print(
        f"submission / reference = {result['ratio'] * 100:.0f} %"
        f" (target ≥ {TARGET_RATIO * 100:.0f} %, no errors): {verdict};"
        f" {result['clients']} clients, {result['rounds']} rounds each; times in ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.surge", description=__doc__)
    parser.add_argument("--database-url", default="", help="default: the main bench database")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20, help="per phase, all rounds")
    parser.add_argument("--rounds", type=int, default=2, help="turns of the two phases")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    url = args.database_url or config.main_url()
    print(f"surge on {config.database_name(url)}: gunicorn --workers {args.workers}", flush=True)
    result = measure(
        url,
        clients=args.clients,
        seconds=args.seconds,
        rounds=args.rounds,
        workers=args.workers,
    )
    print_result(result)
    config.VAR_DIR.mkdir(parents=True, exist_ok=True)
    (config.VAR_DIR / "surge.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
