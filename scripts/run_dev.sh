#!/usr/bin/env bash
# `make run`: the development server plus one background worker (`manage.py run_worker`: django-tasks' database
# queue, e.g. the bulk certificate exports, and the periodic jobs of portal/scheduler.py). Both stop together:
# Ctrl-C, `kill` of this script, or either of them exiting.
# Each runs in its own process group (setsid) so that stopping it also stops the child its autoreloader starts.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

setsid "$PY" manage.py run_worker &
worker=$!
# runserver starts a thread per request: no persistent database connections (portal/settings/dev.py sets
# CONN_MAX_AGE = 0; this covers a DJANGO_SETTINGS_MODULE exported for another environment too).
CONN_MAX_AGE=0 setsid "$PY" manage.py runserver "$HOST:$PORT" &
server=$!

stop() {
  for pid in "$server" "$worker"; do
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

# Returns when the server stops, or at once when this script is interrupted (the traps then stop both).
wait -n "$server" "$worker" || true
