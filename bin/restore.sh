#!/usr/bin/env bash
# `make restore BACKUP=var/backups/civic-… [FORCE=1]`: into the database of
# DATABASE_URL (created if missing on PostgreSQL) and MEDIA_ROOT, both empty unless
# --force; then set FIELD_ENCRYPTION_KEY and SECRET_KEY as on the original server.
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${PY:-.venv/bin/python}" bin/backup.py restore "$@"
