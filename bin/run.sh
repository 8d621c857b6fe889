#!/usr/bin/env bash
# Web + Celery worker + beat for `make run`; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
mkdir -p var/broker var/broker-control var/mail var/log
export DEBUG="${DEBUG:-1}"
# The worker writes e-mails whose links start with SITE_URL: the address served here.
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
export SITE_URL="${SITE_URL:-http://$HOST:$PORT}"

pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  # A worker finishing its task gets ten seconds, then it is stopped for good.
  for _ in $(seq 1 10); do
    kill -0 "${pids[@]}" 2>/dev/null || break
    sleep 1
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

"$PY" -m celery -A civic_portal worker --loglevel=INFO --concurrency=2 >var/log/worker.log 2>&1 &
pids+=($!)
"$PY" -m celery -A civic_portal beat --loglevel=INFO >var/log/beat.log 2>&1 &
pids+=($!)

echo
echo "civic-portal is running at http://$HOST:$PORT/"
echo "  staff pages:  http://$HOST:$PORT/staff/   Django admin: http://$HOST:$PORT/admin/"
echo "  e-mails are written to var/mail/, worker and beat logs to var/log/"
echo "  demo logins are printed above (password demo-2026); Ctrl-C stops everything."
echo
"$PY" -m celery -A civic_portal call petitions.tasks.send_reminders >/dev/null 2>&1 || true
"$PY" -m celery -A civic_portal call recommendations.tasks.send_reminders >/dev/null 2>&1 || true
"$PY" manage.py runserver "$HOST:$PORT" --noreload &
pids+=($!)
wait -n "${pids[@]}"
