"""`make audit`: Lighthouse on the citizen pages, served as in production.

Builds a throw-away copy of the demo province (the data of `make run`) in var/audit/,
collects the static files (hashed and compressed by whitenoise), starts gunicorn with
production settings (DEBUG off) on a free port, and runs Lighthouse (tools/audit, pinned)
with its defaults: a mobile phone on a simulated slow 4G link. Each page is measured
AUDIT_RUNS times (3 by default) and the run with the median performance score counts.
Prints the scores and the bytes transferred per page, and exits 1 when a page misses a
target: performance 98, accessibility, best practices and SEO 100, at most 60 KB on a
first visit, no render-blocking script. Reports: var/audit/<page>.report.json.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
TOOLS = ROOT / "tools" / "audit"
LIGHTHOUSE = TOOLS / "node_modules" / "lighthouse" / "cli" / "index.js"
OUT = ROOT / "var" / "audit"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

PAGES = {"home": "/", "submit": "/gui-don/", "track": "/tra-cuu/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
MAX_BYTES = 60_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def production_env(var_dir: Path) -> dict[str, str]:
    """Production settings on a laptop: DEBUG off with throw-away secrets, plain HTTP
    on the loopback address (no redirect to HTTPS, no HSTS)."""
    from cryptography.fernet import Fernet

    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        VAR_DIR=str(var_dir),
        CELERY_TASK_ALWAYS_EAGER="1",
        LOG_LEVEL="WARNING",
    )
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "STATIC_MANIFEST"):
        env.pop(name, None)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def install_lighthouse() -> None:
    stamp = TOOLS / "node_modules" / ".package-lock.json"
    lock = TOOLS / "package-lock.json"
    if (
        not LIGHTHOUSE.exists()
        or not stamp.exists()
        or lock.stat().st_mtime > stamp.stat().st_mtime
    ):
        print("Installing Lighthouse into tools/audit/node_modules …", flush=True)
        npm = shutil.which("npm") or "npm"
        subprocess.run(  # noqa: S603 - npm ci of the pinned lock file
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=TOOLS, check=True
        )


def wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(120):
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped (exit {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own server
                return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"gunicorn did not answer at {url}")


def lighthouse(url: str, output: Path) -> dict[str, Any]:
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    subprocess.run(  # noqa: S603 - the pinned Lighthouse on our own server
        [
            shutil.which("node") or "node",
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={output}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
        ],
        env=env,
        check=True,
    )
    return dict(json.loads(output.read_text()))


def summary(report: dict[str, Any]) -> dict[str, Any]:
    audits = report["audits"]
    blocking = audits["render-blocking-resources"].get("details", {}).get("items", [])
    requests = audits["network-requests"].get("details", {}).get("items", [])
    return {
        "scores": {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES},
        "bytes": int(audits["total-byte-weight"]["numericValue"]),
        "blocking_scripts": [
            item["url"] for item in blocking if item["url"].split("?")[0].endswith(".js")
        ],
        "blocking": [item["url"] for item in blocking],
        "requests": [
            (item["url"], int(item.get("transferSize", 0)), item.get("resourceType", ""))
            for item in requests
        ],
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
    }


def misses(result: dict[str, Any]) -> list[str]:
    found = [
        f"{category} {result['scores'][category]} < {target}"
        for category, target in TARGETS.items()
        if result["scores"][category] < target
    ]
    if result["bytes"] > MAX_BYTES:
        found.append(f"{result['bytes']} bytes > {MAX_BYTES}")
    found.extend(f"render-blocking script {url}" for url in result["blocking_scripts"])
    return found


def main() -> int:
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    install_lighthouse()
    runs = int(os.environ.get("AUDIT_RUNS", "3"))
    shutil.rmtree(OUT, ignore_errors=True)
    data = OUT / "var"
    data.mkdir(parents=True)
    env = production_env(data)
    print("Building the demo province in var/audit/ …", flush=True)
    manage(env, "migrate", "--noinput")
    manage(env, "load_units")
    manage(env, "seed_demo")
    manage(env, "collectstatic", "--noinput")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - gunicorn of this project
        [str(GUNICORN), "civic_portal.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
        cwd=ROOT,
        env=env,
    )
    failed = False
    try:
        wait_until_up(base + "/", server)
        print(f"gunicorn (production settings) at {base}; Lighthouse, mobile, slow 4G:\n")
        header = f"{'page':<8} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5} {'bytes':>7}  FCP/LCP"
        print(header)
        for name, path in PAGES.items():
            results = [
                summary(lighthouse(base + path, OUT / f"{name}-{n}.report.json"))
                for n in range(runs)
            ]
            median = statistics.median_low(r["scores"]["performance"] for r in results)
            result = next(r for r in results if r["scores"]["performance"] == median)
            s = result["scores"]
            print(
                f"{path:<8} {s['performance']:>5} {s['accessibility']:>5} "
                f"{s['best-practices']:>5} {s['seo']:>5} {result['bytes']:>7}  "
                f"{result['fcp']:.0f}/{result['lcp']:.0f} ms"
            )
            for url, size, kind in result["requests"]:
                print(f"{'':<8} {size:>7} {kind:<10} {url.removeprefix(base)}")
            for miss in misses(result):
                failed = True
                print(f"{'':<8} MISSED: {miss}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("\nTargets met." if not failed else "\nSome targets were missed (above).")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
