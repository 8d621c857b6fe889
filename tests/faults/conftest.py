"""Fixtures of the fault tests: a temporary directory any OS user can enter, the
PostgreSQL server to create their databases on, and a way to print their figures."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
import pytest

from tests.conftest import skip_or_fail


@pytest.fixture
def work_dir() -> Iterator[Path]:
    """Under /tmp, not pytest's root-only tmp_path: the PostgreSQL nodes of the failover
    test run as the `postgres` user and need to enter it."""
    path = Path(tempfile.mkdtemp(prefix="civic-h6-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def server_url() -> str:
    """The PostgreSQL server the broker test creates its database on: FAULTS_POSTGRES_URL,
    else the server of DATABASE_URL, else the local one."""
    explicit = os.environ.get("FAULTS_POSTGRES_URL")
    if explicit:
        return explicit.rstrip("/")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        return f"postgres://{parts.netloc}"
    return "postgres://postgres@127.0.0.1:5432"


@pytest.fixture
def fresh_database() -> Iterator[Callable[[str], str]]:
    """make(name) -> the URL of an empty database `name` on the server; dropped after."""
    made: list[str] = []
    base = server_url()
    try:
        admin = psycopg2.connect(base + "/postgres", connect_timeout=5)
    except psycopg2.OperationalError as error:
        skip_or_fail(f"the fault tests need a PostgreSQL server at {base}: {error}")
    admin.autocommit = True

    def make(name: str) -> str:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return f"{base}/{name}"

    yield make
    with admin.cursor() as cursor:
        for name in made:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def report(capsys: pytest.CaptureFixture[str]) -> Callable[[str], None]:
    """Print a line of figures past pytest's capture, so CI's log shows it."""

    def say(line: str) -> None:
        with capsys.disabled():
            print(line, flush=True)

    return say


def require(program: str, hint: str) -> str:
    path = shutil.which(program)
    if path is None:
        skip_or_fail(f"{program} is not installed ({hint})")
    return str(path)
