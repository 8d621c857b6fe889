"""Settings are read from the environment and refuse insecure production values."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x8Zq!r2Lp#9vWm4Tn7Yb$k3Hs6Jd1Gf0Ce5Ua-ProdSecretForCheckDeploy",
    "ALLOWED_HOSTS": "donthu.ninhbinh.gov.vn",
    "FIELD_ENCRYPTION_KEY": "jL0pD3a6oE8cJk9eVqkVw4mWc0bG5M2H7x1uZr9sT6Y=",
    "DATABASE_URL": "sqlite:////tmp/civic-deploy-check.sqlite3",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


def test_a_missing_secret_key_with_debug_off_refuses_to_start():
    env = {**PROD_ENV, "SECRET_KEY": ""}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_boolean_is_a_clear_error():
    result = _manage("check", env={"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_production_needs_a_valid_encryption_key_for_personal_data():
    missing = _manage("check", env={**PROD_ENV, "FIELD_ENCRYPTION_KEY": ""})
    assert missing.returncode != 0
    assert "FIELD_ENCRYPTION_KEY must be set" in missing.stderr
    bad = _manage("check", env={**PROD_ENV, "FIELD_ENCRYPTION_KEY": "not-a-key"})
    assert bad.returncode != 0
    assert "FIELD_ENCRYPTION_KEY must be Fernet keys" in bad.stderr


def test_every_postgresql_session_gets_the_work_memory_and_a_bad_size_is_refused():
    show = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['options']); "
        "print(settings.DATABASES['replica']['OPTIONS']['options'])"
    )
    urls = {
        "DATABASE_URL": "postgres://portal@127.0.0.1:5432/civic",
        "DATABASE_REPLICA_URL": "postgres://portal@127.0.0.1:5433/civic",
    }
    result = _manage("shell", "-c", show, env={**urls, "DB_WORK_MEM": "64MB"})
    primary, replica = result.stdout.splitlines()[-2:]
    assert primary == "-c jit=off -c work_mem=64MB"
    assert replica == "-c jit=off -c work_mem=64MB -c default_transaction_read_only=on"
    bad = _manage("check", env={**urls, "DB_WORK_MEM": "64MB -c fsync=off"})
    assert bad.returncode != 0 and "DB_WORK_MEM" in bad.stderr
