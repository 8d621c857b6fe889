"""What the fault tests share: processes of our own, a portal served by gunicorn, and
citizens who submit petitions through its pages.

Nothing here touches the machine's shared services: each test starts its own Redis,
PostgreSQL (or database on the shared server), gunicorn, worker and beat on free ports,
in a temporary directory, and stops exactly the processes it started.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes
from http.client import HTTPConnection, HTTPResponse
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parents[2]
# The file e-mail backend separates messages in a file with a line of 79 dashes.
MESSAGE_SEPARATOR = b"\n" + b"-" * 79 + b"\n"
REFERENCE = re.compile(r"\b(?:KN|TC|KI|PA)-\d{4}-\d{6}\b")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def wait_for(predicate: Callable[[], bool], *, timeout: float, what: str, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Process:
    """A child in its own session (so a kill takes its whole group), logging to a file."""

    def __init__(self, name: str, args: list[str], *, env: dict[str, str], log: Path) -> None:
        self.name = name
        self.args = args
        self.env = env
        self.log_path = log
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> Process:
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(  # noqa: S603 — our own fixed arguments
                self.args,
                cwd=BASE_DIR,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal_group(self, sig: int) -> None:
        if self.popen is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)

    def kill(self) -> None:
        """SIGKILL to the whole group: no cleanup, no goodbye."""
        self.signal_group(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(timeout=20)

    def stop(self, timeout: float = 15) -> None:
        if not self.running:
            return
        self.signal_group(signal.SIGTERM)
        assert self.popen is not None
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def tail(self, chars: int = 3000) -> str:
        try:
            return (
                f"--- {self.name} ({self.log_path}) ---\n"
                + self.log_path.read_text(errors="replace")[-chars:]
            )
        except OSError:
            return f"--- {self.name}: no log ---"


def run(args: list[str], *, env: dict[str, str], timeout: float = 300) -> str:
    done = subprocess.run(  # noqa: S603 — our own fixed arguments
        args, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    return done.stdout


# --- the portal -------------------------------------------------------------------------


def portal_env(
    *, tmp: Path, database_url: str, port: int, broker_url: str, redis_url: str = ""
) -> dict[str, str]:
    """A production-like configuration (DEBUG off) in a temporary directory."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    (tmp / "var").mkdir(exist_ok=True)
    (tmp / "mail").mkdir(exist_ok=True)
    env.update(
        DJANGO_SETTINGS_MODULE="civic_portal.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        SECURE_SSL_REDIRECT="0",
        STATIC_MANIFEST="0",
        SITE_URL=f"http://127.0.0.1:{port}",
        VAR_DIR=str(tmp / "var"),
        MEDIA_ROOT=str(tmp / "media"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp / "mail"),
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker_url,
        CELERY_TASK_ALWAYS_EAGER="0",
        # Fifty citizens behind one address: the hourly limit is not what is tested.
        SUBMISSION_RATE_LIMIT="1000000",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def prepare_database(env: dict[str, str], *, setup_url: str = "") -> int:
    """Migrate, then add the one agency citizens write to; return its id. `setup_url`,
    when given, is the database URL for these two steps only."""
    if setup_url:
        env = {**env, "DATABASE_URL": setup_url}
    out = run([sys.executable, "-m", "tests.faults.seed"], env=env)
    return int(json.loads(out.strip().splitlines()[-1])["agency"])


def gunicorn(env: dict[str, str], port: int, tmp: Path) -> Process:
    process = Process(
        "gunicorn",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "civic_portal.wsgi:application",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--timeout=60",
            "--graceful-timeout=5",
            "--backlog=512",
        ],
        env=env,
        log=tmp / "gunicorn.log",
    ).start()
    wait_for(
        lambda: not process.running or port_open(port),
        timeout=60,
        what=f"gunicorn\n{process.tail()}",
    )
    if not process.running:
        raise AssertionError(f"gunicorn did not start\n{process.tail()}")
    return process


def celery(role: str, env: dict[str, str], tmp: Path) -> Process:
    args = [sys.executable, "-m", "celery", "-A", "civic_portal", role, "--loglevel=INFO"]
    if role == "worker":
        args += [
            "--pool=threads",
            "--concurrency=4",
            "--without-gossip",
            "--without-mingle",
            f"--hostname=faults-{secrets.token_hex(4)}@%h",
        ]
    else:
        args += [f"--schedule={tmp / 'var' / 'beat-schedule'}"]
    return Process(f"celery {role}", args, env=env, log=tmp / f"{role}.log").start()


