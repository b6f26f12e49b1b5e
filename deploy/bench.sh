#!/usr/bin/env bash
# Measures CreateReturn through returnsd against the same transaction on raw PostgreSQL, in one
# run on this machine: starts a throwaway cluster and returnsd, runs the benchmark, stops both.
#   bash deploy/bench.sh [benchmark flags, e.g. --clients 16 --seconds 10 --rounds 5]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
bash deploy/build.sh
export RETURNS_PG_DIR=$repo/.local/bench-pg RETURNS_PG_PORT=auto RETURNS_PG_DB=bench
url=$(bash deploy/pg-local.sh start --fresh)
pool=${RETURNS_BENCH_POOL:-4}
./build/server/returnsd --listen 127.0.0.1:0 --database_url "$url" --db_pool_size "$pool" \
  --rate_limit_per_second 0 \
  >"$RETURNS_PG_DIR/returnsd.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; bash deploy/pg-local.sh stop' EXIT
for _ in $(seq 1 100); do
  port=$(sed -n 's/.*"msg":"listening".*"port":\([0-9]*\).*/\1/p' "$RETURNS_PG_DIR/returnsd.log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$RETURNS_PG_DIR/returnsd.log"; exit 1; }
./build/tests/create_return_bench --addr "127.0.0.1:$port" --database_url "$url" \
  --raw_connections "$pool" "$@"
