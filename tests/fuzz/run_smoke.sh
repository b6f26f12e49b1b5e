#!/usr/bin/env bash
# A short, bounded fuzz run for the test suite: FUZZER over its seed corpus for at most RUNS
# inputs or SECONDS seconds. New inputs go to a scratch folder, never into the committed corpus.
#   run_smoke.sh FUZZER SEED_DIR RUNS SECONDS
set -euo pipefail
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$1" "$scratch" "$2" -runs="$3" -max_total_time="$4" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$scratch/" 2>&1 | tail -n 12
