#!/usr/bin/env bash
# make run: install, migrate, load the demo, start a task worker and the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh run
export DEBUG="${DEBUG:-1}"
PORT="${PORT:-8000}"
py=.venv/bin/python
$py manage.py migrate --noinput -v0
$py manage.py load_demo
echo "Starting the task worker (manage.py db_worker) and the web server on http://127.0.0.1:${PORT}/"
$py manage.py db_worker >var/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
$py manage.py runserver "127.0.0.1:${PORT}"
