#!/usr/bin/env bash
# `make backup [BACKUP_DIR=…]`: the database (pg_dump, or SQLite's online copy) and the
# media folder into one folder (var/backups/civic-<UTC time>/ by default), with a
# manifest of checksums. The identity key and SECRET_KEY are not in it: keep them apart.
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${PY:-.venv/bin/python}" bin/backup.py backup "$@"
