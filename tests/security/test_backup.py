"""Backups (issue 16, item 12): `make backup` then `make restore` into an empty database
and a fresh media folder gives back a denouncer's identity — with the key, which the
backup does not hold — and the documents. Run as the operator runs them: the scripts
in subprocesses, configured by the environment, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
KEY = Fernet.generate_key().decode()
SECRET = "backup-test-secret-key-0123456789-0123456789-0123456789"
PDF = "%PDF-1.4\\n1 0 obj<<>>endobj\\ntrailer<<>>\\n%%EOF\\n"

SEED = f"""
from django.core.files.base import ContentFile
from petitions.models import Attachment
from tests.factories import submit_petition
done = submit_petition(kind="denunciation", name="Phạm Văn Tố", email="to.cao@example.vn")
pdf = "{PDF}".encode()
attachment = Attachment(petition=done.petition, original_name="bang-chung.pdf",
                        content_type="application/pdf", size=len(pdf), is_identifying=True)
attachment.file.save("bang-chung.pdf", ContentFile(pdf), save=True)
"""
READ = """
import json
from petitions.identity import decrypt_identity
from petitions.models import Petition
petition = Petition.objects.get()
identity = decrypt_identity(petition.identity)
print(json.dumps({"name": identity.name, "email": identity.email, "reference": petition.reference,
                  "document": petition.attachments.get().file.read().decode()}))
"""


def _env(tmp: Path, database_url: str, media: Path, key: str = KEY) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
        FIELD_ENCRYPTION_KEY=key,
        SECRET_KEY=SECRET,
        VAR_DIR=str(tmp / "var"),
        DEBUG="1",
        CELERY_TASK_ALWAYS_EAGER="1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PY=PY,
    )
    return env


def _run(argv: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    done = subprocess.run(  # noqa: S603 — our own scripts with fixed arguments
        argv, cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _read(env: dict[str, str]) -> dict[str, str]:
    # the shell's last line is READ's answer (it may first say what it imported)
    return json.loads(_run([PY, "manage.py", "shell"], env, READ).strip().splitlines()[-1])


def _round_trip(tmp: Path, source_url: str, target_url: str) -> None:
    source_media, target_media, folder = tmp / "media-src", tmp / "media-dst", tmp / "backup"
    source = _env(tmp, source_url, source_media)
    _run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], source)
    _run([PY, "manage.py", "shell"], source, SEED)
    before = _read(source)
    assert before["name"] == "Phạm Văn Tố"

    out = _run(["bash", "bin/backup.sh", str(folder)], source)
    assert "FIELD_ENCRYPTION_KEY" in out and "NOT in this backup" in out
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["sha256"]) == {manifest["database"], "media.tar.gz"}
    # neither the key nor the secret is anywhere in the backup
    for path in folder.iterdir():
        data = path.read_bytes()
        assert KEY.encode() not in data and SECRET.encode() not in data, path.name

    target = _env(tmp, target_url, target_media)
    assert not target_media.exists()
    out = _run(["bash", "bin/restore.sh", str(folder)], target)
    assert "is one the backup's identities were sealed with" in out
    after = _read(target)
    assert after == before
    assert after["document"].startswith("%PDF-1.4")

    # a second restore onto the restored copy is refused, and changes nothing
    again = subprocess.run(  # noqa: S603
        ["bash", "bin/restore.sh", str(folder)],  # noqa: S607
        cwd=ROOT,
        env=target,
        capture_output=True,
        text=True,
    )
    assert again.returncode != 0 and "not empty" in again.stderr

    # without the key the restored identities stay sealed
    stranger = _env(tmp, target_url, target_media, key=Fernet.generate_key().decode())
    blind = _read(stranger)
    assert blind["name"] != before["name"] and "Phạm" not in json.dumps(blind, ensure_ascii=False)


def test_a_sqlite_backup_restores_into_an_empty_database_and_media_folder(tmp_path):
    _round_trip(
        tmp_path,
        f"sqlite:///{tmp_path / 'source.sqlite3'}",
        f"sqlite:///{tmp_path / 'restored' / 'target.sqlite3'}",
    )


@pytest.mark.postgres
def test_a_postgresql_backup_restores_into_an_empty_database(tmp_path):
    for program in ("pg_dump", "pg_restore", "psql", "createdb", "dropdb"):
        if not shutil.which(program):
            skip_or_fail(f"{program} is not installed (apt-get install postgresql-client)")
    base = os.environ.get("H5_POSTGRES", "postgres://postgres@127.0.0.1:5432")
    pg = {"PGHOST": "127.0.0.1", "PGPORT": "5432", "PGUSER": "postgres"}
    env = {**os.environ, **pg}
    ready = subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432"], env=env)  # noqa: S607
    if ready.returncode != 0:
        skip_or_fail("no PostgreSQL server at 127.0.0.1:5432")
    names = ("civic_h5_backup_src", "civic_h5_backup_dst")
    for name in names:
        subprocess.run(["dropdb", "--if-exists", name], env=env, check=True)  # noqa: S603, S607
    subprocess.run(["createdb", names[0]], env=env, check=True)  # noqa: S603, S607
    try:
        # the target database does not even exist: restore creates it
        _round_trip(tmp_path, f"{base}/{names[0]}", f"{base}/{names[1]}")
    finally:
        for name in names:
            subprocess.run(["dropdb", "--if-exists", name], env=env)  # noqa: S603, S607
