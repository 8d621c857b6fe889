"""Back up and restore the portal: the database and the media folder, never the keys.

    python bin/backup.py backup [DIR]            # make backup [BACKUP_DIR=…]
    python bin/backup.py restore DIR [--force]   # make restore BACKUP=… [FORCE=1]

Both read the same settings as the portal (DATABASE_URL, MEDIA_ROOT…). A backup is a
folder: `database.pgdump` (pg_dump's custom format) or `database.sqlite3` (SQLite's
online backup: a consistent copy even while the portal writes), `media.tar.gz`, and
`manifest.json` (what, when, checksums, and fingerprints of the identity keys in use —
never the keys). The identity key (FIELD_ENCRYPTION_KEY) and SECRET_KEY are kept apart:
a stolen backup then reveals no denouncer, and a backup restored without them reads none.

A restore goes into an empty database and an empty media folder (`--force` replaces
what is there) and checks the checksums first; it says whether the keys configured
where it runs are those the backup's identities were sealed with.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KEY_REMINDER = (
    "REMINDER: the identity key (FIELD_ENCRYPTION_KEY) and SECRET_KEY are NOT in this "
    "backup, on purpose. Keep them apart from it (a safe, a password manager, another "
    "site): without them the denouncers' identities and citizens' addresses in the "
    "backup cannot be read, and tracking codes do not match."
)


def _setup() -> Any:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic_portal.settings")
    import django

    django.setup()
    from django.conf import settings

    return settings


def _fingerprints() -> list[str]:
    from sealing.crypto import configured_keys

    return [
        hashlib.sha256(key._signing_key + key._encryption_key).hexdigest()[:16]
        for key in configured_keys()
    ]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """A PostgreSQL client program, found on PATH (it must be the server's version or newer)."""
    program = shutil.which(argv[0])
    if program is None:
        raise SystemExit(f"backup: {argv[0]} not found (apt-get install postgresql-client)")
    return subprocess.run([program, *argv[1:]], check=True, **kwargs)  # noqa: S603 - fixed programs


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _engine(db: dict[str, Any]) -> str:
    engine = str(db["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise SystemExit(f"backup: unsupported database engine {engine}")


def backup(target: Path | None) -> Path:
    settings = _setup()
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    db = settings.DATABASES["default"]
    engine = _engine(db)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = target or ROOT / "var" / "backups" / f"civic-{stamp}"
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise SystemExit(f"backup: {folder} is not empty")

    if engine == "postgresql":
        dump = folder / "database.pgdump"
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(dump),
                str(db["NAME"]),
            ],
            env=_pg_env(db),
        )
    else:
        dump = folder / "database.sqlite3"
        source = sqlite3.connect(str(db["NAME"]))
        copy = sqlite3.connect(str(dump))
        with copy:
            source.backup(copy)
        copy.close()
        source.close()

    media_root = Path(settings.MEDIA_ROOT)
    media = folder / "media.tar.gz"
    with tarfile.open(media, "w:gz") as archive:
        if media_root.is_dir():
            for item in sorted(media_root.iterdir()):
                archive.add(item, arcname=item.name)

    latest = {
        app: name
        for app, name in MigrationRecorder(connection)
        .migration_qs.order_by("app", "applied")
        .values_list("app", "name")
    }
    manifest = {
        "created": datetime.now(UTC).isoformat(),
        "engine": engine,
        "database": dump.name,
        "media": media.name,
        "sha256": {dump.name: _sha256(dump), media.name: _sha256(media)},
        "migrations": latest,
        # Which keys sealed the identities, to recognise them at restore; not the keys.
        "identity_key_fingerprints": _fingerprints(),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    print(f"Backup written to {folder}")
    print(f"  {dump.name}: {dump.stat().st_size:,} bytes ({engine})")
    print(f"  {media.name}: {media.stat().st_size:,} bytes (from {media_root})")
    print(KEY_REMINDER)
    return folder


def _database_is_empty(db: dict[str, Any], engine: str) -> bool:
    if engine == "sqlite":
        path = Path(str(db["NAME"]))
        if not path.exists() or path.stat().st_size == 0:
            return True
        with sqlite3.connect(str(path)) as conn:
            return not conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table'"
            ).fetchone()[0]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
        return not cursor.fetchone()[0]


def _ensure_pg_database(db: dict[str, Any]) -> None:
    env = _pg_env(db)
    name = str(db["NAME"])
    found = _run(
        ["psql", "-d", "postgres", "-tA", "-v", f"name={name}"],
        input="SELECT 1 FROM pg_database WHERE datname = :'name';\n",
        env=env,
        capture_output=True,
        text=True,
    )
    if found.stdout.strip() != "1":
        _run(["createdb", name], env=env)


def restore(folder: Path, *, force: bool) -> None:
    settings = _setup()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for name, expected in manifest["sha256"].items():
        if _sha256(folder / name) != expected:
            raise SystemExit(f"restore: {name} does not match its checksum; backup damaged")
    db = settings.DATABASES["default"]
    engine = _engine(db)
    if engine != manifest["engine"]:
        raise SystemExit(
            f"restore: the backup is of {manifest['engine']}, DATABASE_URL is {engine}"
        )
    if engine == "postgresql":
        _ensure_pg_database(db)
    media_root = Path(settings.MEDIA_ROOT)
    if not force:
        if not _database_is_empty(db, engine):
            raise SystemExit(
                f"restore: the database {db['NAME']} is not empty (--force / FORCE=1 replaces it)"
            )
        if media_root.is_dir() and any(media_root.iterdir()):
            raise SystemExit(
                f"restore: the media folder {media_root} is not empty (--force / FORCE=1)"
            )

    dump = folder / manifest["database"]
    if engine == "postgresql":
        from django.db import connection

        connection.close()
        command = [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "-d",
            str(db["NAME"]),
        ]
        if force:
            command[1:1] = ["--clean", "--if-exists"]
        _run([*command, str(dump)], env=_pg_env(db))
    else:
        target = Path(str(db["NAME"]))
        target.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        source = sqlite3.connect(str(dump))
        copy = sqlite3.connect(str(target))
        with copy:
            source.backup(copy)
        copy.close()
        source.close()

    if force and media_root.is_dir():
        shutil.rmtree(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / manifest["media"], "r:gz") as archive:
        archive.extractall(media_root, filter="data")

    print(f"Restored {folder} (made {manifest['created']}) into {db['NAME']} and {media_root}.")
    wanted = set(manifest.get("identity_key_fingerprints", []))
    if wanted & set(_fingerprints()):
        print("The identity key configured here is one the backup's identities were sealed with.")
    else:
        print(
            "WARNING: no identity key configured here matches the backup's "
            f"({', '.join(sorted(wanted))}): set FIELD_ENCRYPTION_KEY (and SECRET_KEY) as on "
            "the server the backup came from, or identities will not open."
        )
    print(
        "Then: python manage.py migrate (if this code is newer than the backup) and "
        "python manage.py rotate_identity_key --check."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("backup")
    make.add_argument("folder", nargs="?", type=Path)
    back = sub.add_parser("restore")
    back.add_argument("folder", type=Path)
    back.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "backup":
        backup(args.folder)
    else:
        restore(args.folder, force=args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
