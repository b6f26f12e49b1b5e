#!/usr/bin/env bash
# The Node.js storefront example (client/examples/node) against a real returnsd: installs its
# packages from the lock file (npm ci), starts a throwaway PostgreSQL and returnsd, creates a
# merchant and runs the journey; fails unless it completes.
#   bash tests/node_example.sh BUILD_DIR
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
cd "$repo"
(cd client/examples/node && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
# Off this machine without a CA, the example refuses before sending the key anywhere.
if out=$(RETURNS_ADDR=10.255.255.1:50051 RETURNS_API_KEY=rk_never_sent node client/examples/node/storefront.js 2>&1); then
  echo "node_example: plaintext to a remote address was not refused" >&2; exit 1
fi
grep -q "refusing to send the API key in plaintext" <<<"$out" || { echo "node_example: $out" >&2; exit 1; }
export RETURNS_PG_DIR=${RETURNS_PG_DIR:-$build/node-pg} RETURNS_PG_PORT=auto RETURNS_PG_DB=node
url=$(bash deploy/pg-local.sh start --fresh)
source deploy/returnsd-background.sh
start_returnsd "$url" "$RETURNS_PG_DIR/returnsd.log" --job_workers 1
key=$(./build/server/returnsd create-merchant --name "Node storefront" --database_url "$url" 2>/dev/null \
  | awk '/^admin_key:/ {print $2}')
RETURNS_ADDR=127.0.0.1:$port RETURNS_API_KEY=$key node client/examples/node/storefront.js
