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
$py manage.py migrate --noinput -v0
$py manage.py load_demo
# Without an SMTP server configured, the demo writes its mail to files in var/mail/.
if [ -z "${EMAIL_HOST:-}" ] && [ -z "${EMAIL_BACKEND:-}" ]; then
  export EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
fi
echo "Starting the task worker, the hourly reminder check and the web server on http://127.0.0.1:${PORT}/"
$py manage.py worker >var/worker.log 2>&1 &
worker=$!
$py manage.py send_reminders --every 3600 >var/reminders.log 2>&1 &
reminders=$!
trap 'kill $worker $reminders 2>/dev/null || true' EXIT INT TERM
$py manage.py runserver "127.0.0.1:${PORT}"
