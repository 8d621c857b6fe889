"""gunicorn on loopback, a logged-in HTTP client, and bounded latency loops."""

from __future__ import annotations

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from . import config

HOST = "127.0.0.1"  # never anything else: the bench serves nobody


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(database_url: str, *, workers: int = 2) -> Iterator[int]:
    """A production-like server (DEBUG off, 2 sync workers) on a free loopback port;
    stopped on the way out, error or not."""
    port = free_port()
    log = config.VAR_DIR / "gunicorn.log"
    env = {**os.environ, **config.server_environment(database_url)}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "civic_portal.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--timeout",
        "120",
        "--error-logfile",
        str(log),
    ]
    process = subprocess.Popen(command, cwd=config.BASE_DIR, env=env)  # noqa: S603
    try:
        _wait_until_up(port, process, timeout=60)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _wait_until_up(port: int, process: subprocess.Popen[bytes], *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see var/bench/")
        try:
            status, _body, _headers = request(port, "/healthz")
        except OSError:
            time.sleep(0.2)
            continue
        if status:
            return
    raise RuntimeError("gunicorn did not answer within a minute")


def request(
    port: int,
    path: str,
    *,
    method: str = "GET",
    cookies: dict[str, str] | None = None,
    body: dict[str, str] | None = None,
    timeout: float = 60,
) -> tuple[int, bytes, list[tuple[str, str]]]:
    """One request on a new connection (gunicorn's sync workers close each one)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        headers = {"Host": f"{HOST}:{port}", "Accept-Language": "vi"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{port}/login/"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), response.getheaders()
    finally:
        connection.close()


def _set_cookies(jar: dict[str, str], headers: list[tuple[str, str]]) -> None:
    for name, value in headers:
        if name.lower() == "set-cookie":
            parsed = SimpleCookie()
            parsed.load(value)
            for key, morsel in parsed.items():
                jar[key] = morsel.value


def login(
    port: int, username: str, password: str, code: Callable[[], str] | None = None
) -> dict[str, str]:
    """Log in through the real login form; returns the session's cookies. When the
    portal then asks for a two-factor code (leads, monitors), `code()` gives it."""
    jar: dict[str, str] = {}
    status, page, headers = request(port, "/login/")
    _set_cookies(jar, headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or token is None:
        raise RuntimeError(f"login page answered {status}")
    status, _page, headers = request(
        port,
        "/login/",
        method="POST",
        cookies=jar,
        body={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": token.group(1).decode(),
        },
    )
    _set_cookies(jar, headers)
    if status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"login as {username} failed ({status})")
    status, page, headers = request(port, "/login/code/", cookies=jar)
    if status == 200 and code is not None:
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if token is None:
            raise RuntimeError(f"no form on the code page for {username}")
        status, _page, headers = request(
            port,
            "/login/code/",
            method="POST",
            cookies=jar,
            body={"code": code(), "csrfmiddlewaretoken": token.group(1).decode()},
        )
        _set_cookies(jar, headers)
        if status != 302:
            raise RuntimeError(f"two-factor code for {username} refused ({status})")
    return jar


def totp_code(user: object) -> str:
    """The code of the user's authenticator now, made first if they have none (the
    bench's stand-in for the phone a lead or monitor enrolled)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


@dataclass
class Latencies:
    """Milliseconds of the measured requests (warm-up excluded) and what went wrong."""

    samples: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def percentile(self, p: float) -> float | None:
        if not self.samples:
            return None
        ordered = sorted(self.samples)
        # Nearest rank: p95 of 100 samples is the 95th, an observed value.
        rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.4999)))
        return ordered[rank - 1]

    @property
    def p50(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def p95(self) -> float | None:
        return self.percentile(95)

    @property
    def max(self) -> float | None:
        return max(self.samples) if self.samples else None


def measure(
    port: int,
    path: str,
    cookies: dict[str, str],
    *,
    warmup: int,
    count: int,
    concurrency: int = 1,
    max_seconds: float = 120,
) -> Latencies:
    """`warmup` untimed requests, then `count` timed ones spread over `concurrency`
    threads; stops early (with fewer samples) once `max_seconds` have passed."""
    result = Latencies()
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + max_seconds

    def one() -> float | None:
        begun = time.perf_counter()
        try:
            status, _body, _headers = request(port, path, cookies=cookies)
        except OSError as exc:
            with lock:
                result.errors.append(type(exc).__name__)
            return None
        elapsed = (time.perf_counter() - begun) * 1000
        if status != 200:
            with lock:
                result.errors.append(str(status))
            return None
        return elapsed

    for _ in range(warmup):
        if time.monotonic() > deadline:
            break
        one()

    def worker(share: int) -> None:
        for _ in range(share):
            if time.monotonic() > deadline:
                return
            elapsed = one()
            if elapsed is not None:
                with lock:
                    result.samples.append(elapsed)

    shares = [
        count // concurrency + (1 if i < count % concurrency else 0) for i in range(concurrency)
    ]
    threads = [threading.Thread(target=worker, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max_seconds + 120)
    result.seconds = time.monotonic() - started
    return result
