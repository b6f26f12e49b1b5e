#!/usr/bin/env bash
# What the integration and end-to-end tests need, started once per test run (a ctest fixture):
#   test_services.sh start DIR RETURNSD   DIR/pg: a fresh PostgreSQL cluster on a free port, with
#                                         the migrated database returns_template that each test
#                                         copies; DIR/certs: a development CA and certificates;
#                                         tests/webhooks/node_modules: the webhook receiver's
#                                         packages (npm ci)
#   test_services.sh stop DIR             stop the cluster and delete DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cmd=$1
dir=$2
export RETURNS_PG_DIR=$dir/pg
case "$cmd" in
  start)
    rm -rf "$dir/certs"
    mkdir -p "$dir"
    chmod 755 "$dir"  # the cluster runs as an unprivileged user
    bash "$here/../deploy/make-dev-certs.sh" "$dir/certs" >/dev/null
    # The webhook receiver's packages (tests/webhooks: Standard Webhooks' own implementation
    # checks every delivery), from the lock file.
    (cd "$here/webhooks" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    url=$(RETURNS_PG_PORT=auto RETURNS_PG_DB=returns_template bash "$here/../deploy/pg-local.sh" start --fresh)
    "$3" migrate --database_url "$url" >"$dir/migrate.log" 2>&1 \
      || { cat "$dir/migrate.log" >&2; exit 1; }
    echo "test cluster: $url"
    ;;
  stop)
    bash "$here/../deploy/pg-local.sh" stop
    rm -rf "$dir"
    ;;
esac
