#!/usr/bin/env bash
# A streaming replica of the local PostgreSQL server, for CI and for trying the replica
# router on one machine (README "Đọc từ bản sao (replicas)").
#
#   bin/replica.sh          start it (or reuse the one running); prints its URL last
#   bin/replica.sh stop     stop it (its data directory stays, and is reused or rebuilt)
#
# Idempotent: a replica already streaming from the primary on REPLICA_PORT is reused; a
# data directory that no longer streams (stopped too long, made from another server) is
# rebuilt with pg_basebackup. Of the primary it changes one thing only, once: when its
# pg_hba.conf lets no replication connection in from 127.0.0.1, the line
# "host replication postgres 127.0.0.1/32 trust" is appended and the configuration
# reloaded (pg_reload_conf: no restart, no session dropped). No replication slot is made,
# so a replica left stopped never makes the primary keep its WAL.
#
# Runs as root (CI: the PostgreSQL commands as the postgres OS user) or as postgres.
set -euo pipefail

PRIMARY_HOST=${REPLICA_PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${REPLICA_PRIMARY_PORT:-5432}
PORT=${REPLICA_PORT:-5442}
DIR=${REPLICA_DIR:-/var/lib/postgresql/civic-replica-$PORT}
LOG="$DIR.log"
BIN=$(pg_config --bindir 2>/dev/null || true)
if [ -z "$BIN" ] || [ ! -x "$BIN/pg_ctl" ]; then
  BIN="/usr/lib/postgresql/$(ls /etc/postgresql | sort -V | tail -n 1)/bin"
fi

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
primary() { psql -X -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -d postgres -Atqc "$1"; }
replica() { psql -X -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -Atqc "$1" 2>/dev/null; }

stop_ours() {
  # Only the server of our own data directory.
  if [ -f "$DIR/postmaster.pid" ]; then
    as_postgres "$BIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null 2>&1 || true
  fi
}

if [ "${1:-}" = "stop" ]; then
  stop_ours
  echo "replica on port $PORT stopped"
  exit 0
fi

# One at a time: two CI runs on one machine share the replica instead of racing to build it.
exec 9>"$DIR.lock"
flock -w 300 9

pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" || {
  echo "replica: the primary $PRIMARY_HOST:$PRIMARY_PORT does not answer" >&2
  exit 1
}

# 1. The primary lets replication connections in from 127.0.0.1.
can_replicate() {
  psql -X "host=$PRIMARY_HOST port=$PRIMARY_PORT user=postgres replication=true" \
    -Atqc "IDENTIFY_SYSTEM" >/dev/null 2>&1
}
if ! can_replicate; then
  hba=$(primary "SHOW hba_file")
  line="host replication postgres 127.0.0.1/32 trust"
  if ! grep -qxF "$line" "$hba"; then
    printf '%s\n' "# civic-portal bin/replica.sh: a local streaming replica" "$line" >>"$hba"
  fi
  primary "SELECT pg_reload_conf()" >/dev/null
  for _ in $(seq 1 20); do can_replicate && break; sleep 0.5; done
  can_replicate || {
    echo "replica: the primary refuses replication connections (see $hba)" >&2
    exit 1
  }
fi

# 2. A replica of this primary already streaming on PORT is reused.
system_id=$(primary "SELECT system_identifier FROM pg_control_system()")
streaming() {
  [ "$(replica "SELECT pg_is_in_recovery()")" = "t" ] &&
    [ "$(replica "SELECT system_identifier FROM pg_control_system()")" = "$system_id" ] &&
    [ "$(replica "SELECT status FROM pg_stat_wal_receiver")" = "streaming" ]
}
url="postgres://postgres@127.0.0.1:$PORT"
if streaming; then
  echo "replica: reusing the one streaming on port $PORT"
  echo "$url"
  exit 0
fi
if pg_isready -q -h 127.0.0.1 -p "$PORT" && ! grep -qs "^$PORT\$" <(sed -n 4p "$DIR/postmaster.pid" 2>/dev/null); then
  echo "replica: port $PORT is taken by a server that is not ours; set REPLICA_PORT" >&2
  exit 1
fi

# 3. Our data directory, started once more if it still belongs to this primary, else rebuilt.
start() {
  # 9>&-: the server must not inherit the lock (it would hold it for its whole life, and
  # the next run would wait for it in vain).
  as_postgres "$BIN/pg_ctl" -D "$DIR" -l "$LOG" -w -t 60 start >/dev/null 9>&-
}
if [ -f "$DIR/standby.signal" ] && [ -f "$DIR/postgresql.conf" ]; then
  stop_ours
  if start && for _ in $(seq 1 30); do streaming && break; sleep 1; done && streaming; then
    echo "replica: restarted on port $PORT"
    echo "$url"
    exit 0
  fi
  echo "replica: $DIR no longer streams; rebuilding it"
  stop_ours
fi
rm -rf "$DIR"
install -d -o postgres -g postgres -m 0700 "$DIR"
as_postgres pg_basebackup -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -D "$DIR" \
  -R -X stream -c fast
# A hot standby needs at least the primary's limits; Debian keeps the primary's
# configuration files outside its data directory, so the replica gets its own.
setting() { primary "SHOW $1"; }
as_postgres tee "$DIR/postgresql.conf" >/dev/null <<EOF
# civic-portal bin/replica.sh: a hot standby of $PRIMARY_HOST:$PRIMARY_PORT
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
hot_standby = on
hot_standby_feedback = on
max_connections = $(setting max_connections)
max_worker_processes = $(setting max_worker_processes)
max_prepared_transactions = $(setting max_prepared_transactions)
max_locks_per_transaction = $(setting max_locks_per_transaction)
max_wal_senders = $(setting max_wal_senders)
shared_buffers = 64MB
fsync = off
EOF
as_postgres tee "$DIR/pg_hba.conf" >/dev/null <<EOF
local all all trust
host all all 127.0.0.1/32 trust
EOF
as_postgres touch "$DIR/pg_ident.conf"
start
for _ in $(seq 1 60); do streaming && break; sleep 1; done
if ! streaming; then
  echo "replica: started but not streaming; its log:" >&2
  tail -n 30 "$LOG" >&2 || true
  exit 1
fi
echo "replica: streaming on port $PORT"
echo "$url"
