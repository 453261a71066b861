#!/usr/bin/env bash
# make test: lint, types, migrations, then the whole suite on SQLite and on a real
# PostgreSQL server started here in a temporary folder (stopped afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test
export DEBUG=0 SECRET_KEY=test-only-secret-key DJANGO_ALLOW_ASYNC_UNSAFE=true
py=.venv/bin/python
start=$(date +%s)

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy"
.venv/bin/mypy apps sharaka
echo "== makemigrations --check"
$py manage.py makemigrations --check --dry-run

echo "== pytest on SQLite"
$py -m pytest -p no:cacheprovider --durations=10

echo "== pytest on PostgreSQL"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pg_dir=$(mktemp -d)
pg_port=${PG_TEST_PORT:-54329}
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$pg_dir"
  as_pg=(runuser -u postgres --)
fi
stop_pg() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_pg EXIT
"${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
  -o "-h 127.0.0.1 -p $pg_port -k $pg_dir -F -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
export DATABASE_URL="postgres://postgres@127.0.0.1:${pg_port}/sharaka"
$py -m pytest -p no:cacheprovider -m "not browser" --durations=10

echo "make test: all checks passed in $(( $(date +%s) - start )) s"
