# Sourced by the benchmark scripts: start_returnsd URL LOG [FLAGS...] starts returnsd on a free
# port against URL, logging to LOG, and waits until it is ready (listening, its database migrated
# and read); it sets `pid` and `port`, and stops returnsd and the cluster on exit.
start_returnsd() {
  local url=$1 log=$2
  shift 2
  ./build/server/returnsd --listen 127.0.0.1:0 --database_url "$url" "$@" >"$log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; bash deploy/pg-local.sh stop' EXIT
  port=
  for _ in $(seq 1 100); do
    port=$(sed -n 's/.*"msg":"listening".*"port":\([0-9]*\).*/\1/p' "$log")
    # listening comes first (NOT_SERVING), "ready" once the database is migrated and read
    [ -n "$port" ] && grep -q '"msg":"ready"' "$log" && return 0
    sleep 0.1
  done
  cat "$log"
  return 1
}
