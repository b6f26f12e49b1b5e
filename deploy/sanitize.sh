#!/usr/bin/env bash
# The unit, integration and e2e tests and the reduced fault run under AddressSanitizer and
# UndefinedBehaviorSanitizer, from a second build folder (build-sanitize/). deploy/test.sh runs it
# after the release suite; on its own (packages installed):
#   bash deploy/sanitize.sh            # build and run
#   bash deploy/sanitize.sh -R Claims  # only the tests matching a ctest regex
# -O1 with line tables only (-g1) keeps the build within CI's time on two cores; any finding
# fails the test that met it (UBSan does not recover; ASan stops at the first error).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
jobs=${RETURNS_BUILD_JOBS:-2}
cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Sanitize \
  -DCMAKE_CXX_FLAGS_SANITIZE="-O1 -g1" -DRETURNS_SANITIZE=ON -DRETURNS_FUZZERS=OFF >/dev/null
ninja -C build-sanitize -j "$jobs" returnsd returnsctl unit_tests integration_tests e2e_tests returns_faults
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Leaks of third-party libraries (each named, with why, in the file).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$repo/tests/sanitizers/lsan.supp:print_suppressions=0}
cd build-sanitize
# The Node example and the completion script test code the sanitizers do not see.
ctest -j 3 --output-on-failure --timeout 900 -L 'unit|integration|e2e|faults' -E 'node_example|returnsctl_completion' "$@"
