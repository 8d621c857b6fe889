"""`make run` serves where HOST and PORT say, and e-mail links (SITE_URL) follow."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _make_run_site_url(*args: str, env: dict[str, str]) -> str:
    base = {k: v for k, v in os.environ.items() if k not in {"HOST", "PORT", "SITE_URL"}}
    # -p prints make's variables, -n runs nothing, -o skips the install step.
    result = subprocess.run(  # noqa: S603
        ["make", "-pn", "-o", ".venv/.installed", "run", *args],  # noqa: S607
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    found = re.search(r"^run: SITE_URL := (.*)$", result.stdout, re.MULTILINE)
    assert found, result.stdout[-2000:] + result.stderr
    return found.group(1)


@pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")
def test_make_run_sets_site_url_from_host_and_port_unless_it_is_set():
    assert _make_run_site_url(env={}) == "http://127.0.0.1:8000"
    assert _make_run_site_url("HOST=192.0.2.1", "PORT=9000", env={}) == "http://192.0.2.1:9000"
    assert _make_run_site_url(env={"PORT": "8080"}) == "http://127.0.0.1:8080"
    assert _make_run_site_url(env={"SITE_URL": "https://donthu.example.vn"}) == (
        "https://donthu.example.vn"
    )
    makefile = (ROOT / "Makefile").read_text()
    assert "run: export SITE_URL" in makefile  # migrate, seeding and run.sh all see it


def _run_sh_site_url(env: dict[str, str]) -> str:
    # Everything bin/run.sh does before it starts the worker, then print SITE_URL.
    script = (ROOT / "bin" / "run.sh").read_text()
    head = script.split('"$PY" -m celery', 1)[0]
    assert "SITE_URL" in head
    base = {k: v for k, v in os.environ.items() if k not in {"HOST", "PORT", "SITE_URL"}}
    result = subprocess.run(  # noqa: S603
        ["bash", "-c", head.replace('cd "$(dirname "$0")/.."', "") + '\necho "$SITE_URL"'],  # noqa: S607
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_run_sh_exports_site_url_before_the_worker_starts():
    assert _run_sh_site_url({"HOST": "192.0.2.1", "PORT": "9000"}) == "http://192.0.2.1:9000"
    assert _run_sh_site_url({}) == "http://127.0.0.1:8000"
    assert _run_sh_site_url({"SITE_URL": "https://x.vn"}) == "https://x.vn"
