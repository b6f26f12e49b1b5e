#!/usr/bin/env bash
# Configures and builds into build/ with Ninja (2 jobs: builds with gRPC are heavy): everything,
# or only the targets named (the demo builds just returnsd and returnsctl).
#   bash deploy/build.sh [target ...]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
jobs=${RETURNS_BUILD_JOBS:-2}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE:-RelWithDebInfo} >/dev/null
ninja -C build -j "$jobs" "$@"
