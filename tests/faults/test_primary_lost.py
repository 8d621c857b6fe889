"""Issue 16, fault 11: the database primary dies under a steady submission load.

PostgreSQL runs as a primary with a synchronous standby under pg_auto_failover. The
portal (gunicorn, 2 workers) is given one libpq multi-host URL naming both nodes with
`target_session_attrs=read-write`. While citizens submit petitions one after another,
the primary is killed (SIGKILL to its keeper and postmaster). Once the monitor has
promoted the standby, the same gunicorn — never restarted — must serve again, and
every submission it acknowledged before, during and after must be in the new
primary (synchronous replication: a commit is acknowledged only once the standby has
it). The test prints the seconds without service.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import psycopg2
import pytest

from tests.conftest import skip_or_fail
from tests.faults.conftest import require
from tests.faults.failover import Formation
from tests.faults.harness import (
    Load,
    free_port,
    gunicorn,
    longest_gap,
    portal_env,
    prepare_database,
    wait_for,
    warm_up,
)

pytestmark = [pytest.mark.fault]

CITIZENS = 10
BEFORE_SECONDS = 10
BEFORE_AT_LEAST = 10
# After the first answer from the new primary, keep submitting this long: the portal
# must go on serving, not answer once.
AFTER_SECONDS = 12
FAILOVER_TIMEOUT = 120
PACKAGE = "postgresql-15-auto-failover"


def ensure_pg_auto_failover() -> None:
    """Install Debian's pg_auto_failover when it is missing (as .ci/run does)."""
    if shutil.which("pg_autoctl") or os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for args in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", PACKAGE]):
        subprocess.run(args, env=quiet, capture_output=True, timeout=600, check=False)  # noqa: S603


def test_acknowledged_submissions_survive_the_loss_of_the_primary(work_dir, report):
    test_started = time.monotonic()
    if os.geteuid() != 0:
        skip_or_fail("the failover test runs PostgreSQL as the postgres user: it needs root")
    ensure_pg_auto_failover()
    require("pg_autoctl", f"apt-get install {PACKAGE}")
    require("runuser", "util-linux")
    formation = Formation(work_dir / "pg")
    web = None
    load = None
    try:
        formation.start()
        sync = formation.synchronous_standby_names()
        assert sync, "the standby is not synchronous: an acknowledged commit could be lost"

        web_port = free_port()
        env = portal_env(
            tmp=work_dir,
            database_url=formation.database_url,
            port=web_port,
            broker_url="filesystem://",
        )
        for folder in ("broker", "broker-control"):
            (work_dir / "var" / folder).mkdir(parents=True, exist_ok=True)
        # Migrations commit hundreds of times; waiting for the standby's disk each time
        # is not what is tested (the load below runs with synchronous commits).
        agency_id = prepare_database(
            env, setup_url=formation.database_url + "&options=-c%20synchronous_commit%3Doff"
        )
        web = gunicorn(env, web_port, work_dir)
        web_pid = web.popen.pid if web.popen else None
        warm_up(web_port)

        load = Load(port=web_port, agency_id=agency_id, citizens=CITIZENS, seconds=600, pause=0.1)
        setup_seconds = time.monotonic() - test_started
        load.start()
        # At least BEFORE_SECONDS of steady load, and some acknowledged submissions (on
        # a loaded machine one takes seconds) before the kill.
        time.sleep(BEFORE_SECONDS)
        wait_for(
            lambda: sum(o.ok for o in load.snapshot()) >= BEFORE_AT_LEAST,
            timeout=120,
            what=f"submissions before the kill: {[o.error for o in load.snapshot()[:10]]}\n"
            f"{web.tail()}",
        )
        before = [o for o in load.snapshot() if o.ok]

        killed_at = time.monotonic()
        formation.kill_primary()

        def served_again() -> bool:
            return any(o.ok and o.started > killed_at for o in load.snapshot())

        wait_for(
            served_again,
            timeout=FAILOVER_TIMEOUT,
            every=0.5,
            what=f"service after the failover; monitor says {formation.states()}",
        )
        back_at = min(o.ended for o in load.snapshot() if o.ok and o.started > killed_at)
        time.sleep(AFTER_SECONDS)
        wait_for(
            lambda: sum(o.ok and o.started > back_at for o in load.snapshot()) >= CITIZENS,
            timeout=120,
            what="the portal to keep serving after the failover",
        )
        load.stop()
        outcomes = load.join()

        successes = [o for o in outcomes if o.ok]
        failures = [o for o in outcomes if not o.ok]
        after = [o for o in outcomes if o.started > back_at]
        failed_after = [o for o in after if not o.ok]
        without_service = longest_gap(outcomes, since=killed_at)

        with psycopg2.connect(formation.dsn(formation.port2)) as db, db.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            (standby,) = cursor.fetchone()
            cursor.execute("SELECT reference FROM petitions_petition")
            rows = {reference for (reference,) in cursor.fetchall()}
        db.close()
        acknowledged = {o.reference for o in successes}
        missing = acknowledged - rows

        report(
            "\nFAULT primary lost: "
            f"(set up in {setup_seconds:.0f} s) "
            f"{len(outcomes)} submissions by {CITIZENS} citizens, {len(successes)} acknowledged "
            f"({len(before)} before the kill, {len(after) - len(failed_after)} after service "
            f"returned), {len(failures)} failed while the primary was gone; {len(rows)} rows on "
            f"the new primary, {len(missing)} acknowledged submissions missing; "
            f"{without_service:.1f} s without service; synchronous standby: {sync}; "
            f"nodes now {formation.states()}"
        )

        assert not standby, "node2 was not promoted"
        assert not missing, sorted(missing)[:20]
        assert web.running and web.popen is not None and web.popen.pid == web_pid
        assert len(after) - len(failed_after) >= CITIZENS, "the portal answered once, then stopped"
        assert not failed_after, [(o.error, round(o.ended - back_at, 1)) for o in failed_after[:20]]
    finally:
        if load is not None:
            load.stop()
            load.join()
        if web is not None:
            web.stop()
        formation.stop()