def warm_up(port: int, *, times: int = 6) -> None:
    """Open the form a few times, so each gunicorn worker has loaded the application and
    connected before the figures start (the first request of a worker takes seconds)."""
    for _ in range(times):
        response, _page = Browser(port, 60).request("GET", "/gui-don/")
        if response.status != 200:
            raise AssertionError(f"the form answers {response.status} before any fault")


# --- citizens ---------------------------------------------------------------------------


@dataclass
class Outcome:
    started: float
    ended: float
    reference: str = ""
    email: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.reference)


class Browser:
    """One citizen's browser: cookies, and a fresh connection per request (gunicorn's
    sync workers close each one)."""

    def __init__(self, port: int, timeout: float) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str = "") -> tuple[HTTPResponse, bytes]:
        connection = HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {"Host": "127.0.0.1", "Accept-Language": "vi"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            connection.request(method, path, body=body.encode() or None, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.cookies[name] = morsel.value
        return response, data


def submit_once(port: int, *, agency_id: int, email: str, timeout: float = 30) -> Outcome:
    """Open the form, send a complaint, read the reference off the confirmation page."""
    started = time.monotonic()
    browser = Browser(port, timeout)
    try:
        response, page = browser.request("GET", "/gui-don/")
        if response.status != 200:
            return Outcome(started, time.monotonic(), email=email, error=f"form {response.status}")
        token = CSRF_FIELD.search(page.decode("utf-8", "replace"))
        if token is None:
            return Outcome(started, time.monotonic(), email=email, error="form without a token")
        body = urlencode(
            {
                "csrfmiddlewaretoken": html.unescape(token.group(1)),
                "kind": "complaint",
                "field": "land",
                "handling_agency": str(agency_id),
                "subject": "Khiếu nại việc thu hồi đất",
                "content": "Gia đình tôi không đồng ý với quyết định thu hồi đất nông nghiệp.",
                "name": "Nguyễn Văn An",
                "email": email,
                "address": "Thôn Đông, xã Gia Viễn",
                "truthful": "on",
                "website": "",
            }
        )
        response, page = browser.request("POST", "/gui-don/", body)
        if response.status != 302:
            return Outcome(
                started, time.monotonic(), email=email, error=f"submit {response.status}"
            )
        response, page = browser.request("GET", response.headers["Location"])
        found = REFERENCE.search(page.decode("utf-8", "replace"))
        if response.status != 200 or found is None:
            return Outcome(
                started, time.monotonic(), email=email, error=f"confirmation {response.status}"
            )
        return Outcome(started, time.monotonic(), reference=found.group(0), email=email)
    except Exception as error:  # a refused or dropped connection, a timeout
        return Outcome(started, time.monotonic(), email=email, error=type(error).__name__)


@dataclass
class Load:
    """`citizens` threads submitting one petition after another for `seconds`."""

    port: int
    agency_id: int
    citizens: int
    seconds: float
    pause: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)
    started: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)
    _stopping: threading.Event = field(default_factory=threading.Event)

    def _citizen(self, number: int) -> None:
        sent = 0
        while time.monotonic() - self.started < self.seconds and not self._stopping.is_set():
            email = f"cong.dan.{number}.{sent}@example.vn"
            outcome = submit_once(self.port, agency_id=self.agency_id, email=email)
            sent += 1
            with self._lock:
                self.outcomes.append(outcome)
            if self.pause:
                time.sleep(self.pause)

    def start(self) -> Load:
        self.started = time.monotonic()
        for number in range(self.citizens):
            thread = threading.Thread(target=self._citizen, args=(number,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Let every citizen finish the submission in hand, then stop."""
        self._stopping.set()

    def join(self) -> list[Outcome]:
        for thread in self._threads:
            thread.join(timeout=self.seconds + 120)
        return list(self.outcomes)

    def snapshot(self) -> list[Outcome]:
        with self._lock:
            return list(self.outcomes)


def longest_gap(outcomes: list[Outcome], *, since: float) -> float:
    """The longest stretch after `since` in which no submission succeeded: the time
    without service (a success ends a stretch when its answer arrives)."""
    ends = sorted(o.ended for o in outcomes if o.ok and o.ended >= since)
    previous, gap = since, 0.0
    for end in ends:
        gap = max(gap, end - previous)
        previous = end
    return gap


def delivered(mail_dir: Path) -> Counter[str]:
    """How many e-mails the worker wrote to each address."""
    counts: Counter[str] = Counter()
    for path in mail_dir.iterdir():
        for chunk in path.read_bytes().split(MESSAGE_SEPARATOR):
            if chunk.strip():
                counts[str(message_from_bytes(chunk)["To"])] += 1
    return counts
