#!/usr/bin/env bash
# The test suite's throwaway PostgreSQL cluster (a ctest fixture):
#   pg_cluster.sh start DIR RETURNSD   fresh cluster in DIR on a free port, with the migrated
#                                      database returns_template that each test copies
#   pg_cluster.sh stop DIR             stop it and delete DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cmd=$1
export RETURNS_PG_DIR=$2
case "$cmd" in
  start)
    url=$(RETURNS_PG_PORT=auto RETURNS_PG_DB=returns_template bash "$here/../deploy/pg-local.sh" start --fresh)
    "$3" migrate --database_url "$url" >"$RETURNS_PG_DIR/migrate.log" 2>&1 \
      || { cat "$RETURNS_PG_DIR/migrate.log" >&2; exit 1; }
    echo "test cluster: $url"
    ;;
  stop)
    bash "$here/../deploy/pg-local.sh" stop
    rm -rf "$RETURNS_PG_DIR"
    ;;
esac
