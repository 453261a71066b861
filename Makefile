.PHONY: run test bench messages

# Install what is missing, migrate, load the demo and serve on http://127.0.0.1:$(PORT)
run:
	@scripts/run.sh

# Lint, type checks, migration check and the whole suite on SQLite and PostgreSQL
test:
	@scripts/test.sh

# Benchmarks (print numbers; not part of the test suite). bench_scale.py (the table
# against the goals, docs/performance.md) runs on SQLite, then on a throw-away PostgreSQL.
bench:
	@scripts/bootstrap.sh test
	@for b in bench/bench_*.py; do DEBUG=1 .venv/bin/python $$b; done
	@.venv/bin/python bench/bench_scale.py --database postgres

# Refresh the message catalogs after changing user-facing strings
messages:
	DEBUG=1 .venv/bin/python manage.py makemessages -l ar -l fr -l en --no-obsolete --no-location
