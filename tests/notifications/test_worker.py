"""A real `celery worker` process against a private Redis and the test database.

These prove what unit tests cannot: a committed notice reaches a worker and the mail
server; a Redis outage delays mail and loses none; a worker killed in the middle of a
sweep causes no loss. They need PostgreSQL (a worker cannot share SQLite's in-memory
test database) and redis-server; CI runs them, a laptop on SQLite skips them.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from civic_portal.celery import app as celery_app
from notifications.models import Notice
from notifications.services import notify
from notifications.tasks import resend_pending
from tests.conftest import skip_or_fail
from tests.notifications.conftest import broker_at
from tests.notifications.factories import EmailNoticeFactory

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]

REDIS_SERVER = shutil.which("redis-server")
# The file backend separates messages in a file with a line of 79 dashes.
MESSAGE_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def wait_for(predicate: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of our own on a free port; the machine's shared one is never touched."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 — fixed arguments, our own binary lookup
            [
                str(REDIS_SERVER),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


class Worker:
    """`celery -A civic_portal worker` in its own process group, so SIGKILL takes it all."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, *, pool: str = "solo", concurrency: int = 1) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 — fixed arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "civic_portal",
                "worker",
                f"--pool={pool}",
                f"--concurrency={concurrency}",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
                f"--hostname=notifications-test-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def kill(self) -> None:
        """SIGKILL: no cleanup, no acknowledgement, no release of its claim."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


def database_url() -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "localhost"
    return f"postgres://{credentials}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def eager_celery() -> Iterator[None]:
    """Overrides the package's eager mode: here every task goes through the broker."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = saved


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    if connection.vendor != "postgresql":
        skip_or_fail(
            "worker tests need PostgreSQL: a worker process cannot share the in-memory "
            "SQLite test database"
        )
    if REDIS_SERVER is None:
        skip_or_fail("redis-server is not installed (apt-get install redis-server)")
    (tmp_path / "redis").mkdir()
    server = PrivateRedis(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def workers(transactional_db, redis: PrivateRedis, mail_dir: Path, tmp_path: Path):
    """Start workers on the private Redis, writing e-mails as files into mail_dir."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="civic_portal.settings",
        DATABASE_URL=database_url(),
        CELERY_BROKER_URL=redis.url,
        CELERY_TASK_ALWAYS_EAGER="0",
        VAR_DIR=str(tmp_path / "var"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
        LOG_LEVEL="INFO",
    )
    started: list[Worker] = []

    def start(**options: object) -> Worker:
        worker = Worker(env, tmp_path / f"worker-{len(started)}.log")
        worker.start(**options)  # type: ignore[arg-type]
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def delivered(mail_dir: Path) -> Counter[int]:
    """How many e-mails the worker wrote for each notice id."""
    counts: Counter[int] = Counter()
    for path in mail_dir.iterdir():
        for chunk in path.read_bytes().split(MESSAGE_SEPARATOR):
            if chunk.strip():
                counts[int(message_from_bytes(chunk)["X-Civic-Notice"])] += 1
    return counts


def publish_sweeps(url: str, *, times: int = 1) -> None:
    """What beat does every minute, sent to the private Redis."""
    with celery_app.connection_for_write(url) as conn:
        conn.ensure_connection(max_retries=5, interval_start=0.1, interval_step=0.2)
        for _ in range(times):
            resend_pending.apply_async(connection=conn)


def sent_count() -> int:
    return Notice.objects.filter(status=Notice.Status.SENT).count()


def test_a_worker_delivers_a_committed_notice_to_the_mail_server(redis, workers, mail_dir):
    worker = workers()
    with broker_at(redis.url):
        (notice,) = notify(
            key="petition:7:received",
            kind="petition.received",
            template="notice",
            context={"title": "Đơn của ông/bà đã được tiếp nhận", "message": "Mã tra cứu: X7"},
            email="cong.dan@example.vn",
            url="/tra-cuu/",
        )
    wait_for(
        lambda: Notice.objects.filter(pk=notice.pk, status=Notice.Status.SENT).exists(),
        timeout=30,
        what=f"the worker to send the notice\n{worker.log()}",
    )
    assert delivered(mail_dir) == {notice.pk: 1}
    (path,) = mail_dir.iterdir()
    message = message_from_bytes(path.read_bytes().split(MESSAGE_SEPARATOR)[0])
    assert message["To"] == "cong.dan@example.vn"
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == "Đơn của ông/bà đã được tiếp nhận"


def test_a_notice_made_while_redis_is_down_arrives_once_after_it_comes_back(
    redis, workers, mail_dir, caplog
):
    caplog.set_level(logging.WARNING, logger="notifications.services")
    worker = workers()
    redis.stop()
    with broker_at(redis.url):
        started = time.monotonic()
        (notice,) = notify(
            key="petition:8:received",
            kind="petition.received",
            template="notice",
            context={"title": "Đơn đã được tiếp nhận", "message": "…"},
            email="cong.dan@example.vn",
        )
        # the citizen's request went on at once, with the mail still in the outbox
        assert time.monotonic() - started < 5
    assert "delivery not queued" in caplog.text
    notice.refresh_from_db()
    assert notice.status == Notice.Status.PENDING

    redis.start()  # empty: whatever it held before the outage is gone
    publish_sweeps(redis.url)
    wait_for(
        lambda: Notice.objects.filter(pk=notice.pk, status=Notice.Status.SENT).exists(),
        timeout=40,
        what=f"the sweep to send the notice\n{worker.log()}",
    )
    # a second sweep finds nothing left to send
    publish_sweeps(redis.url)
    assert delivered(mail_dir) == {notice.pk: 1}


def test_a_worker_killed_in_the_middle_of_a_sweep_loses_nothing(redis, workers, mail_dir):
    notices = EmailNoticeFactory.create_batch(200)
    everyone = {n.pk for n in notices}

    first = workers()
    publish_sweeps(redis.url)
    wait_for(lambda: sent_count() >= 20, timeout=30, what=f"the first sweep\n{first.log()}")
    first.kill()
    sent_before = sent_count()
    assert sent_before < 200, "the sweep finished before it could be killed"

    # The row the killed worker was sending keeps its claim; five minutes later the
    # claim runs out. Move those leases into the past instead of waiting.
    in_flight = set(
        Notice.objects.filter(
            status=Notice.Status.PENDING, claimed_until__gt=timezone.now()
        ).values_list("pk", flat=True)
    )
    assert len(in_flight) <= 1
    Notice.objects.filter(pk__in=in_flight).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )

    # Four sweeps at once on a fresh worker: the claims keep them off each other's rows.
    second = workers(pool="threads", concurrency=4)
    publish_sweeps(redis.url, times=4)
    wait_for(lambda: sent_count() == 200, timeout=40, what=f"the sweeps\n{second.log()}")
    second.stop()

    counts = delivered(mail_dir)
    assert set(counts) == everyone  # nothing lost
    assert not Notice.objects.filter(sent_at__isnull=True).exists()
    duplicates = {pk for pk, count in counts.items() if count > 1}
    # No notice was sent twice, with one exception SMTP itself imposes: if the kill
    # landed after the mail server took the message and before the row said "sent",
    # that one message goes again — with the same Message-ID, so mail clients show
    # it once. Nothing else may repeat, and nothing more than twice.
    assert duplicates <= in_flight, (duplicates, in_flight)
    assert max(counts.values()) <= 2
    assert sum(counts.values()) <= 200 + len(in_flight)
