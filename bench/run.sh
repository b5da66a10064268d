#!/usr/bin/env bash
# `make bench`: the staff registry at scale on PostgreSQL.
#  1. a throwaway database (BENCH_DB, default cnnt_bench): reused when it exists, so a second run skips the
#     data load; BENCH_FRESH=1 drops and recreates it;
#  2. migrate, then generate_scale --products BENCH_PRODUCTS (default 100000; adds nothing when present);
#  3. bench/bench_registry.py, then bench/bench_screening.py (which makes its national rounds of 500, 20 and 1
#     dossiers once, then reuses them), then bench/bench_results.py (province rounds of 500 and 50 dossiers scored
#     by 9 members, made once; 30 members submitting at once through gunicorn, 2 workers), then bench/bench_certificates.py (500
#     certificates made once; bulk exports of 100 and 500 in worker child processes against bare WeasyPrint), then
#     bench/bench_signing.py (500 certificates of a bench body with a bench signing certificate, made once; signed
#     bulk exports against unsigned ones alternately in worker child processes, 100 and 500), then
#     bench/bench_projects.py (20,000 khuyến công projects and 2,000 fairs made once; the projects list and the
#     producer's record page against their floors, query counts at small and large data), then
#     bench/bench_dashboard.py (recognitions for every generated product and OCOP ratings for a third, made once;
#     the national and a province dashboard against their aggregates as bare SQL; query counts), then
#     bench/bench_import.py (10,000 producer rows, .xlsx and .csv, preview and confirm, against the same objects
#     bulk_create'd; BENCH_IMPORT_ROWS, BENCH_IMPORT_RUNS), then bench/bench_catalogue.py (20,000 products recognised once; 20 concurrent clients against gunicorn on
#     127.0.0.1 for the public catalogue's list, search, filters and product pages, with and without its cache,
#     against a bare-queries floor and /healthz), then bench/bench_inbox.py and bench/bench_reports.py (the report PDF
#     with its 557-row annex: the request that queues it against 1 s, and its build as the worker builds it), with
#     the test settings (DEBUG=False): each adds its figures to bench/results.json (measured, floor, ratio, target,
#     met; bench/common.py) and prints a table with the load average. A script that fails does not stop the others.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
BENCH_DB=${BENCH_DB:-cnnt_bench}
BENCH_PRODUCTS=${BENCH_PRODUCTS:-100000}
export PGHOST PGPORT PGUSER

case "$BENCH_DB" in
  *[!a-z0-9_]* | "") echo "BENCH_DB must be a plain lower-case name" >&2; exit 2 ;;
esac

if ! psql -d postgres -Atqc "SELECT 1" >/dev/null 2>&1; then
  echo "PostgreSQL does not answer on $PGHOST:$PGPORT as $PGUSER." >&2
  echo "Start it: pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start" >&2
  exit 2
fi

if [ "${BENCH_FRESH:-0}" = "1" ]; then
  echo "== dropping $BENCH_DB"
  psql -d postgres -qc "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)"
fi
if [ "$(psql -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$BENCH_DB'")" != "1" ]; then
  echo "== creating $BENCH_DB"
  psql -d postgres -qc "CREATE DATABASE $BENCH_DB"
else
  echo "== reusing $BENCH_DB (BENCH_FRESH=1 to start from scratch)"
fi

export DJANGO_SETTINGS_MODULE=portal.settings.test
export DEBUG=False
export DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$BENCH_DB"

echo "== migrate"
"$PY" manage.py migrate --noinput -v 0

echo "== generate_scale --products $BENCH_PRODUCTS"
start=$(date +%s%N)
"$PY" manage.py generate_scale --products "$BENCH_PRODUCTS"
echo "generate_scale: $(( ($(date +%s%N) - start) / 1000000 )) ms wall clock (process included)"
# The load written out now (generate_scale has vacuumed and analysed its tables): no checkpoint of it in the first
# measurements. Each script settles the data it makes the same way (bench/common.py settle()).
psql -d "$BENCH_DB" -qc "CHECKPOINT"

echo "== bench"
# Each script runs whatever happened to the one before it; the failures are listed at the end (exit 1).
failed=()
bench() {
  echo "== $1 (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  "$PY" "bench/$1" || failed+=("$1")
}
bench bench_registry.py
bench bench_screening.py
bench bench_results.py
bench bench_certificates.py
bench bench_signing.py
bench bench_projects.py
bench bench_dashboard.py
bench bench_import.py
bench bench_catalogue.py
bench bench_inbox.py  # the task inbox against its reads, on what the scripts above made
bench bench_reports.py  # the report PDF with its long annex: the request queues it, the worker builds it
if [ ${#failed[@]} -gt 0 ]; then
  echo "== failed: ${failed[*]}" >&2
  exit 1
fi
