#!/usr/bin/env bash
# make run: install, migrate, load the demo, start a task worker and the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh run
export DEBUG="${DEBUG:-1}"
export PORT="${PORT:-8000}"  # exported: the default SITE_URL of mail links follows it
# The demo is Morocco's plan: Moroccan month names in Arabic (ماي، نونبر…).
export SHARAKA_ARABIC_VARIANT="${SHARAKA_ARABIC_VARIANT:-ar-MA}"
py=.venv/bin/python
# Keep the compiled bytecode between runs, in var/ (even where the environment says not
# to write it next to the sources): compiling the modules again costs seconds per process.
unset PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX="${PYTHONPYCACHEPREFIX:-$PWD/var/pycache}"
# Migrations and demo in one process, the system checks once (each start of Django
# imports every model, URL and API schema again: about a second apiece).
$py manage.py load_demo --migrate
# Without an SMTP server configured, the demo writes its mail to files in var/mail/.
if [ -z "${EMAIL_HOST:-}" ] && [ -z "${EMAIL_BACKEND:-}" ]; then
  export EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
fi
echo "Starting the web server on http://127.0.0.1:${PORT}/, then the task worker and the hourly reminder check"
# The worker and the reminder check start once the web server answers: on two cores,
# starting the three at once delays the first page by seconds.
after_web() {
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/${PORT}") 2>/dev/null && break
    sleep 0.2
  done
  exec "$@"
}
after_web $py manage.py worker >var/worker.log 2>&1 &
worker=$!
after_web $py manage.py send_reminders --every 3600 >var/reminders.log 2>&1 &
reminders=$!
trap 'kill $worker $reminders 2>/dev/null || true' EXIT INT TERM
$py manage.py runserver --skip-checks "127.0.0.1:${PORT}"
