#!/usr/bin/env bash
# The fault run (tests/faults/fault_driver.cc): its own PostgreSQL cluster and returnsd replicas,
# good clients walking the exchange journey, a change-feed consumer, and faults injected at
# random (PostgreSQL fast and immediate restarts, SIGKILL, SIGTERM and SIGSTOP of replicas);
# then the invariant checker, replays of every acknowledged mutation and the feed are checked.
# docs/reliability.md explains the table it prints.
#   bash deploy/faults.sh [--seconds 180] [--seed 1] [--replicas 3] [--clients 8]
# RETURNS_NO_BUILD=1 uses build/ as it is (the test suite's reduced run).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
[ "${RETURNS_NO_BUILD:-0}" = 1 ] || bash deploy/build.sh
dir=$(mktemp -d /tmp/returns-faults-XXXXXX)
chmod 755 "$dir"  # the cluster runs as an unprivileged user
trap 'RETURNS_PG_DIR=$dir/pg bash deploy/pg-local.sh stop --immediate >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
# RETURNS_BUILD_DIR picks another build folder (the sanitizer build's run).
"${RETURNS_BUILD_DIR:-$repo/build}"/tests/returns_faults --pg_script "$repo/deploy/pg-local.sh" --pg_dir "$dir/pg" "$@"
