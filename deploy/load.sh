#!/usr/bin/env bash
# The load generator (tests/load/load_generator.cc) against a throwaway PostgreSQL and returnsd on
# this machine: every scenario at each concurrency, next to its pgbench and gRPC ceilings measured
# in the same run. docs/performance.md explains the table.
#   bash deploy/load.sh [--outstanding 1,16,64,256] [--seconds 10] [--only CreateReturn,...]
# RETURNS_LOAD_NO_BUILD=1 uses build/ as it is (the test suite's smoke run);
# RETURNS_BENCH_POOL sets returnsd's --db_pool_size (default 4).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
[ "${RETURNS_LOAD_NO_BUILD:-0}" = 1 ] || bash deploy/build.sh
export RETURNS_PG_DIR=${RETURNS_PG_DIR:-$repo/.local/load-pg} RETURNS_PG_PORT=auto RETURNS_PG_DB=load
url=$(bash deploy/pg-local.sh start --fresh)
pool=${RETURNS_BENCH_POOL:-4}
source deploy/returnsd-background.sh
# RETURNS_LOAD_SERVER_ENV="NAME=value ...": extra environment for returnsd.
[ -z "${RETURNS_LOAD_SERVER_ENV:-}" ] || export ${RETURNS_LOAD_SERVER_ENV?}
# No rate limit and deep queues: the run measures capacity, not the overload protections.
start_returnsd "$url" "$RETURNS_PG_DIR/returnsd.log" --db_pool_size "$pool" \
  --rate_limit_per_second 0 --max_queued_per_key 100000 --max_queued_calls 100000 \
  --max_streams_per_key 1000000 --max_streams_per_merchant 1000000 --job_workers 1
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); returnsd --db_pool_size $pool; PostgreSQL on the same machine"
./build/tests/returns_load --addr "127.0.0.1:$port" --database_url "$url" --server_pid "$pid" "$@"
