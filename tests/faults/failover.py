"""A pg_auto_failover formation of our own: a monitor, a primary and a synchronous
standby on free local ports, in a temporary directory, run as the `postgres` OS user
(PostgreSQL refuses to run as root). The machine's shared PostgreSQL is not touched.

The monitor's health checks are tightened so the test is short (a failover in about
ten seconds instead of about fifty); README "Production: database failover" keeps the
defaults and says why.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import psycopg2

from tests.faults.harness import Process, free_port, wait_for

# Seconds and milliseconds as the monitor's settings take them.
FAST_MONITOR = {
    "pgautofailover.health_check_period": "1000",
    "pgautofailover.health_check_timeout": "1000",
    "pgautofailover.health_check_max_retries": "1",
    "pgautofailover.health_check_retry_delay": "500",
    "pgautofailover.node_considered_unhealthy_timeout": "3000",
    "pgautofailover.primary_demote_timeout": "5000",
}
DATABASE = "civic"
OS_USER = "postgres"


def pg_ctl() -> str | None:
    """The pg_ctl of the server version pg_auto_failover was built for (Debian: 15)."""
    for candidate in [
        "/usr/lib/postgresql/15/bin/pg_ctl",
        *sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")),
    ]:
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("pg_ctl")


class Formation:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.pg_ctl = pg_ctl() or "pg_ctl"
        self.monitor_port, self.port1, self.port2 = free_port(), free_port(), free_port()
        self.processes: dict[str, Process] = {}
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": str(directory),
            "XDG_CONFIG_HOME": str(directory / "config"),
            "XDG_DATA_HOME": str(directory / "share"),
        }
        directory.mkdir(parents=True, exist_ok=True)
        shutil.chown(directory, OS_USER, OS_USER)

    # --- as the postgres user ------------------------------------------------------------

    def _as_postgres(self, *args: str) -> list[str]:
        env = [f"{key}={value}" for key, value in self.env.items()]
        return ["runuser", "-u", OS_USER, "--", "env", *env, "pg_autoctl", *args]

    def _node_args(self, name: str, port: int) -> list[str]:
        return [
            "--pgdata",
            str(self.directory / name),
            "--pgport",
            str(port),
            "--hostname",
            "127.0.0.1",
            "--auth",
            "trust",
            "--no-ssl",
            "--pgctl",
            self.pg_ctl,
        ]

    @property
    def monitor_uri(self) -> str:
        return (
            f"postgres://autoctl_node@127.0.0.1:{self.monitor_port}/pg_auto_failover"
            "?sslmode=disable"
        )

    @property
    def database_url(self) -> str:
        """The URL the portal is given: both nodes, whichever accepts writes."""
        return (
            f"postgres://postgres@127.0.0.1:{self.port1},127.0.0.1:{self.port2}/{DATABASE}"
            "?target_session_attrs=read-write"
        )

    def dsn(self, port: int, dbname: str = DATABASE) -> str:
        return f"host=127.0.0.1 port={port} user=postgres dbname={dbname} connect_timeout=3"

    def _start(self, name: str, args: list[str]) -> Process:
        process = Process(
            f"pg_autoctl {name}",
            self._as_postgres(*args),
            env=dict(os.environ),
            log=self.directory.parent / f"pg-{name}.log",
        ).start()
        self.processes[name] = process
        return process

    # --- the formation -------------------------------------------------------------------

    def start(self) -> None:
        create = self._as_postgres(
            "create", "monitor", *self._node_args("monitor", self.monitor_port)
        )
        done = subprocess.run(create, capture_output=True, text=True, timeout=120)  # noqa: S603
        if done.returncode != 0:
            raise AssertionError(f"pg_autoctl create monitor failed:\n{done.stderr[-3000:]}")
        self._start("monitor", ["run", "--pgdata", str(self.directory / "monitor")])
        wait_for(
            lambda: self._query(self.monitor_port, "SELECT 1", "pg_auto_failover") is not None,
            timeout=60,
            what="the pg_auto_failover monitor",
        )
        db = psycopg2.connect(self.dsn(self.monitor_port, "pg_auto_failover"))
        db.autocommit = True  # ALTER SYSTEM refuses a transaction block
        try:
            with db.cursor() as cursor:
                for name, value in FAST_MONITOR.items():
                    cursor.execute(f"ALTER SYSTEM SET {name} = %s", [value])
                cursor.execute("SELECT pg_reload_conf()")
        finally:
            db.close()

        node = ["--monitor", self.monitor_uri, "--dbname", DATABASE, "--run"]
        self._start(
            "node1",
            ["create", "postgres", *self._node_args("node1", self.port1), "--name", "node1", *node],
        )
        wait_for(
            lambda: self.states().get("node1") in {"single", "wait_primary", "primary"},
            timeout=120,
            what=f"the primary\n{self.processes['node1'].tail()}",
        )
        self._start(
            "node2",
            ["create", "postgres", *self._node_args("node2", self.port2), "--name", "node2", *node],
        )

        def replicating() -> bool:
            # pg_basebackup waits for a checkpoint, which PostgreSQL spreads over minutes
            # by default: ask for it at once.
            self._query(self.port1, "CHECKPOINT")
            return self.states() == {"node1": "primary", "node2": "secondary"}

        wait_for(
            replicating,
            timeout=180,
            every=2,
            what=f"the standby\n{self.processes['node2'].tail()}\n{self.states()}",
        )

    def _query(self, port: int, sql: str, dbname: str = DATABASE) -> list[tuple] | None:
        try:
            db = psycopg2.connect(self.dsn(port, dbname))
        except psycopg2.Error:
            return None
        db.autocommit = True
        try:
            with db.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall() if cursor.description else []
        except psycopg2.Error:
            return None
        finally:
            db.close()

    def states(self) -> dict[str, str]:
        """Each node's state as the monitor last heard it reported."""
        rows = self._query(
            self.monitor_port,
            "SELECT nodename, reportedstate FROM pgautofailover.node ORDER BY nodeid",
            "pg_auto_failover",
        )
        return {name: str(state) for name, state in rows or []}

    def synchronous_standby_names(self) -> str:
        rows = self._query(self.port1, "SHOW synchronous_standby_names")
        return str(rows[0][0]) if rows else ""

    def kill_primary(self) -> None:
        """SIGKILL to node1's keeper and its postmaster: the machine lost power."""
        self.processes["node1"].kill()
        pid_file = self.directory / "node1" / "postmaster.pid"
        if pid_file.exists():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)

    def stop(self) -> None:
        for name in ("node2", "node1", "monitor"):
            process = self.processes.get(name)
            if process is not None:
                process.stop(timeout=20)
        # Whatever PostgreSQL left behind (a postmaster outlives a killed keeper).
        for name in ("node2", "node1", "monitor"):
            pid_file = self.directory / name / "postmaster.pid"
            if pid_file.exists():
                with contextlib.suppress(ProcessLookupError, ValueError, OSError):
                    os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)
        time.sleep(0.5)
