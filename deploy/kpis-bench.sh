#!/usr/bin/env bash
# The GetKpis benchmark (tests/load/kpis_benchmark.cc) against a throwaway PostgreSQL and returnsd
# on this machine: one merchant seeded with 1,000,000 returns over a year, then GetKpis for 90
# days, cold and warm, next to the raw SQL. docs/kpis.md has the numbers.
#   bash deploy/kpis-bench.sh [--returns N] [--calls N]
# RETURNS_LOAD_NO_BUILD=1 uses build/ as it is (the test suite's smoke run).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
[ "${RETURNS_LOAD_NO_BUILD:-0}" = 1 ] || bash deploy/build.sh returnsd kpis_benchmark
export RETURNS_PG_DIR=${RETURNS_PG_DIR:-$repo/.local/kpis-pg} RETURNS_PG_PORT=auto RETURNS_PG_DB=kpis
url=$(bash deploy/pg-local.sh start --fresh)
source deploy/returnsd-background.sh
start_returnsd "$url" "$RETURNS_PG_DIR/returnsd.log" --job_workers 1
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); PostgreSQL on the same machine"
./build/tests/kpis_benchmark --addr "127.0.0.1:$port" --database_url "$url" "$@"
