"""Issue 16, fault 10: Redis dies for 20 s while 50 citizens submit petitions.

A portal as production runs it — gunicorn with 2 workers on PostgreSQL, a Celery
worker and beat, one Redis that is both the broker and the cache — is loaded for 60 s
by 50 concurrent citizens, each submitting one complaint after another through the
pages. From the 20th second to the 40th Redis is killed (SIGKILL: whatever it held is
gone), then started again, empty, on the same port. Every submission must get its
answer, the rows must be exactly the acknowledged submissions, and every receipt
e-mail must be delivered exactly once: those queued during the outage by beat's
resend sweep once Redis is back (notifications.services.queue_delivery logs the
failed publish and leaves the row pending; casework.cache lets the rate limit serve
while the cache is gone).
"""

from __future__ import annotations

import signal
import threading
import time

import psycopg2
import pytest

from tests.faults.conftest import require
from tests.faults.harness import (
    Load,
    Process,
    celery,
    delivered,
    free_port,
    gunicorn,
    portal_env,
    prepare_database,
    wait_for,
    warm_up,
)

pytestmark = [pytest.mark.fault]

CITIZENS = 50
LOAD_SECONDS = 60
OUTAGE_STARTS = 20
OUTAGE_SECONDS = 20
# Beat sends the sweep every minute; after the load, give it two.
MAIL_WAIT_SECONDS = 150


def redis_answers(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.3) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def test_fifty_citizens_submit_through_a_twenty_second_broker_outage(
    work_dir, fresh_database, report
):
    test_started = time.monotonic()
    redis_server = require("redis-server", "apt-get install redis-server")
    redis_port, web_port = free_port(), free_port()
    database_url = fresh_database("civic_h6_broker")
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    env = portal_env(
        tmp=work_dir,
        database_url=database_url,
        port=web_port,
        broker_url=redis_url,
        redis_url=redis_url,
    )
    (work_dir / "redis").mkdir()

    def redis() -> Process:
        process = Process(
            "redis-server",
            [
                redis_server,
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(work_dir / "redis"),
            ],
            env=env,
            log=work_dir / "redis.log",
        ).start()
        wait_for(lambda: redis_answers(redis_port), timeout=20, what="redis-server")
        return process

    broker = redis()
    services: list[Process] = []
    try:
        agency_id = prepare_database(env)
        # Worker and beat start while gunicorn boots.
        worker, beat = celery("worker", env, work_dir), celery("beat", env, work_dir)
        services += [worker, beat]
        web = gunicorn(env, web_port, work_dir)
        services.append(web)
        warm_up(web_port)
        wait_for(
            lambda: "ready." in worker.log_path.read_text(errors="replace"),
            timeout=60,
            what=f"the celery worker\n{worker.tail()}",
        )
        outage: dict[str, float] = {}

        def break_the_broker(load: Load) -> None:
            time.sleep(max(0.0, load.started + OUTAGE_STARTS - time.monotonic()))
            outage["down"] = time.monotonic()
            broker.signal_group(signal.SIGKILL)
            assert broker.popen is not None
            broker.popen.wait(timeout=10)
            time.sleep(max(0.0, outage["down"] + OUTAGE_SECONDS - time.monotonic()))
            outage["restarting"] = time.monotonic()
            services.append(redis())  # stopped with the others at the end
            outage["up"] = time.monotonic()

        load = Load(port=web_port, agency_id=agency_id, citizens=CITIZENS, seconds=LOAD_SECONDS)
        setup_seconds = time.monotonic() - test_started
        load.start()
        saboteur = threading.Thread(target=break_the_broker, args=(load,), daemon=True)
        saboteur.start()
        outcomes = load.join()
        saboteur.join(timeout=60)
        load_seconds = time.monotonic() - load.started

        successes = [o for o in outcomes if o.ok]
        failures = [o for o in outcomes if not o.ok]
        # Answers that arrived while Redis was dead (on a loaded machine a submission's
        # three requests may take longer than the outage, so not "started and ended").
        answered_in_outage = [o for o in successes if outage["down"] <= o.ended <= outage["up"]]
        expected = {o.email for o in successes}

        # As production runs it (systemd `Restart=always`, README "a broker outage"): a
        # worker that a lost connection made exit is started again; counted and reported.
        worker_restarts = 0

        def all_mailed() -> bool:
            nonlocal worker, worker_restarts
            if not worker.running:
                worker_restarts += 1
                worker = celery("worker", env, work_dir)
                services.append(worker)
            return set(delivered(work_dir / "mail")) >= expected

        mail_wait_started = time.monotonic()
        wait_for(
            all_mailed,
            timeout=MAIL_WAIT_SECONDS,
            every=1,
            what=f"every receipt e-mail\n{worker.tail()}\n{beat.tail()}",
        )
        mail_wait = time.monotonic() - mail_wait_started
        time.sleep(3)  # a duplicate would come now, from a second send of the same row
        mails = delivered(work_dir / "mail")

        with psycopg2.connect(database_url) as db, db.cursor() as cursor:
            cursor.execute("SELECT reference FROM petitions_petition")
            rows = {reference for (reference,) in cursor.fetchall()}
            cursor.execute(
                "SELECT status, count(*) FROM notifications_notice "
                "WHERE channel = 'email' GROUP BY status"
            )
            notices = dict(cursor.fetchall())
        db.close()

        duplicates = {address: n for address, n in mails.items() if n > 1}
        # notifications.services.queue_delivery's warning: a receipt left to the sweep.
        unqueued = web.log_path.read_text(errors="replace").count("delivery not queued")
        report(
            "\nFAULT broker down: "
            f"(set up in {setup_seconds:.0f} s) "
            f"{len(outcomes)} submissions by {CITIZENS} citizens in {load_seconds:.0f} s, "
            f"{len(successes)} successes, {len(failures)} failures, "
            f"{len(answered_in_outage)} answered while the broker was down; "
            f"{len(rows)} rows; {sum(mails.values())} e-mails to {len(mails)} addresses, "
            f"{len(duplicates)} duplicates, all sent {mail_wait:.0f} s after the load; "
            f"{unqueued} receipts not queued at submission (left to beat's sweep); "
            f"{worker_restarts} worker restarts by the supervisor; "
            f"broker down {outage['up'] - outage['down']:.1f} s; e-mail notices {notices}"
        )

        assert not failures, [(o.error, round(o.ended - load.started, 1)) for o in failures[:20]]
        assert answered_in_outage, "no submission was answered while the broker was down"
        assert unqueued, "no publish failed: the outage did not reach the submissions"
        assert rows == {o.reference for o in successes}
        assert len(successes) == len(rows)
        assert set(mails) == expected
        assert not duplicates
        assert notices == {"sent": len(successes)}
    finally:
        for service in reversed(services):
            service.stop()
        broker.stop()
